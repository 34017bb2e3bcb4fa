import type { Dialect } from '../dialectTypes';
import type { LexicalTraits } from '../lexer';
import { dottedName, validateIdent } from '../ident';
import { backslashLiteral } from './literals';

const quote = (name: string): string => `\`${validateIdent(name)}\``;

/**
 * Databricks SQL (docs.databricks.com/aws/en/sql/language-manual/: data-types/string-type,
 * sql-ref-syntax-comment, sql-ref-identifiers, sql-ref-syntax-ddl-create-sql-function).
 */
const lexical: LexicalTraits = {
  // STRING literals: '…' or "…"; \<char> escapes, so \' does not end the string. A doubled quote is
  // two adjacent literals ('a''b' reads 'ab'), not an escape.
  backslash: 'escape',
  doubledQuotes: false,
  // r/R: a raw literal, where "there is no escape character" (a backslash before the quote still ends it).
  stringPrefixes: { r: 'literal' },
  // Delimited identifiers use backticks, `` for a backtick inside.
  nameQuote: '`',
  nameEscapes: 'doubled',
  tripleQuotes: false,
  // Simple comments are -- only.
  hashComments: false,
  slashComments: false,
  // Bracketed comments nest: /* text [ bracketed_comment [...] ] text */.
  nestedComments: true,
  // CREATE FUNCTION … AS dollar_quoted_string: $[tag]$body$[tag]$.
  dollarQuotes: 'tagged',
  escapeContinuation: false,
};

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
  lexical,
  quoteIdent: quote,
  table: (schema, table, database) => dottedName(quote, schema, table, database),
  param: (index) => `:p${index}`,
  literal: backslashLiteral,
  // Java regex; RLIKE finds a match anywhere in the string.
  regexContains: (expr, pattern, ci = false) =>
    ci ? `${expr} RLIKE concat('(?i)', ${pattern})` : `${expr} RLIKE ${pattern}`,
  regexReplace: (expr, pattern, replacement) => `regexp_replace(${expr}, ${pattern}, ${replacement})`,
  // fields is a JSON string; keys must be plain names (no dots or brackets).
  jsonText: (expr, keyParam) => `get_json_object(${expr}, concat('$.', ${keyParam}))`,
  truncTime: (unit, expr) => `date_trunc('${unit.toUpperCase()}', ${expr})`,
  // to_timestamp parses ISO-8601 with its offset; the comparison is then timestamp to timestamp.
  timestampParam: (p) => `to_timestamp(${p})`,
};
