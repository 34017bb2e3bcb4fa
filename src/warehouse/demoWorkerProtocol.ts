import type { LoadProgress } from '../demo/loaderContract';
import type { QueryResult } from '../shared/queryResult';

/** Messages between the extension host and the worker thread that runs the embedded demo. */
export type ToDemoWorker =
  | { type: 'open'; storageDir: string }
  | { type: 'query'; id: number; sql: string; values: unknown[]; maxRows?: number; readOnly?: boolean }
  /** Drops a statement that has not started yet (a running one is stopped by ending the thread). */
  | { type: 'cancel'; id: number }
  | { type: 'close' };

export type FromDemoWorker =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'log'; line: string }
  | { type: 'opened' }
  | { type: 'openFailed'; error: SerializedError }
  | { type: 'result'; id: number; result: QueryResult }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'closed' };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  connectionLost?: boolean;
}

export function serializeError(err: unknown): SerializedError {
  const e = err as { name?: string; message?: string; code?: unknown; connectionLost?: unknown };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    code: typeof e?.code === 'string' ? e.code : undefined,
    connectionLost: e?.connectionLost === true ? true : undefined,
  };
}
