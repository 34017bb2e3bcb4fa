/** An error from a warehouse with a message for people; every adapter maps its driver's errors to this. */
export class WarehouseError extends Error {
  /** SQLSTATE (e.g. `42P01`), the driver's own error code, or Node's (e.g. `ECONNREFUSED`). */
  readonly code?: string;
  /** The connection died: the adapter discards it and the next query opens a fresh one. */
  readonly connectionLost: boolean;
  /** The credentials were refused: the stored secret is forgotten so the next attempt asks again. */
  readonly authFailed: boolean;

  constructor(message: string, code: string | undefined, connectionLost = false, cause?: unknown, authFailed = false) {
    super(message, { cause });
    this.name = 'WarehouseError';
    this.code = code;
    this.connectionLost = connectionLost;
    this.authFailed = authFailed;
  }
}
