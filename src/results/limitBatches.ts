import type { RowBatch } from '../warehouse/warehouse';

/** A stream cut at `maxRows` rows; `more()` says, once it ends, whether the statement had more. */
export interface LimitedBatches {
  batches: AsyncGenerator<RowBatch, void, undefined>;
  more(): boolean;
}

/**
 * The batches of `source` up to `maxRows` rows. The row after the cap is the sign there are more;
 * on it the loop over `source` ends, which closes the statement in the warehouse, so nothing past
 * the cap's batch is fetched.
 */
export function limitBatches(source: AsyncIterable<RowBatch>, maxRows: number): LimitedBatches {
  let more = false;
  async function* cut(): AsyncGenerator<RowBatch, void, undefined> {
    let kept = 0;
    for await (const batch of source) {
      const room = maxRows - kept;
      if (batch.rows.length > room) {
        more = true;
        if (room > 0) yield { ...batch, rows: batch.rows.slice(0, room) };
        return;
      }
      kept += batch.rows.length;
      yield batch;
    }
  }
  return { batches: cut(), more: () => more };
}
