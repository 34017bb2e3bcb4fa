/**
 * The checks every adapter's stream() must pass, run against a protocol fake serving a large
 * result of rows (n, 'row n'): the first batch alone, every row counted, a cancel mid-stream, and
 * a connection dropped mid-stream.
 */
import assert from 'node:assert/strict';
import type { RowBatch, Warehouse } from '../../src/warehouse/warehouse';

/** The first batch, then stop (as the grid's first page or `head` would). */
export async function firstBatch(wh: Warehouse, sql: string, batchRows: number): Promise<RowBatch> {
  assert.ok(wh.stream, `${wh.kind} has no stream()`);
  for await (const batch of wh.stream(sql, [], { batchRows })) return batch;
  throw new Error('the stream ended without a batch');
}

/** Every row: how many, and the first cell of the last one. */
export async function drain(wh: Warehouse, sql: string, batchRows: number): Promise<{ count: number; last: unknown }> {
  assert.ok(wh.stream, `${wh.kind} has no stream()`);
  let count = 0;
  let last: unknown;
  for await (const batch of wh.stream(sql, [], { batchRows })) {
    count += batch.rows.length;
    if (batch.rows.length) last = batch.rows[batch.rows.length - 1][0];
  }
  return { count, last };
}

/**
 * Aborts after `batches` batches and waits for the stream to end. Returns the error it ended with,
 * how long that took after the abort, and the rows read before (an "at least" count).
 */
export async function cancelAfter(
  wh: Warehouse,
  sql: string,
  batches: number,
  batchRows: number,
  onAbort: () => void = () => undefined,
): Promise<{ error: unknown; ms: number; rowsRead: number }> {
  assert.ok(wh.stream, `${wh.kind} has no stream()`);
  const controller = new AbortController();
  let seen = 0;
  let rowsRead = 0;
  let abortedAt = 0;
  try {
    for await (const batch of wh.stream(sql, [], { batchRows, signal: controller.signal })) {
      rowsRead += batch.rows.length;
      if (++seen === batches) {
        abortedAt = performance.now();
        controller.abort();
        onAbort();
      }
    }
  } catch (error) {
    return { error, ms: performance.now() - abortedAt, rowsRead };
  }
  throw new Error(`the stream ended normally after ${rowsRead} rows despite the abort`);
}

/** Reads until the stream fails; returns the error and how long the whole read took. */
export async function readUntilError(
  wh: Warehouse,
  sql: string,
  batchRows: number,
): Promise<{ error: unknown; ms: number }> {
  assert.ok(wh.stream, `${wh.kind} has no stream()`);
  const started = performance.now();
  try {
    for await (const batch of wh.stream(sql, [], { batchRows })) void batch;
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('the stream ended normally, expected a failure');
}
