/**
 * Streamed batches written as a Parquet file, one row group at a time: rows are gathered per
 * column until a row group is full (by rows or by an estimate of its bytes), encoded, handed to
 * `write` and dropped, so memory holds one row group whatever the result's size.
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { RowBatch } from '../warehouse/warehouse';
import { cellConverter, parquetKind, schemaElement, uniqueNames, type ParquetSchemaElement } from './parquetColumns';

export interface ParquetExportOptions {
  /** Rows per row group at most (default 100,000, the size readers expect). */
  rowGroupRows?: number;
  /** Estimated bytes of text per row group at most (default 32 MiB): wide rows make smaller groups. */
  rowGroupBytes?: number;
}

/**
 * hyparquet's ByteWriter whose flush (called after each row group) hands the bytes so far to
 * `write` and starts again at the buffer's beginning: the file never sits in memory.
 */
class SinkWriter extends ByteWriter {
  constructor(private readonly write: (bytes: Uint8Array) => Promise<void>) {
    super(1 << 20);
  }

  flush(): Promise<void> {
    if (this.index === 0) return Promise.resolve();
    // A copy: the buffer is written over by the next row group while the stream may still hold it.
    const bytes = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return this.write(bytes);
  }

  // ByteWriter declares finish() void, but ParquetWriter.finish() returns what this returns, so
  // the caller's await covers the file's last bytes.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  override finish(): Promise<void> {
    return this.flush();
  }
}

/** A cell's rough size in bytes, for cutting row groups: text counts its length, the rest 8. */
const cellBytes = (v: unknown): number => (typeof v === 'string' ? v.length + 4 : 8);

/**
 * Writes every batch into one Parquet file through `write` (awaited: the output's back-pressure
 * holds the fetch back). The schema comes from the first batch's columns; a statement without
 * rows (DDL) writes a file without columns. `onRows` hears the running count after each batch.
 */
export async function writeParquetBatches(
  batches: AsyncIterable<RowBatch>,
  write: (bytes: Uint8Array) => Promise<void>,
  onRows?: (rows: number) => void,
  options: ParquetExportOptions = {},
): Promise<{ rows: number; command?: string; affected?: number }> {
  const maxRows = options.rowGroupRows ?? 100_000;
  const maxBytes = options.rowGroupBytes ?? 32 * 1024 * 1024;
  const sink = new SinkWriter(write);
  let writer: ParquetWriter | undefined;
  let names: string[] = [];
  let converters: ((value: unknown) => unknown)[] = [];
  let columns: unknown[][] = [];
  let groupBytes = 0;
  let rows = 0;
  let command: string | undefined;
  let affected: number | undefined;

  const start = (batch: RowBatch) => {
    names = uniqueNames(batch.columns.map((c) => c.name));
    const kinds = batch.columns.map((c) => parquetKind(c.type));
    const schema: ParquetSchemaElement[] = [
      { name: 'root', num_children: names.length },
      ...names.map((name, i) => schemaElement(name, kinds[i])),
    ];
    converters = names.map((name, i) => cellConverter(batch.columns[i].name || name, kinds[i]));
    columns = names.map(() => []);
    writer = new ParquetWriter({ writer: sink, schema, createdBy: 'Sync Logs Explorer (hyparquet-writer)' });
  };

  const flushGroup = async () => {
    if (!writer || columns.length === 0 || columns[0].length === 0) return;
    const columnData = names.map((name, i) => ({ name, data: columns[i] }));
    columns = names.map(() => []);
    groupBytes = 0;
    // One call, one row group: its size is the rows gathered.
    await writer.write({ columnData, rowGroupSize: columnData[0].data.length });
  };

  for await (const batch of batches) {
    if (batch.columns.length === 0) {
      command = batch.command;
      affected = batch.affected;
      continue;
    }
    if (!writer) start(batch);
    const n = names.length;
    for (const row of batch.rows) {
      for (let i = 0; i < n; i++) {
        const v = row[i];
        columns[i].push(converters[i](v));
        groupBytes += cellBytes(v);
      }
      rows++;
      if (columns[0].length >= maxRows || groupBytes >= maxBytes) await flushGroup();
    }
    onRows?.(rows);
  }
  await flushGroup();
  writer ??= new ParquetWriter({ writer: sink, schema: [{ name: 'root', num_children: 0 }] });
  await writer.finish();
  return { rows, command, affected };
}
