/**
 * The common frame of the four analysis panels: header (title, connection, scope), a toolbar with
 * the panel's controls plus Refresh/Cancel, the phase area (loading, error, empty, cancelled, idle)
 * and the content slot for `ready`. It speaks the analysis protocol and saves `{ panel, params }`
 * so the host can restore the panel after a window reload.
 */
import {
  PANEL_TITLES,
  WINDOW_CHOICES,
  windowLabel,
  isAnalysisHostMessage,
  isAnalysisWebviewState,
  type AnalysisWebviewMessage,
  type AnalysisWebviewState,
  type ChartMessage,
  type DataOf,
  type DrillMessage,
  type PanelContext,
  type PanelKind,
  type ParamsOf,
  type Phase,
  type StateMessage,
} from '../../src/shared/analysisProtocol';
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import { button, clearChildren, el, fmtDate, fmtMs, isolate, linkButton, select, type Child } from './dom';
import { DEBUGGER_NOTE, isVendorTarget, vendorLinkLabel, type VendorTarget } from '../../src/shared/vendorLinks';
import { getState, onMessage, post, setState } from './messaging';

// The toolkit's elements the analysis panels draw (dom.ts's button, the loading ring). Its badge and
// dropdown are left out: the badge binds a style attribute (refused by the CSP), and a native
// <select> styled with the theme's variables is simpler and reliable.
provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeProgressRing());

export const send = (m: AnalysisWebviewMessage): void => post(m);

export interface PanelSpec<K extends PanelKind> {
  panel: K;
  /** The scope line of the header, e.g. "All syncs · Last 7 days · changelog"; warehouse values in it isolate()d. */
  scope(params: ParamsOf[K], context: PanelContext): string;
  /** The panel's own controls; `update` posts setParams (and saves them). */
  toolbar(params: ParamsOf[K], context: PanelContext, update: (params: ParamsOf[K]) => void): Child[];
  /** Fills the content slot for `ready` (the slot is emptied first). */
  renderReady(
    content: HTMLElement,
    data: DataOf[K],
    message: StateMessage<K>,
    update: (params: ParamsOf[K]) => void,
  ): void;
  /** Optional: something shown above the phase area in every phase (e.g. a hint or an explanation). */
  preamble?(params: ParamsOf[K], context: PanelContext, phase: Phase<DataOf[K]>['phase']): Child[];
  /** Optional: the breakdown's chart and drill messages. */
  onChart?(message: ChartMessage): void;
  onDrill?(message: DrillMessage): void;
  /** Called when a new `state` arrives, before anything is rendered. */
  onState?(message: StateMessage<K>): void;
}

export interface Shell<K extends PanelKind> {
  /** The last state message, if any. */
  current(): StateMessage<K> | undefined;
  update(params: ParamsOf[K]): void;
}

/** Builds the frame in #app and starts listening to the host. */
export function startPanel<K extends PanelKind>(spec: PanelSpec<K>): Shell<K> {
  const app = document.getElementById('app') ?? document.body;
  const title = el('h1', { className: 'panel-title', text: PANEL_TITLES[spec.panel] });
  const connection = el('bdi', { className: 'connection', testid: 'connection' });
  const scope = el('span', { className: 'scope muted', testid: 'scope' });
  const header = el('header', { className: 'panel-header' }, title, connection, scope);
  const controls = el('div', { className: 'controls' });
  const refresh = button('Refresh', () => send({ type: 'refresh' }), {
    testid: 'refresh',
    ctl: 'refresh',
    title: 'Run the queries again',
  });
  const cancel = button('Cancel', () => send({ type: 'cancel' }), { testid: 'cancel', ctl: 'cancel' });
  cancel.hidden = true;
  const showSql = button('Show SQL', () => send({ type: 'showSql' }), {
    testid: 'show-sql',
    ctl: 'show-sql',
    title: 'Open the queries behind this panel, values inlined, in an editor',
  });
  const toolbar = el(
    'div',
    { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Panel controls' } },
    controls,
    el('span', { className: 'spacer' }),
    showSql,
    refresh,
    cancel,
  );
  const preamble = el('div', { className: 'preamble' });
  const phaseArea = el('div', {
    className: 'phase',
    testid: 'phase',
    attrs: { 'data-phase': 'idle', 'aria-live': 'polite' },
  });
  const content = el('main', { className: 'content', testid: 'content' });
  app.replaceChildren(header, toolbar, preamble, phaseArea, content);

  const saved = getState<AnalysisWebviewState>(isAnalysisWebviewState);
  let last: StateMessage<K> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let loadingSince: number | undefined;
  const stopTimer = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  const save = (params: ParamsOf[K]) => setState<AnalysisWebviewState>({ panel: spec.panel, params });

  const update = (params: ParamsOf[K]) => {
    save(params);
    send({ type: 'setParams', params });
  };

  const renderToolbar = (m: StateMessage<K>) => {
    // Keep the keyboard focus on the same control across a re-render.
    const focused = document.activeElement?.closest('[data-ctl]')?.getAttribute('data-ctl');
    const nodes = spec.toolbar(m.params, m.context, update).filter((c): c is Node | string => !!c);
    controls.replaceChildren(...nodes);
    if (focused) {
      const again = Array.from(controls.querySelectorAll('[data-ctl]')).find(
        (e) => e.getAttribute('data-ctl') === focused,
      ) as HTMLElement | undefined;
      again?.focus();
    }
  };

  const renderPhase = (m: StateMessage<K>) => {
    const view = m.view;
    stopTimer();
    phaseArea.setAttribute('data-phase', view.phase);
    const loading = view.phase === 'loading';
    cancel.hidden = !loading;
    if (loading) refresh.setAttribute('disabled', '');
    else refresh.removeAttribute('disabled');
    content.classList.toggle('stale', loading);
    if (!loading) loadingSince = undefined;

    switch (view.phase) {
      case 'loading': {
        loadingSince ??= performance.now();
        const since = loadingSince;
        const elapsed = el('span', { className: 'elapsed muted', testid: 'elapsed' });
        const tick = () => (elapsed.textContent = `${Math.floor((performance.now() - since) / 1000)} s`);
        tick();
        timer = setInterval(tick, 1000);
        phaseArea.replaceChildren(
          el(
            'div',
            { className: 'loading', attrs: { role: 'status' } },
            el('vscode-progress-ring', { attrs: { 'aria-label': 'Loading' } }),
            el('span', { text: view.message || 'Loading…' }),
            elapsed,
          ),
        );
        // Keep the previous content (dimmed) while a refresh runs.
        return;
      }
      case 'error':
        phaseArea.replaceChildren(
          el(
            'div',
            { className: 'box error', attrs: { role: 'alert' } },
            el('div', { className: 'title', text: 'The analysis failed' }),
            el('pre', { text: view.message }),
          ),
        );
        clearContent();
        return;
      case 'empty':
        phaseArea.replaceChildren(
          el(
            'div',
            { className: 'box empty', attrs: { role: 'status' } },
            el('div', { className: 'title', text: 'Nothing to show' }),
            el('div', { text: view.reason, testid: 'empty-reason' }),
            view.elapsedMs !== undefined
              ? el('div', { className: 'muted', text: `Queried in ${fmtMs(view.elapsedMs)}.` })
              : undefined,
          ),
        );
        clearContent();
        return;
      case 'cancelled':
        phaseArea.replaceChildren(
          el(
            'div',
            { className: 'box', attrs: { role: 'status' } },
            el('div', { className: 'title', text: 'Cancelled' }),
            el('div', { text: view.message }),
            el('div', { className: 'muted', text: 'Press Refresh to run it again.' }),
          ),
        );
        clearContent();
        return;
      case 'idle':
        phaseArea.replaceChildren(view.message ? el('p', { className: 'muted idle', text: view.message }) : '');
        clearContent();
        return;
      case 'ready': {
        phaseArea.replaceChildren(
          el('div', {
            className: 'loaded muted',
            text: `Loaded ${fmtDate(view.loadedAt)} in ${fmtMs(view.elapsedMs)}`,
          }),
        );
        clearContent();
        spec.renderReady(content, view.data, m, update);
        return;
      }
    }
  };

  const clearContent = () => {
    clearChildren(content);
  };

  const onState = (m: StateMessage<K>) => {
    const paramsChanged = !last || JSON.stringify(last.params) !== JSON.stringify(m.params);
    last = m;
    if (paramsChanged) save(m.params);
    spec.onState?.(m);
    connection.textContent = m.context.connection;
    scope.textContent = spec.scope(m.params, m.context);
    document.title = `${PANEL_TITLES[spec.panel]} · ${isolate(m.context.connection)}`;
    renderToolbar(m);
    preamble.replaceChildren(
      ...(spec.preamble?.(m.params, m.context, m.view.phase) ?? []).filter((c): c is Node | string => !!c),
    );
    renderPhase(m);
  };

  onMessage(isAnalysisHostMessage, (m) => {
    switch (m.type) {
      case 'state':
        if (m.panel !== spec.panel) {
          console.warn(`Sync Logs: a state for the ${m.panel} panel reached the ${spec.panel} panel`);
          return;
        }
        onState(m as StateMessage<K>);
        return;
      case 'chart':
        spec.onChart?.(m);
        return;
      case 'drill':
        spec.onDrill?.(m);
        return;
    }
  });

  // Before the host answers `ready`: say so (a restored panel gets its params back from the host).
  phaseArea.replaceChildren(
    el(
      'div',
      { className: 'loading', attrs: { role: 'status' } },
      el('vscode-progress-ring', { attrs: { 'aria-label': 'Loading' } }),
      el('span', { text: 'Waiting for the extension…' }),
    ),
  );
  if (saved && saved.panel !== spec.panel) console.warn('Sync Logs: ignored a saved state of another panel');

  return { current: () => last, update };
}

/** Options for a sync picker (an option's text cannot hold elements: its values are isolate()d). */
export function syncOptions(
  context: PanelContext,
  opts: { all?: string; current?: string | null } = {},
): { value: string; label: string }[] {
  const list = context.syncs.map((s) => ({
    value: s.syncId,
    label: `${isolate(s.label)} (sync ${isolate(s.syncId)})`,
  }));
  if (opts.current && !context.syncs.some((s) => s.syncId === opts.current))
    list.unshift({ value: opts.current, label: `Sync ${isolate(opts.current)}` });
  if (opts.all !== undefined) list.unshift({ value: '', label: opts.all });
  return list;
}

/** A sync's label from the context (falls back to its id), its warehouse values isolate()d. */
export function syncLabel(context: PanelContext, syncId: string | null): string {
  if (syncId === null) return 'All syncs';
  const s = context.syncs.find((x) => x.syncId === syncId);
  return s ? `${isolate(s.label)} (sync ${isolate(syncId)})` : `Sync ${isolate(syncId)}`;
}

/** The header scope of a per-sync panel: the sync and its window. */
export function syncWindowScope(p: { syncId: string; days: number | null }, context: PanelContext): string {
  return p.syncId ? `${syncLabel(context, p.syncId)} · ${windowLabel(p.days)}` : 'Choose a sync';
}

/** The Sync and Window pickers every per-sync panel (flapping, model) starts its toolbar with. */
export function syncAndWindowPickers<P extends { syncId: string; days: number | null }>(
  p: P,
  context: PanelContext,
  update: (next: P) => void,
): HTMLElement[] {
  const options = syncOptions(context, { current: p.syncId || null });
  if (!p.syncId) options.unshift({ value: '', label: 'Choose a sync…' });
  return [
    select('Sync', options, p.syncId, (v) => v && update({ ...p, syncId: v }), { ctl: 'sync', testid: 'sync-select' }),
    windowPicker(p, update),
  ];
}

/** The Window picker (last day … all runs), alone for panels of all syncs. */
export function windowPicker<P extends { days: number | null }>(p: P, update: (next: P) => void): HTMLElement {
  return select(
    'Window',
    WINDOW_CHOICES.map((d) => ({ value: d === null ? '' : String(d), label: windowLabel(d) })),
    p.days === null ? '' : String(p.days),
    (v) => update({ ...p, days: v ? Number(v) : null }),
    { ctl: 'window', testid: 'window-select' },
  );
}

/**
 * A link back to Hightouch, or nothing when no workspace is set. The webview sends ids only; the
 * host checks them and builds the URL.
 */
export function vendorLink(context: PanelContext, target: VendorTarget, label?: string): HTMLElement | undefined {
  // Ids outside the link alphabet get no link: the host would refuse them anyway.
  if (!context.vendorLinks || !isVendorTarget(target)) return undefined;
  const title = target.kind === 'debugger' ? `${vendorLinkLabel(target)}. ${DEBUGGER_NOTE}` : vendorLinkLabel(target);
  return linkButton(label ?? vendorLinkLabel(target), () => send({ type: 'openVendor', target }), {
    title,
    className: 'vendor-link',
    testid: `vendor-${target.kind}`,
  });
}

export { PANEL_TITLES };
