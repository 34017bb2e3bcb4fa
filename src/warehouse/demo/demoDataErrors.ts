import { WarehouseError } from '../warehouseError';

/** The title of COMMANDS.rebuildDemo, which deletes the demo's data dir so the next open builds it again. */
export const REBUILD_DEMO_TITLE = 'Sync Logs: Rebuild Demo Data';

/** What the worker reports about a failed statement (see SerializedError). */
export interface DemoFailure {
  name: string;
  message: string;
  code?: string;
  severity?: string;
  causeName?: string;
}

// data_corrupted, index_corrupted, io_error, undefined_file (a relation file missing from the data dir).
const DAMAGE_CODES = new Set(['XX001', 'XX002', '58030', '58P01']);

/**
 * Whether a failure says the demo's data dir is damaged, which only rebuilding it cures. Judged by
 * SQLSTATE, severity and the WebAssembly engine's own error names, never by words inside the
 * message: a user's statement can put any words into an error message.
 */
export function isDemoDataDamage(f: DemoFailure): boolean {
  if (f.code !== undefined && DAMAGE_CODES.has(f.code)) return true;
  if (f.severity === 'PANIC') return true;
  return isEngineAbort(f);
}

/** PGlite's WebAssembly trapped or aborted: that instance cannot run anything else. */
export function isEngineAbort(f: DemoFailure): boolean {
  // Postgres errors always carry a SQLSTATE: a message without one comes from the engine itself.
  return (
    f.name === 'RuntimeError' ||
    f.causeName === 'RuntimeError' ||
    (f.code === undefined && /^Aborted\(/.test(f.message))
  );
}

/** An error whose message says to rebuild the demo, and that the UI can offer to rebuild for. */
export class DemoDataDamagedError extends WarehouseError {
  /** Read by the UI to offer Rebuild Demo Data (COMMANDS.rebuildDemo) next to the message. */
  readonly rebuildDemo = true;

  constructor(original: string, code: string | undefined) {
    super(
      `The demo data is damaged (${original.replace(/\.$/, '')}). Run "${REBUILD_DEMO_TITLE}" to build it again from scratch; it takes a few seconds.`,
      code,
    );
    this.name = 'DemoDataDamagedError';
  }
}

/** True for errors that come with an offer to rebuild the demo. */
export function offersDemoRebuild(err: unknown): boolean {
  return (err as { rebuildDemo?: unknown } | undefined)?.rebuildDemo === true;
}
