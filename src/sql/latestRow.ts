import type { Dialect } from './dialect';
import { validateIdent } from './ident';

export interface LatestRowSpec {
  /** Plain column names of the table, selected as `<alias>.<column>`. */
  columns: string[];
  /** A qualified table name from dialect.table(). */
  from: string;
  alias: string;
  /** Boolean condition over `alias`, with placeholders already bound; omit for none. */
  where?: string;
  partitionBy: string[];
  /** Order within a partition: the first row wins, e.g. `r.started_at desc`. */
  orderBy: string[];
}

/**
 * One row per partition: the first by `orderBy`. With QUALIFY where the warehouse has it
 * (cheaper, no extra column); otherwise the row_number() subquery rewrite (Postgres).
 */
export function latestRowSql(dialect: Dialect, s: LatestRowSpec): string {
  const alias = validateIdent(s.alias, 'alias');
  const cols = s.columns.map((c) => `${alias}.${validateIdent(c, 'column')}`).join(', ');
  const window = `row_number() over (partition by ${s.partitionBy.join(', ')} order by ${s.orderBy.join(', ')})`;
  if (dialect.supportsQualify) {
    // BigQuery refuses QUALIFY without WHERE, GROUP BY or HAVING; `where true` satisfies it everywhere.
    return `select ${cols}\nfrom ${s.from} ${alias}\nwhere ${s.where ?? 'true'}\nqualify ${window} = 1`;
  }
  const where = s.where ? `\n  where ${s.where}` : '';
  return `select ${s.columns.join(', ')}\nfrom (\n  select ${cols}, ${window} as latest_rn\n  from ${s.from} ${alias}${where}\n) latest\nwhere latest_rn = 1`;
}
