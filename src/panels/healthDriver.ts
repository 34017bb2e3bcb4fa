import { loadHealth } from '../loaders/healthLoader';
import { windowLabel } from '../shared/analysisProtocol';
import type { PanelDriver } from './panelLoad';

/** The health overview: every sync of the connection, worst first. `minFailures` reads the stuck-row setting at each load. */
export function healthDriver(minFailures: () => number): PanelDriver<'health'> {
  return {
    kind: 'health',
    // One overview per connection: opening it again reloads it with the window asked for.
    key: () => 'all',
    scopeLabel: (p) => windowLabel(p.days).toLowerCase(),
    async load(run, p) {
      const data = await loadHealth(run, { days: p.days, minFailures: minFailures(), now: new Date() });
      if (data.syncs.length === 0)
        return {
          empty:
            'No sync runs in this sync log yet. Enable warehouse sync logs on a sync in Hightouch, then refresh after its next run.',
        };
      return { data };
    },
  };
}
