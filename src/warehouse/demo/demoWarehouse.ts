import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { LoadProgress } from '../../demo/loaderContract';
import { GENERATOR_VERSION, loadSyncLog } from '../../demo/loader';
import { DEFAULT_SCHEMA } from '../../shared/connection';
import type { QueryResult, ResultColumn } from '../../shared/queryResult';
import { postgresDialect } from '../../sql/dialect';
import { deleteDemoData, demoPaths } from './demoStorage';
import { describeHolder, tryLock } from './demoLock';
import { toWarehouseError } from '../postgres/pgErrors';
import {
  KNOWN_TYPE_OIDS,
  normalizeCell,
  normalizeCellKeepingJson,
  pgTypeName,
  PG_SESSION_SETTINGS_SQL,
} from '../postgres/pgTypes';
import { PGLITE_SILENT_FAILURE_MESSAGE, pgliteFailedSilently } from './pgliteSilentFailure';
import { splitStatements } from '../../sql/statementAtCursor';
import {
  QueryCancelledError,
  type QueryOptions,
  type RowBatch,
  type StreamOptions,
  type Warehouse,
} from '../warehouse';

/** Cells arrive as Postgres text and are normalised by pgTypes, exactly as from a real server. */
const TEXT_PARSERS = Object.fromEntries(KNOWN_TYPE_OIDS.map((oid) => [oid, (text: string) => text]));
const QUERY_OPTIONS = { rowMode: 'array' as const, parsers: TEXT_PARSERS };

/** How long a second window waits for the first to finish building the demo before giving up. */
const WAIT_FOR_BUILD_MS = 5 * 60_000;
const WAIT_POLL_MS = 1000;

interface VersionFile {
  version: string;
  builtAt: string;
  buildMs: number;
}

export interface OpenDemoOptions {
  /** The lock's nonce: the worker's host passes one so it can release what a worker it ended left. */
  lockToken?: string;
  /** How long to wait for another window's build (5 min), and how often to look (1 s); for tests. */
  waitMs?: number;
  pollMs?: number;
}

/**
 * Opens the embedded demo sync log: a PGlite data dir in `storageDir`, built by the demo loader on
 * first use (seconds) and reopened afterwards (about a second). `demo-version.json` is written only
 * after a build completes, so an interrupted build or one from an older generator is rebuilt.
 *
 * Only one process may open a data dir. The first takes a lock file; another process (a second
 * VS Code window) opens a private copy of the built data dir instead, or waits while the first
 * is still building it (saying so through `onProgress`, and up to a deadline).
 */
export async function openDemoWarehouse(
  storageDir: string,
  onProgress?: (p: LoadProgress) => void,
  log: (line: string) => void = (line) => console.warn(line),
  options: OpenDemoOptions = {},
): Promise<Warehouse> {
  await mkdir(storageDir, { recursive: true });
  const paths = demoPaths(storageDir);
  const waitMs = options.waitMs ?? WAIT_FOR_BUILD_MS;
  const waitStarted = Date.now();
  for (;;) {
    const lock = await tryLock(paths.lockFile, GENERATOR_VERSION, { token: options.lockToken });
    if (lock.acquired) {
      try {
        const db = await openOrBuild(storageDir, onProgress, log);
        return new DemoWarehouse(db, lock.release);
      } catch (err) {
        await lock.release();
        throw err;
      }
    }
    if (lock.holder.version !== GENERATOR_VERSION) {
      log(
        `Demo data is held by another window (pid ${lock.holder.pid}) built by another version; building a private demo.`,
      );
      return openPrivate(async (dir) => build(dir, onProgress), log);
    }
    if ((await readVersion(paths.versionFile)) === GENERATOR_VERSION && existsSync(paths.dataDir)) {
      log(`Demo data is in use by another window (pid ${lock.holder.pid}); opening a private copy.`);
      return openPrivate(async (dir) => {
        await cp(paths.dataDir, dir, { recursive: true });
        return openPglite(dir);
      }, log);
    }
    // The holder is still building: wait for it (each turn looks again whether it died), in view.
    const holder = describeHolder(lock.holder);
    if (Date.now() - waitStarted >= waitMs) {
      throw new Error(
        `Gave up after ${Math.round(waitMs / 1000)} s waiting for another VS Code window (${holder}) to finish building the demo data. ` +
          `Close that window and try again; if no other window is open, delete ${paths.lockFile}.`,
      );
    }
    onProgress?.({
      phase: 'waiting',
      rowsWritten: 0,
      message: `Waiting for another VS Code window to release the demo (${holder})`,
    });
    await new Promise((r) =>
      setTimeout(r, Math.min(options.pollMs ?? WAIT_POLL_MS, Math.max(1, waitMs - (Date.now() - waitStarted)))),
    );
  }
}

async function openOrBuild(
  storageDir: string,
  onProgress: ((p: LoadProgress) => void) | undefined,
  log: (line: string) => void,
): Promise<PGlite> {
  const { dataDir, versionFile } = demoPaths(storageDir);
  if ((await readVersion(versionFile)) === GENERATOR_VERSION && existsSync(dataDir)) {
    try {
      return await openPglite(dataDir);
    } catch (err) {
      log(`The demo data could not be opened (${(err as Error).message}); rebuilding it.`);
    }
  }
  await deleteDemoData(storageDir);
  const started = Date.now();
  const db = await build(dataDir, onProgress);
  const marker: VersionFile = {
    version: GENERATOR_VERSION,
    builtAt: new Date().toISOString(),
    buildMs: Date.now() - started,
  };
  // Written whole or not at all: a half-written marker must not vouch for the data.
  await writeFile(`${versionFile}.tmp`, JSON.stringify(marker, null, 2));
  await rename(`${versionFile}.tmp`, versionFile);
  return db;
}

async function build(dataDir: string, onProgress: ((p: LoadProgress) => void) | undefined): Promise<PGlite> {
  const db = await openPglite(dataDir);
  let walFile: string;
  try {
    await loadSyncLog(db, { schema: DEFAULT_SCHEMA, scale: 1, onProgress });
    // Everything on disk before the version file says the build is complete.
    await db.exec('checkpoint');
    walFile = (await db.query<{ f: string }>('select pg_walfile_name(pg_current_wal_lsn()) as f')).rows[0].f;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  await db.close();
  await trimRecycledWal(dataDir, walFile);
  return openPglite(dataDir);
}

/**
 * The load leaves about 250 MB of pre-allocated WAL segments behind (half the data dir) that a
 * read-mostly demo never needs. After a clean close, only the current segment and the next (where
 * the shutdown checkpoint may have landed) matter; later ones are recycled spares Postgres recreates.
 */
export async function trimRecycledWal(dataDir: string, currentSegment: string): Promise<void> {
  const walDir = join(dataDir, 'pg_wal');
  const keepUpTo = nextSegment(currentSegment);
  for (const name of await readdir(walDir)) {
    if (/^[0-9A-F]{24}$/.test(name) && name.slice(0, 8) === currentSegment.slice(0, 8) && name > keepUpTo) {
      await rm(join(walDir, name), { force: true });
    }
  }
}

/** The segment after `name` on the same timeline (16 MB segments: 256 per "log" file number). */
export function nextSegment(name: string): string {
  const tli = name.slice(0, 8);
  const log = parseInt(name.slice(8, 16), 16);
  const seg = parseInt(name.slice(16, 24), 16);
  const [nlog, nseg] = seg === 0xff ? [log + 1, 0] : [log, seg + 1];
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
  return `${tli}${hex(nlog)}${hex(nseg)}`;
}

async function openPglite(dir: string): Promise<PGlite> {
  const db = new PGlite(dir);
  await db.waitReady;
  await db.exec(PG_SESSION_SETTINGS_SQL);
  return db;
}

/** A demo in a temporary directory of its own, removed on close. */
async function openPrivate(make: (dir: string) => Promise<PGlite>, log: (line: string) => void): Promise<Warehouse> {
  const dir = await mkdtemp(join(tmpdir(), 'synclogs-demo-'));
  try {
    const db = await make(join(dir, 'pgdata'));
    log(`Opened a private demo at ${dir}; it is deleted when closed.`);
    return new DemoWarehouse(db, () => rm(dir, { recursive: true, force: true }));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function readVersion(versionFile: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(versionFile, 'utf8')) as VersionFile).version;
  } catch {
    return undefined;
  }
}

/**
 * PGlite runs Postgres single-threaded in WebAssembly: statements run one at a time, in order.
 * An abort rejects at once and drops the statement if it has not started; a running statement
 * cannot be interrupted in WebAssembly and finishes in the background before the next one runs.
 */
class DemoWarehouse implements Warehouse {
  readonly kind = 'demo' as const;
  readonly dialect = postgresDialect;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly db: PGlite,
    private readonly onClose: () => Promise<void>,
  ) {}

  query(sql: string, values: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    const { signal } = options;
    if (this.closed) return Promise.reject(new Error('The demo connection is closed.'));
    if (signal?.aborted) return Promise.reject(new QueryCancelledError());
    const run = this.queue.then(() => {
      if (signal?.aborted) throw new QueryCancelledError();
      return this.run(sql, values, options);
    });
    this.queue = run.catch(() => undefined);
    if (!signal) return run;
    return new Promise<QueryResult>((resolve, reject) => {
      const onAbort = () => reject(new QueryCancelledError());
      signal.addEventListener('abort', onAbort, { once: true });
      run.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /**
   * Every row, a batch per FETCH from a SQL cursor, holding the engine (its one session) until the
   * stream ends or the consumer stops: other queries wait their turn, as they do behind any query.
   * What cannot be a cursor's query (a write, several statements, an error) runs as written and
   * comes out in batches of its whole result (the demo is small; the error keeps its position).
   */
  async *stream(
    sql: string,
    values: readonly unknown[] = [],
    options: StreamOptions = {},
  ): AsyncGenerator<RowBatch, void, undefined> {
    const { signal } = options;
    const batchRows = Math.max(1, Math.floor(options.batchRows ?? 5_000));
    const toCell = options.jsonAsText ? normalizeCellKeepingJson : normalizeCell;
    if (this.closed) throw new Error('The demo connection is closed.');
    let release!: () => void;
    const turn = this.queue;
    this.queue = turn.then(() => new Promise<void>((resolve) => (release = resolve)));
    await turn;
    let stopped = false;
    try {
      if (signal?.aborted) throw new QueryCancelledError();
      await this.db.exec('begin');
      let declared = true;
      try {
        await this.db.query(`declare synclogs_stream no scroll cursor for ${sql}`, [...values], QUERY_OPTIONS);
      } catch {
        declared = false;
        await this.db.exec('rollback');
      }
      if (!declared) {
        const whole = await this.run(sql, values, {});
        if (whole.columns.length === 0) {
          yield { columns: [], rows: [], command: whole.command, affected: whole.rowCount };
          return;
        }
        for (let i = 0; i < whole.rows.length || i === 0; i += batchRows)
          yield { columns: whole.columns, rows: whole.rows.slice(i, i + batchRows) };
        return;
      }
      let first = true;
      for (;;) {
        if (signal?.aborted) throw new QueryCancelledError();
        let page;
        try {
          // The simple protocol (exec), not a prepared FETCH: on a value PGlite cannot print (jsonb
          // nested past its stack), a prepared FETCH spins in the engine, while exec comes back
          // without a command tag, which is caught below.
          const answers = await this.db.exec(`fetch forward ${batchRows} from synclogs_stream`, QUERY_OPTIONS);
          if (pgliteFailedSilently(answers, 'fetch')) {
            stopped = true;
            throw new Error(PGLITE_SILENT_FAILURE_MESSAGE);
          }
          page = answers[answers.length - 1];
        } catch (err) {
          if (stopped) throw err;
          throw toWarehouseError(err, { sql });
        }
        const columns: ResultColumn[] = page.fields.map((f) => ({ name: f.name, type: pgTypeName(f.dataTypeID) }));
        const oids = page.fields.map((f) => f.dataTypeID);
        const raw = page.rows as unknown as unknown[][];
        // An empty result still says its columns (a CSV export writes its header).
        if (raw.length === 0 && !first) return;
        first = false;
        yield { columns, rows: raw.map((row) => row.map((cell, i) => toCell(cell, oids[i]))) };
        if (raw.length < batchRows) return;
      }
    } finally {
      // After a silent failure the engine may hang on its next statement: the rollback is left out.
      if (!stopped && this.db.isInTransaction()) await this.db.exec('rollback').catch(() => undefined);
      release();
    }
  }

  /**
   * The first maxRows rows (and one more, to know there are more) of a single query, as
   * `select * from (<it>) limit maxRows + 1`: a capped `select *` of the whole changelog costs what a
   * LIMIT costs, and the rest is never produced nor copied out of WebAssembly. Not a cursor: a
   * FETCH of JSON nested past PGlite's stack hangs the engine, where a plain statement comes back
   * empty (and is reported). Undefined for anything else (a write, several statements, an error):
   * the caller runs the text as written, which reports a real error rightly.
   */
  private async firstRows(
    sql: string,
    values: readonly unknown[],
    maxRows: number,
    readOnly: boolean | undefined,
    started: number,
  ): Promise<QueryResult | undefined> {
    const statements = splitStatements(sql, postgresDialect.lexical);
    if (statements.length !== 1 || !/^(select|with|values|table)\b/i.test(statements[0].text)) return undefined;
    let page;
    try {
      if (readOnly) await this.db.exec('begin transaction read only');
      page = await this.db.query<unknown[]>(
        `select * from (\n${statements[0].text}\n) as synclogs_first_rows limit ${Math.floor(maxRows) + 1}`,
        [...values],
        QUERY_OPTIONS,
      );
    } catch {
      if (this.db.isInTransaction()) await this.db.exec('rollback');
      return undefined;
    }
    // No columns and no rows from a SELECT: PGlite's silent failure (its engine is unusable for a
    // moment after it; running the text again would only report a confused error).
    if (page.fields.length === 0 && page.rows.length === 0) throw new Error(PGLITE_SILENT_FAILURE_MESSAGE);
    if (page.fields.length === 0) return undefined;
    const columns: ResultColumn[] = page.fields.map((f) => ({ name: f.name, type: pgTypeName(f.dataTypeID) }));
    const oids = page.fields.map((f) => f.dataTypeID);
    const raw = page.rows as unknown as unknown[][];
    const more = raw.length > maxRows;
    const rows = (more ? raw.slice(0, maxRows) : raw).map((row) => row.map((cell, i) => normalizeCell(cell, oids[i])));
    const elapsedMs = Math.round(performance.now() - started);
    return more
      ? { columns, rows, rowCount: raw.length, rowCountExact: false, truncated: true, elapsedMs }
      : { columns, rows, rowCount: rows.length, truncated: false, elapsedMs };
  }

  private async run(
    sql: string,
    values: readonly unknown[],
    { maxRows = Number.POSITIVE_INFINITY, readOnly }: QueryOptions,
  ): Promise<QueryResult> {
    const started = performance.now();
    try {
      if (Number.isFinite(maxRows)) {
        const first = await this.firstRows(sql, values, maxRows, readOnly, started);
        if (first) return first;
        if (this.db.isInTransaction()) await this.db.exec('rollback');
      }
      if (readOnly) await this.db.exec('begin transaction read only');
      // exec runs every statement of a multi-statement text; bound values need the one-statement protocol.
      const results = values.length
        ? [await this.db.query<unknown[]>(sql, [...values], QUERY_OPTIONS)]
        : await this.db.exec(sql, QUERY_OPTIONS);
      if (pgliteFailedSilently(results, sql)) throw new Error(PGLITE_SILENT_FAILURE_MESSAGE);
      const last = results[results.length - 1];
      const columns: ResultColumn[] = (last?.fields ?? []).map((f) => ({
        name: f.name,
        type: pgTypeName(f.dataTypeID),
      }));
      const elapsedMs = Math.round(performance.now() - started);
      if (!last || columns.length === 0) {
        return {
          columns,
          rows: [],
          rowCount: last?.rowCount ?? last?.affectedRows ?? 0,
          truncated: false,
          elapsedMs,
          command: last?.command,
        };
      }
      const all = last.rows as unknown as unknown[][];
      const oids = last.fields.map((f) => f.dataTypeID);
      const rows = all.slice(0, maxRows).map((row) => row.map((cell, i) => normalizeCell(cell, oids[i])));
      return { columns, rows, rowCount: all.length, truncated: all.length > rows.length, elapsedMs };
    } catch (err) {
      throw toWarehouseError(err, { sql });
    } finally {
      // One session serves every caller: a transaction left open (read-only wrapper, a user's BEGIN,
      // a failed statement inside one) would leak into the next query.
      if (this.db.isInTransaction()) await this.db.exec('rollback').catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    try {
      await this.db.close();
    } finally {
      await this.onClose();
    }
  }
}
