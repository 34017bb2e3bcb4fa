import type { Dialect } from '../dialectTypes';
import type { LexicalTraits } from '../lexer';
import { validateBigQueryProject, validateIdent } from '../ident';
import { backslashLiteral } from './literals';

const quote = (name: string): string => `\`${validateIdent(name)}\``;

/**
 * GoogleSQL's lexical structure (cloud.google.com/bigquery/docs/reference/standard-sql/lexical).
 */
const lexical: LexicalTraits = {
  // Quoted strings: backslashes introduce escape sequences; a quote is written \', never doubled.
  backslash: 'escape',
  doubledQuotes: false,
  // r/R: raw strings, where a backslash and the next character are both kept (the quote after it
  // does not end the string); b/B bytes read like strings; rb/br combine them, in any case.
  stringPrefixes: { r: 'raw', b: 'escape', rb: 'raw', br: 'raw' },
  // Quoted identifiers are enclosed by backticks and "have the same escape sequences as string
  // literals"; "…" is a string.
  nameQuote: '`',
  nameEscapes: 'backslash',
  // '''…''' and """…""": triple-quoted strings, which may hold newlines and quotes.
  tripleQuotes: true,
  // Comments: # and -- to the end of the line, /* */ (which does not nest).
  hashComments: true,
  slashComments: false,
  nestedComments: false,
  dollarQuotes: 'none',
  escapeContinuation: false,
};

export const bigqueryDialect: Dialect = {
  name: 'bigquery',
  // Dataset and table names are case-sensitive, column names are not; nothing is folded.
  unquotedCase: 'insensitive',
  paramStyle: 'at',
  boundLimit: false,
  supportsQualify: true,
  stringType: 'string',
  hasFieldsColumn: true,
  lexical,
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
