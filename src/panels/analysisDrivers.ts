import type { Container } from '../container';
import { windowLabel, type PanelContext } from '../shared/analysisProtocol';
import {
  loadBreakdown,
  loadBreakdownDetails,
  loadBreakdownHistory,
  loadDrill,
  withHistory,
  type BreakdownResult,
  type DrillResult,
} from '../loaders/breakdownLoader';
import type { CategoryChart } from '../shared/analysisData';
import { loadFlapping, loadFlappingActivity } from '../loaders/flappingLoader';
import { loadStuckRows } from '../loaders/stuckRowsLoader';
import { DEFAULT_STUCK_MIN_FAILURES } from '../sql/stuckRowsQueries';
import { loadModelOverTime } from '../loaders/modelOverTimeLoader';
import { loadTimeline } from '../loaders/timelineLoader';
import type { PanelDriver } from './panelLoad';
import type { CategoryConfig } from './categoryConfig';
import type { TextClassifier } from '../loaders/textClassifier';
import type { QueryRunner } from '../loaders/queryRunner';
import { refuseNul } from '../sql/nulText';
import { describeFailure, isCancelled } from './failureText';
// Tab titles and messages put ids next to our words: isolated, so a bidi override stays inside.
import { isolate } from '../shared/displayText';

const syncName = (syncId: string | null, context: PanelContext): string => {
  if (syncId === null) return 'all syncs';
  return context.syncs.find((s) => s.syncId === syncId)?.label ?? `sync ${isolate(syncId)}`;
};

const windowText = (days: number | null) => windowLabel(days).toLowerCase();

/**
 * Params come from a search box or a webview message as well as from the tree: a value with a NUL
 * is refused, named, before any query carries it (the panel shows the message as its error).
 */
const refuseNulIn = (run: QueryRunner, values: Record<string, unknown>) => refuseNul(values, run.loc.dialect.name);

/**
 * The error breakdown: the table first (rows and failures), then two follow-ups in parallel: the
 * chart (which adds sample rows) and the whole-log history (first and last seen, new templates).
 * Each merges into the latest result, so whichever answers second keeps the other's refinement.
 */
export function breakdownDriver(
  container: Container,
  categories: CategoryConfig,
  classifier?: TextClassifier,
): PanelDriver<'breakdown'> {
  return {
    kind: 'breakdown',
    key: (p) => p.syncId ?? '*',
    scopeLabel: (p, c) => (p.syncRunId ? `run ${isolate(p.syncRunId)}` : syncName(p.syncId, c)),
    async load(run, p, context) {
      refuseNulIn(run, { 'sync ID': p.syncId, 'run ID': p.syncRunId });
      const cats = { ...(await categories.load()), classifier };
      let result: BreakdownResult = await loadBreakdown(run, p, cats);
      const logSkipped = (skipped: readonly { message: string }[], from: number) => {
        for (const s of skipped.slice(from)) container.log.warn(`Error category stopped: ${s.message}`);
      };
      logSkipped(result.skipped, 0);
      if (result.data.totalFailures === 0) {
        const where = p.syncRunId ? `run ${p.syncRunId}` : syncName(p.syncId, context);
        return {
          empty:
            p.source === 'snapshot'
              ? `No row of ${where} is failing in the latest snapshot: every row's latest operation succeeded.`
              : `No failed operations in ${where}${p.syncRunId ? '' : ` (${windowText(p.days)})`}. Widen the window or switch the source to see others.`,
        };
      }
      const first = result;
      return {
        data: result.data,
        followUps: [
          (session) =>
            session.task<CategoryChart>(
              (view) => ({ type: 'chart', view }),
              async (r) => {
                const details = await loadBreakdownDetails(r, first, p.source, cats);
                logSkipped(details.result.skipped, first.skipped.length);
                // Sample rows come with the per-run counts: the table refines (keeping a history already read).
                if (session.current) {
                  result = result.history
                    ? withHistory(details.result, result.history, p.source, cats)
                    : details.result;
                  session.update(result.data);
                }
                return details.chart.series.length === 0
                  ? { empty: 'No failed operations in the changelog for this scope.' }
                  : details.chart;
              },
            ),
          (session) =>
            session.quiet(async (r) => {
              try {
                const history = await loadBreakdownHistory(r, first, cats);
                if (!session.current) return;
                result = withHistory(result, history, p.source, cats);
                session.update(result.data);
              } catch (err) {
                // The table stays; first and last seen say why they are missing rather than load forever.
                if (!isCancelled(err) && session.current)
                  session.update({ ...result.data, history: { truncated: false, error: describeFailure(err) } });
                throw err;
              }
            }),
        ],
        async onMessage(m, session) {
          if (m.type !== 'drill') return;
          const drillCats = await categories.load();
          await session.task<DrillResult>(
            (view) => ({ type: 'drill', selector: m.selector, view }),
            (r) => loadDrill(r, result, p.source, drillCats, m.selector),
          );
          container.log.info(`Error breakdown: drill-down into ${JSON.stringify(m.selector)}.`);
        },
      };
    },
  };
}

/** `stuckRowMinFailures` reads syncLogs.stuckRowMinFailures at each load (the caller owns settings). */
export function flappingDriver(
  stuckRowMinFailures: () => number = () => DEFAULT_STUCK_MIN_FAILURES,
): PanelDriver<'flapping'> {
  return {
    kind: 'flapping',
    key: (p) => p.syncId,
    scopeLabel: (p, c) => syncName(p.syncId, c),
    async load(run, p) {
      refuseNulIn(run, { 'sync ID': p.syncId });
      const result = await loadFlapping(run, p);
      const { data } = result;
      if (data.rows.length === 0) {
        return {
          empty:
            data.runsInWindow === 0
              ? `No runs of this sync in the window (${windowText(p.days)}).`
              : `No operations in the ${data.runsInWindow} runs of the window: nothing flaps.`,
        };
      }
      // The ranking shows at once; the sparklines (a query on those rows only) and the Stuck Rows section follow.
      return {
        data,
        followUps: [
          (session) =>
            session.quiet(async (r) => {
              const [refined, stuck] = await Promise.all([
                loadFlappingActivity(r, result),
                loadStuckRows(r, result.scope, stuckRowMinFailures()),
              ]);
              session.update({ ...refined, stuck });
            }),
        ],
      };
    },
  };
}

export function timelineDriver(): PanelDriver<'timeline'> {
  return {
    kind: 'timeline',
    // One timeline panel: searching again replaces its row.
    key: () => 'row',
    scopeLabel: (p) => (p.rowId ? `row ${isolate(p.rowId)}` : 'search'),
    idleReason: (p) =>
      p.rowId.trim() === ''
        ? 'Enter a row ID (the model’s primary-key value) to see every operation on it.'
        : undefined,
    async load(run, p) {
      refuseNulIn(run, { 'row ID': p.rowId, 'sync ID': p.syncId });
      const data = await loadTimeline(run, p);
      if (data.events.length === 0 && data.snapshot.length === 0) {
        return {
          empty: `No operation on row "${p.rowId}" in ${p.syncId === null ? 'any sync' : `sync ${p.syncId}`}. Row IDs are compared as text, exactly (case and spaces matter).`,
        };
      }
      return { data };
    },
  };
}

export function modelDriver(): PanelDriver<'model'> {
  return {
    kind: 'model',
    key: (p) => p.syncId,
    scopeLabel: (p, c) => syncName(p.syncId, c),
    async load(run, p) {
      refuseNulIn(run, { 'sync ID': p.syncId });
      const data = await loadModelOverTime(run, p);
      if (data.points.length === 0) return { empty: `No runs of this sync in the window (${windowText(p.days)}).` };
      return { data };
    },
  };
}
