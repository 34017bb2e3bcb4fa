import type { CategoryDef } from '../shared/analysisData';

// Texts cross the thread boundary packed: one string and the lengths of its parts. Cloning one
// long string is a copy; cloning thousands of small strings and objects cost as much as the
// classification it was meant to share.

/**
 * To the classifier worker: texts to classify with these (already validated) category
 * definitions. Both threads take chunks of `chunk` texts by advancing `next` (shared memory), so
 * neither waits for the other when one runs slower.
 */
export interface ClassifyRequest {
  id: number;
  texts: Packed;
  defs: CategoryDef[];
  next: Int32Array;
  chunk: number;
}

/** From the worker: the chunks it took (their first text's index), and per text in those chunks its template and its category as an index into defs (NO_CATEGORY: unexpected). */
export type ClassifyReply = { id: number; starts: Uint32Array; templates: Packed; categories: Uint16Array } | { id: number; error: string };

export const NO_CATEGORY = 0xffff;

export interface Packed {
  joined: string;
  lengths: Uint32Array;
}

export function pack(parts: readonly string[]): Packed {
  const lengths = new Uint32Array(parts.length);
  for (let i = 0; i < parts.length; i++) lengths[i] = parts[i].length;
  return { joined: parts.join(''), lengths };
}

/** The i-th part of a packed string, sliced when asked for (a worker needs only the chunks it takes). */
export function partOf({ joined, lengths }: Packed): (i: number) => string {
  const starts = new Float64Array(lengths.length);
  for (let i = 1; i < lengths.length; i++) starts[i] = starts[i - 1] + lengths[i - 1];
  return (i) => joined.slice(starts[i], starts[i] + lengths[i]);
}

export function unpack(packed: Packed): string[] {
  const part = partOf(packed);
  return Array.from({ length: packed.lengths.length }, (_, i) => part(i));
}

/** Takes the next chunk: its first index, or -1 when every chunk is taken. */
export function takeChunk(next: Int32Array, chunk: number, total: number): number {
  const start = Atomics.add(next, 0, chunk);
  return start < total ? start : -1;
}
