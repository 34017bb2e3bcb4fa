/**
 * The dialect contract (dialectTypes.ts) and the Postgres dialect, where most callers look for
 * them. The contract lives apart so the dialects (dialects/*.ts) can import it without importing
 * this file, which imports one of them.
 */
export type { Dialect, ParamStyle, SqlQuery, TimeUnit } from './dialectTypes';
export { validateIdent } from './ident';
export { postgresDialect } from './dialects/postgres';
