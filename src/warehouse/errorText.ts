import { QueryCancelledError } from './warehouse';

/** The driver's message plus the detail and hint Postgres adds, when present. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { detail, hint } = err as { detail?: unknown; hint?: unknown };
  return [
    err.message,
    typeof detail === 'string' && detail ? `Detail: ${detail}` : '',
    typeof hint === 'string' && hint ? `Hint: ${hint}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** SQLSTATE or driver code, when the error has one. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code ? code : undefined;
}

export const isCancelled = (err: unknown): boolean =>
  err instanceof QueryCancelledError || (err as Error | undefined)?.name === 'QueryCancelledError';
