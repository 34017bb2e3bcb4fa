import type { Dialect } from '../dialectTypes';
import type { LexicalTraits } from '../lexer';
import { dottedName, validateIdent } from '../ident';
import { redshiftLiteral } from './literals';

/** Always quoted: Redshift folds quoted and unquoted names to lower case alike (by default), and quoting sidesteps its reserved words. */
function quote(name: string): string {
  return `"${validateIdent(name)}"`;
}

/**
 * Amazon Redshift (docs.aws.amazon.com/redshift/latest/dg/: r_names.html, r_QUOTE_LITERAL.html,
 * r_CREATE_PROCEDURE.html). Redshift derives from PostgreSQL 8.0, and documents less; where it is
 * silent the PostgreSQL 8.0 rule is taken.
 */
const lexical: LexicalTraits = {
  // QUOTE_LITERAL "doubles any embedded single quotation marks and backslashes": a backslash in '…'
  // escapes (as in PostgreSQL 8.0, before standard_conforming_strings). No E'' strings are documented.
  backslash: 'escape',
  doubledQuotes: true,
  stringPrefixes: {},
  // r_names.html: delimited identifiers in double quotes, "" for a quote inside.
  nameQuote: '"',
  nameEscapes: 'doubled',
  tripleQuotes: false,
  hashComments: false,
  slashComments: false,
  // Not documented by Redshift; PostgreSQL has nested block comments since 7.1, before Redshift's fork.
  nestedComments: true,
  // CREATE PROCEDURE/FUNCTION bodies are written AS $$ … $$; tags are PostgreSQL 8.0's rule.
  dollarQuotes: 'tagged',
  escapeContinuation: false,
};

export const redshiftDialect: Dialect = {
  name: 'redshift',
  unquotedCase: 'lower',
  paramStyle: 'dollar',
  // Redshift's LIMIT is documented as a literal count; a literal cannot go wrong there.
  boundLimit: false,
  supportsQualify: true,
  stringType: 'varchar',
  hasFieldsColumn: false,
  lexical,
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
