import { loadRunExplained, loadRunRows } from '../loaders/runExplainedLoader';
import { refuseNul } from '../sql/nulText';
import { isolate } from '../shared/displayText';
import type { PanelDriver } from './panelLoad';
import type { RunRow } from '../shared/runExplainedData';

/** Run Explained: one run's waterfall and what changed against the run before it; bars drill to rows. */
export function runDriver(): PanelDriver<'run'> {
  return {
    kind: 'run',
    // One panel per run: two runs side by side is how people compare them.
    key: (p) => `${p.syncId}/${p.syncRunId}`,
    scopeLabel: (p) => `run ${isolate(p.syncRunId)}`,
    async load(run, p) {
      refuseNul({ 'sync ID': p.syncId, 'run ID': p.syncRunId }, run.loc.dialect.name);
      const data = await loadRunExplained(run, p.syncRunId);
      if (!data)
        return {
          empty: `No run ${p.syncRunId} in this sync log: it may be older than the log keeps, or on another connection.`,
        };
      return {
        data,
        async onMessage(m, session) {
          if (m.type !== 'runRows') return;
          await session.task<{ rows: RunRow[]; truncated: boolean }>(
            (view) => ({ type: 'runRows', selector: m.selector, view }),
            (r) => loadRunRows(r, { syncId: p.syncId, syncRunId: p.syncRunId }, m.selector),
          );
        },
      };
    },
  };
}
