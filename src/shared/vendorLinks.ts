/**
 * Links from the sync log back to Hightouch: a sync's page, a run's page and the run's live
 * debugger. Pure: the host builds every URL here from ids and settings, never from webview text.
 *
 * The paths are not documented as an API. What is public: the app lives at app.hightouch.com with
 * the workspace slug as the first path segment (links such as app.hightouch.com/<slug>/sources),
 * a sync's page has a Runs tab, a run opens its detail page, and the debugger is reached from that
 * page. The exact sync and run paths below are inferred from that, not confirmed: if Hightouch
 * moves them, PATHS is the one place to change.
 */

export const DEFAULT_HIGHTOUCH_BASE_URL = 'https://app.hightouch.com';

/**
 * What the debugger has that the sync log lacks, said once: the requests and responses Hightouch
 * exchanged with the destination, kept for seven days (the vendor's live-debugger docs).
 */
export const DEBUGGER_RETENTION_DAYS = 7;
export const DEBUGGER_NOTE = `Hightouch's live debugger shows the requests and responses sent to the destination, kept for ${DEBUGGER_RETENTION_DAYS} days; the sync log does not have them.`;

export type VendorTarget =
  | { kind: 'sync'; syncId: string }
  | { kind: 'run'; syncId: string; syncRunId: string }
  // Without a run: the sync's Runs tab, where each run opens its debugger.
  | { kind: 'debugger'; syncId: string; syncRunId?: string };

/**
 * Path templates after `<base>/<slug>`. The debugger has no page of its own that we can confirm:
 * it opens from the run's page, so a run's debugger link is that page.
 */
const PATHS = {
  sync: '/syncs/{syncId}',
  run: '/syncs/{syncId}/runs/{syncRunId}',
  debugger: '/syncs/{syncId}/runs/{syncRunId}',
  syncRuns: '/syncs/{syncId}/runs',
} as const;

/** Hightouch workspace slugs: lower-case letters, digits and hyphens (as in its URLs). */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;
/** Sync and run ids are integers in practice; anything else may be stored as text, so allow a safe id alphabet. */
const ID = /^[A-Za-z0-9_-]{1,100}$/;

export class VendorLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VendorLinkError';
  }
}

/** Why a slug setting is unusable, or undefined when it is a slug. */
export function slugProblem(slug: string): string | undefined {
  if (slug.trim() === '') return 'No Hightouch workspace is set (syncLogs.hightouchWorkspace).';
  if (!SLUG.test(slug.trim()))
    return `"${slug.slice(0, 60)}" is not a Hightouch workspace slug: use the part of the app's address after app.hightouch.com/, e.g. acme-prod.`;
  return undefined;
}

/** The base URL: https only, no credentials, query or fragment; trailing slashes dropped. */
export function checkedBaseUrl(base: string | undefined): string {
  const raw = (base ?? '').trim() || DEFAULT_HIGHTOUCH_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new VendorLinkError(`syncLogs.hightouchBaseUrl "${raw.slice(0, 80)}" is not a URL.`);
  }
  if (url.protocol !== 'https:') throw new VendorLinkError('syncLogs.hightouchBaseUrl must start with https://.');
  if (url.username || url.password || url.search || url.hash)
    throw new VendorLinkError('syncLogs.hightouchBaseUrl must be a plain address, without a user, query or fragment.');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function checkedId(id: string | undefined, what: string): string {
  if (id === undefined || !ID.test(id))
    throw new VendorLinkError(
      `The ${what} cannot be part of a Hightouch link: ${JSON.stringify(String(id).slice(0, 40))}.`,
    );
  return id;
}

/** The URL of a target in a workspace; throws VendorLinkError for a bad slug, base or id. */
export function vendorUrl(target: VendorTarget, workspace: string, baseUrl?: string): string {
  const problem = slugProblem(workspace);
  if (problem) throw new VendorLinkError(problem);
  const base = checkedBaseUrl(baseUrl);
  const syncId = checkedId(target.syncId, 'sync ID');
  const runId = target.kind === 'sync' ? undefined : target.syncRunId;
  const template =
    target.kind === 'sync'
      ? PATHS.sync
      : target.kind === 'run'
        ? PATHS.run
        : runId === undefined
          ? PATHS.syncRuns
          : PATHS.debugger;
  const path = template
    .replace('{syncId}', encodeURIComponent(syncId))
    .replace('{syncRunId}', () => encodeURIComponent(checkedId(runId, 'run ID')));
  return `${base}/${encodeURIComponent(workspace.trim())}${path}`;
}

/** What a link is called where it is offered (menus, tooltips). */
export function vendorLinkLabel(target: VendorTarget): string {
  switch (target.kind) {
    case 'sync':
      return 'Open the sync in Hightouch';
    case 'run':
      return 'Open the run in Hightouch';
    case 'debugger':
      return target.syncRunId === undefined
        ? "Open the sync's runs in Hightouch (live debugger)"
        : "Open the run's live debugger in Hightouch";
  }
}

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;
const isId = (v: unknown): v is string => typeof v === 'string' && ID.test(v);

/** Guards a target posted by a webview: ids only, each of the id alphabet; nothing else is read. */
export function isVendorTarget(t: unknown): t is VendorTarget {
  if (!isObject(t) || !isId(t.syncId)) return false;
  switch (t.kind) {
    case 'sync':
      return t.syncRunId === undefined;
    case 'run':
      return isId(t.syncRunId);
    case 'debugger':
      return t.syncRunId === undefined || isId(t.syncRunId);
    default:
      return false;
  }
}
