import type { PanelKind, PanelTarget, ParamsOf } from '../shared/analysisProtocol';

/** The window a panel opens with when the click that opened it named none. */
export const DEFAULT_DAYS = 30;
/** The health overview answers "what is broken now": its default window is the last day. */
export const DEFAULT_HEALTH_DAYS = 1;

export type PanelOpen = { [K in PanelKind]: { kind: K; params: ParamsOf[K] } }[PanelKind];

const days = (d: number | null | undefined, fallback: number) => (d === undefined ? fallback : d);

/** A target's panel and its full params, defaults filled in. Pure, so every way in opens alike. */
export function panelOpenOf(target: PanelTarget): PanelOpen {
  switch (target.panel) {
    case 'health':
      return { kind: 'health', params: { days: days(target.days, DEFAULT_HEALTH_DAYS) } };
    case 'breakdown':
      return {
        kind: 'breakdown',
        params: {
          syncId: target.syncId,
          syncRunId: target.syncRunId ?? null,
          source: target.source ?? 'changelog',
          days: days(target.days, DEFAULT_DAYS),
        },
      };
    case 'flapping':
      return {
        kind: 'flapping',
        params: {
          syncId: target.syncId,
          days: days(target.days, DEFAULT_DAYS),
          orderBy: target.orderBy ?? 'flapping',
          ...(target.focus ? { focus: target.focus } : {}),
        },
      };
    case 'timeline':
      return { kind: 'timeline', params: { rowId: target.rowId, syncId: target.syncId } };
    case 'model':
      return { kind: 'model', params: { syncId: target.syncId, days: days(target.days, DEFAULT_DAYS) } };
    case 'run':
      return { kind: 'run', params: { syncId: target.syncId, syncRunId: target.syncRunId } };
  }
}
