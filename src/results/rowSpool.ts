import { closeSync, mkdtempSync, openSync, readSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { HeldRows } from './heldRows';
import { approxRowBytes } from './rowBytes';

export interface RowSpoolOptions {
  /** Estimated bytes of rows kept in memory; the rows after them go to a file. */
  budgetBytes: number;
  /** The folder under which each spool makes its own (removed on dispose): the OS temp folder in the extension. */
  dir: string;
  /** Rows per block on disk; one read decodes one block. */
  blockRows?: number;
}

/** Folders of spools are named for the process that made them, so a later one can sweep what a crash left. */
const PREFIX = 'synclogs-spool-';
const DEFAULT_BLOCK_ROWS = 256;
/** Decoded blocks kept for reads: a grid window of a few hundred rows spans two or three. */
const CACHE_BLOCKS = 8;

/**
 * A result's rows, the first ones in memory up to a budget and the rest in a temporary file, read
 * back by index. Written as blocks of v8-serialized rows (cells are JSON-like values; v8's format
 * keeps them exactly and decodes faster than JSON.parse) with an offset per block, so the index
 * costs 8 bytes per block, not per row. Reads and writes are synchronous: a block is a few hundred
 * kilobytes at most, and the grid asks for one window at a time.
 */
export class RowSpool implements HeldRows {
  private readonly head: unknown[][] = [];
  private headBytes = 0;
  private spilling = false;
  /** Rows after the head not yet written: fewer than a block, read from here. */
  private pending: unknown[][] = [];
  /** Byte offset of each block's start, and one past the last block's end. */
  private readonly offsets: number[] = [0];
  private fd: number | undefined;
  private folder: string | undefined;
  private readonly cache = new Map<number, unknown[][]>();
  private total = 0;
  private disposed = false;
  private readonly blockRows: number;

  constructor(private readonly options: RowSpoolOptions) {
    this.blockRows = Math.max(1, options.blockRows ?? DEFAULT_BLOCK_ROWS);
  }

  get count(): number {
    return this.total;
  }

  get inMemory(): boolean {
    return !this.spilling;
  }

  /** Bytes written to the spool file so far (0 while every row fits the budget). */
  get fileBytes(): number {
    return this.offsets[this.offsets.length - 1];
  }

  /** Rows held in memory: the head within the budget, and the block being filled. */
  get rowsInMemory(): number {
    return this.head.length + this.pending.length;
  }

  /** The spool file's folder once rows went to disk (for messages and tests). */
  get path(): string | undefined {
    return this.folder;
  }

  append(rows: readonly unknown[][]): void {
    if (this.disposed) throw new Error('The result was closed.');
    for (const row of rows) {
      this.total++;
      if (!this.spilling) {
        const bytes = approxRowBytes(row);
        if (this.headBytes + bytes <= this.options.budgetBytes) {
          this.head.push(row);
          this.headBytes += bytes;
          continue;
        }
        this.spilling = true;
      }
      this.pending.push(row);
      if (this.pending.length >= this.blockRows) this.writeBlock();
    }
  }

  row(index: number): readonly unknown[] {
    if (this.disposed) throw new Error('The result was closed.');
    if (index < 0 || index >= this.total || !Number.isInteger(index)) return [];
    if (index < this.head.length) return this.head[index];
    const spooled = index - this.head.length;
    const block = Math.floor(spooled / this.blockRows);
    const written = this.offsets.length - 1;
    if (block >= written) return this.pending[spooled - written * this.blockRows] ?? [];
    return this.readBlock(block)[spooled % this.blockRows] ?? [];
  }

  slice(start: number, end: number): unknown[][] {
    const out: unknown[][] = [];
    const to = Math.min(end, this.total);
    for (let i = Math.max(0, start); i < to; i++) out.push(this.row(i) as unknown[]);
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.head.length = 0;
    this.pending = [];
    this.cache.clear();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.folder) rmSync(this.folder, { recursive: true, force: true });
  }

  private writeBlock(): void {
    const bytes = serialize(this.pending);
    this.pending = [];
    if (this.fd === undefined) {
      try {
        this.folder = mkdtempSync(join(this.options.dir, `${PREFIX}${process.pid}-`));
        this.fd = openSync(join(this.folder, 'rows.v8'), 'w+');
      } catch (err) {
        throw spoolError(this.options.dir, err);
      }
    }
    let at = this.fileBytes;
    let done = 0;
    try {
      while (done < bytes.length) {
        const n = writeSync(this.fd, bytes, done, bytes.length - done, at);
        done += n;
        at += n;
      }
    } catch (err) {
      throw spoolError(this.folder ?? this.options.dir, err);
    }
    this.offsets.push(at);
  }

  private readBlock(block: number): unknown[][] {
    const cached = this.cache.get(block);
    if (cached) {
      // Most recently read last, so the oldest is the first key.
      this.cache.delete(block);
      this.cache.set(block, cached);
      return cached;
    }
    const start = this.offsets[block];
    const length = this.offsets[block + 1] - start;
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd as number, buffer, done, length - done, start + done);
      if (n === 0) throw new Error(`The result's spool file ended early (block ${block}): run the query again.`);
      done += n;
    }
    const rows = deserialize(buffer) as unknown[][];
    this.cache.set(block, rows);
    if (this.cache.size > CACHE_BLOCKS) this.cache.delete(this.cache.keys().next().value as number);
    return rows;
  }
}

function spoolError(where: string, err: unknown): Error {
  const code = (err as { code?: string }).code;
  const why = code === 'ENOSPC' ? 'the disk is full' : ((err as Error).message ?? String(err));
  return new Error(
    `The result is larger than syncLogs.resultMemoryBudgetMB, and writing the rest to ${where} failed (${why}): ` +
      'free some disk space, or lower syncLogs.maxResultRows.',
  );
}

/** Where results spool: the OS temp folder, which the OS also cleans. */
export function defaultSpoolDir(): string {
  return tmpdir();
}

/**
 * Removes spool folders left by processes that are gone (a crashed or killed extension host).
 * Folders of living processes stay: another window's results are in them.
 */
export function sweepStaleSpools(dir: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed++;
    } catch {
      // Another window may be sweeping the same folder.
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as { code?: string }).code === 'EPERM';
  }
}
