import type { WarehouseKind } from '../shared/connection';

/** The warehouse a message speaks of: a dialect, or 'demo' (Postgres, embedded). */
export type TextStore = WarehouseKind;

/** Postgres text (Redshift's too) cannot hold U+0000: binding it fails with a protocol or encoding error. */
export function storesNoNul(where: TextStore | undefined): boolean {
  return where === 'postgres' || where === 'redshift' || where === 'demo';
}

/**
 * Why a value a person typed (or a panel sent) must not go to the warehouse, or undefined.
 * NUL is refused before any query: Postgres answers it with "invalid byte sequence ... 0x00" or
 * "invalid message format", which say nothing about the search box. Elsewhere a NUL is still
 * refused, since no one types one on purpose, but without blaming the warehouse.
 * `what` names the value as the UI does, e.g. "row ID".
 */
export function nulProblem(value: unknown, what: string, where?: TextStore): string | undefined {
  if (typeof value !== 'string' || !value.includes('\u0000')) return undefined;
  const why =
    where === 'redshift'
      ? 'which Redshift cannot store in text'
      : storesNoNul(where)
        ? 'which Postgres cannot store in text'
        : 'an invisible control character, most likely pasted by accident';
  return `The ${what} contains a NUL character (U+0000), ${why}; remove it.`;
}

/** The first problem among named values (name → value, in the order to report them). */
export function firstNulProblem(values: Readonly<Record<string, unknown>>, where?: TextStore): string | undefined {
  for (const [what, value] of Object.entries(values)) {
    const problem = nulProblem(value, what, where);
    if (problem) return problem;
  }
  return undefined;
}

/** A value refused before it reached the warehouse; its message is for people as it stands. */
export class RefusedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedValueError';
  }
}

/** Throws RefusedValueError for the first value holding a NUL. */
export function refuseNul(values: Readonly<Record<string, unknown>>, where?: TextStore): void {
  const problem = firstNulProblem(values, where);
  if (problem) throw new RefusedValueError(problem);
}
