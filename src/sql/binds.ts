import type { Dialect, SqlQuery } from './dialect';
import { sqlCount } from './ident';
import { RefusedValueError, nulProblem, storesNoNul } from './nulText';

/** Bound values in the shape each driver takes: pg and snowflake-sdk an array, BigQuery and Databricks an object. */
export type DriverBinds =
  { kind: 'positional'; values: unknown[] } | { kind: 'named'; values: Record<string, unknown> };

/**
 * Turns a builder's positional values into what the dialect's driver wants. Named styles use
 * `p<n>` (the name dialect.param(n) writes). For `?` the values must be in order of appearance,
 * so builders written through `binder()` number placeholders in the order they write them.
 */
export function driverBinds(dialect: Dialect, values: readonly unknown[]): DriverBinds {
  if (dialect.paramStyle === 'dollar' || dialect.paramStyle === 'question') {
    return { kind: 'positional', values: [...values] };
  }
  const named: Record<string, unknown> = {};
  values.forEach((v, i) => {
    named[`p${i + 1}`] = v;
  });
  return { kind: 'named', values: named };
}

/** Collects bound values while a builder writes its text, so placeholders are numbered in order of appearance. */
export interface Binder {
  /** Bind a value; returns its placeholder. */
  bind(value: unknown): string;
  /** A LIMIT/OFFSET count: bound where the dialect allows it, otherwise a validated integer literal. */
  count(n: number, what?: string): string;
  query(text: string): SqlQuery;
}

export function binder(dialect: Dialect): Binder {
  const values: unknown[] = [];
  return {
    bind(value) {
      // The last guard: a value with a NUL reaches no Postgres or Redshift, whichever path it took
      // (the panels refuse typed ones earlier, naming them).
      if (storesNoNul(dialect.name)) {
        const problem =
          nulProblem(value, 'value', dialect.name) ??
          (Array.isArray(value) ? value.map((v) => nulProblem(v, 'value', dialect.name)).find(Boolean) : undefined);
        if (problem) throw new RefusedValueError(problem);
      }
      values.push(value);
      return dialect.param(values.length);
    },
    count(n, what = 'limit') {
      const literal = sqlCount(n, what);
      return dialect.boundLimit ? this.bind(n) : literal;
    },
    query: (text) => ({ text, values }),
  };
}
