import type { Dialect } from '../dialect';
import { validateBigQueryProject, validateIdent } from '../ident';
import { backslashLiteral } from './literals';

const quote = (name: string): string => `\`${validateIdent(name)}\``;

export const bigqueryDialect: Dialect = {
  name: 'bigquery',
  // Dataset and table names are case-sensitive, column names are not; nothing is folded.
  unquotedCase: 'insensitive',
  paramStyle: 'at',
  boundLimit: false,
  supportsQualify: true,
  stringType: 'string',
  hasFieldsColumn: true,
  quoteIdent: quote,
  // One backtick pair around the whole path: `project.dataset.table`. The schema is the dataset.
  table(schema, table, database) {
    const parts = [validateIdent(schema, 'dataset'), validateIdent(table, 'table')];
    if (database !== undefined) parts.unshift(validateBigQueryProject(database));
    return `\`${parts.join('.')}\``;
  },
  param: (index) => `@p${index}`,
  literal: backslashLiteral,
  regexContains: (expr, pattern, ci = false) =>
    ci ? `REGEXP_CONTAINS(${expr}, CONCAT('(?i)', ${pattern}))` : `REGEXP_CONTAINS(${expr}, ${pattern})`,
  regexReplace: (expr, pattern, replacement) => `REGEXP_REPLACE(${expr}, ${pattern}, ${replacement})`,
  // The key is bound, so the JSONPath is built in SQL; keys must be plain names (no dots or quotes).
  jsonText: (expr, keyParam) => `JSON_VALUE(${expr}, CONCAT('$.', ${keyParam}))`,
  truncTime: (unit, expr) => `TIMESTAMP_TRUNC(${expr}, ${unit.toUpperCase()})`,
  // A STRING parameter compared with a TIMESTAMP column is an error in BigQuery: convert explicitly.
  timestampParam: (p) => `timestamp(${p})`,
};
