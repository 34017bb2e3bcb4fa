import type { Dialect } from '../dialect';
import { dottedName, validateIdent } from '../ident';
import { redshiftLiteral } from './literals';

/** Always quoted: Redshift folds quoted and unquoted names to lower case alike (by default), and quoting sidesteps its reserved words. */
function quote(name: string): string {
  return `"${validateIdent(name)}"`;
}

export const redshiftDialect: Dialect = {
  name: 'redshift',
  unquotedCase: 'lower',
  paramStyle: 'dollar',
  // Redshift's LIMIT is documented as a literal count; a literal cannot go wrong there.
  boundLimit: false,
  supportsQualify: true,
  stringType: 'varchar',
  hasFieldsColumn: false,
  quoteIdent: quote,
  table: (schema, table, database) => dottedName(quote, schema, table, database),
  param: (index) => `$${index}`,
  literal: redshiftLiteral,
  regexContains: (expr, pattern, ci = false) => `${expr} ${ci ? '~*' : '~'} ${pattern}`,
  // Redshift's REGEXP_REPLACE replaces every match by default.
  regexReplace: (expr, pattern, replacement) => `regexp_replace(${expr}, ${pattern}, ${replacement})`,
  jsonText: () => {
    throw new Error('Redshift sync logs have no "fields" column: row values are not available on Redshift.');
  },
  truncTime: (unit, expr) => `date_trunc('${unit}', ${expr})`,
  // timestamptz keeps the ISO string's zone; Redshift compares it with timestamp columns as UTC.
  timestampParam: (p) => `cast(${p} as timestamptz)`,
};
