import { errorCode, errorMessage, isCancelled } from '../warehouse/errorText';

export { isCancelled };

/** An analysis that failed, for the panel: the warehouse's words, its code, and what to try. */
export function describeFailure(err: unknown): string {
  const code = errorCode(err);
  const message = errorMessage(err);
  const connectionLost = (err as { connectionLost?: unknown } | undefined)?.connectionLost === true;
  const next = connectionLost ? '\n\nThe connection was lost; Refresh opens a new one.' : '';
  return `${code ? `[${code}] ` : ''}${message}${next}`;
}
