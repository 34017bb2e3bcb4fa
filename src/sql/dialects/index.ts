import type { DialectKind } from '../../shared/connection';
import type { Dialect } from '../dialectTypes';
import { bigqueryDialect } from './bigquery';
import { databricksDialect } from './databricks';
import { postgresDialect } from './postgres';
import { redshiftDialect } from './redshift';
import { snowflakeDialect } from './snowflake';

export type { DialectKind };

const DIALECTS: Record<DialectKind, Dialect> = {
  postgres: postgresDialect,
  redshift: redshiftDialect,
  snowflake: snowflakeDialect,
  bigquery: bigqueryDialect,
  databricks: databricksDialect,
};

export const DIALECT_KINDS = Object.keys(DIALECTS) as DialectKind[];

export function dialectFor(kind: DialectKind): Dialect {
  const d = DIALECTS[kind];
  if (!d) throw new Error(`Unknown warehouse dialect "${String(kind)}".`);
  return d;
}

export { bigqueryDialect, databricksDialect, postgresDialect, redshiftDialect, snowflakeDialect };
