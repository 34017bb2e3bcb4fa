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
export type ClassifyReply =
  { id: number; starts: Uint32Array; templates: Packed; categories: Uint16Array } | { id: number; error: string };

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

// ---------------------------------------------------------------- user patterns, under a time budget

/**
 * To the worker: match user patterns only (the host does templates and the vetted defaults), text
 * by text in `order`, each pattern in turn until one matches. Before each (text, pattern) step
 * the worker publishes where it is in `progress`, so the host's watchdog can tell a pattern that
 * has been running too long on one text, stop the worker, and go on without that pattern.
 */
export interface UserMatchRequest {
  kind: 'user';
  id: number;
  texts: Packed;
  /** Indexes into `texts`, in the order to match them. */
  order: Uint32Array;
  /** In the order to try them; `index` is the category's place in the caller's list, written to `results`. */
  patterns: { index: number; pattern: string }[];
  /** Shared, PROGRESS_SLOTS long: see the PROGRESS_* slots. */
  progress: Int32Array;
  /** Shared, one per text: the index of the first pattern that matched, or NO_MATCH. Written before the worker moves to the next text. */
  results: Int32Array;
}

/** From the worker: every text in `order` matched, or a pattern threw on one (e.g. a stack overflow). */
export type UserMatchReply = { id: number; done: true } | { id: number; failed: { index: number; message: string } };

export const NO_MATCH = -1;

/** progress[PROGRESS_STATE]: STATE_STARTING until the worker reads the request, then STATE_RUNNING, then STATE_DONE. */
export const PROGRESS_STATE = 0;
/** The position in `order` of the text being matched; every text before it has its result. */
export const PROGRESS_POS = 1;
/** The `index` of the pattern being tried. */
export const PROGRESS_PATTERN = 2;
/** Counts (text, pattern) steps: a value that stays the same means one step is still running. */
export const PROGRESS_STEP = 3;
export const PROGRESS_SLOTS = 4;
export const STATE_STARTING = 0;
export const STATE_RUNNING = 1;
export const STATE_DONE = 2;
