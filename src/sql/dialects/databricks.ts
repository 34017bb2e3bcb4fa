import type { Dialect } from '../dialect';
import { dottedName, validateIdent } from '../ident';
import { backslashLiteral } from './literals';

const quote = (name: string): string => `\`${validateIdent(name)}\``;

export const databricksDialect: Dialect = {
  name: 'databricks',
  // Unity Catalog stores names in lower case and matches them case-insensitively.
  unquotedCase: 'insensitive',
  // Named markers (:p1): @databricks/sql takes them as namedParameters; never mixed with `?`.
  paramStyle: 'colon',
  boundLimit: false,
  supportsQualify: true,
  stringType: 'string',
  hasFieldsColumn: true,
  quoteIdent: quote,
  table: (schema, table, database) => dottedName(quote, schema, table, database),
  param: (index) => `:p${index}`,
  literal: backslashLiteral,
  // Java regex; RLIKE finds a match anywhere in the string.
  regexContains: (expr, pattern, ci = false) => (ci ? `${expr} RLIKE concat('(?i)', ${pattern})` : `${expr} RLIKE ${pattern}`),
  regexReplace: (expr, pattern, replacement) => `regexp_replace(${expr}, ${pattern}, ${replacement})`,
  // fields is a JSON string; keys must be plain names (no dots or brackets).
  jsonText: (expr, keyParam) => `get_json_object(${expr}, concat('$.', ${keyParam}))`,
  truncTime: (unit, expr) => `date_trunc('${unit.toUpperCase()}', ${expr})`,
  // to_timestamp parses ISO-8601 with its offset; the comparison is then timestamp to timestamp.
  timestampParam: (p) => `to_timestamp(${p})`,
};
