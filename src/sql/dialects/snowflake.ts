import type { Dialect } from '../dialectTypes';
import type { LexicalTraits } from '../lexer';
import { dottedName, validateIdent } from '../ident';
import { backslashLiteral } from './literals';

/**
 * Snowflake folds unquoted names to UPPER case, so the default `hightouch_audit.sync_runs` really is
 * HIGHTOUCH_AUDIT.SYNC_RUNS. We quote the folded name (`"HIGHTOUCH_AUDIT"`) rather than leave it bare:
 * the same object, but immune to reserved words. A schema created quoted in lower or mixed case
 * cannot be reached this way (by design: plain settings names mean what unquoted SQL means).
 */
function quote(name: string): string {
  return `"${validateIdent(name).toUpperCase()}"`;
}

/**
 * Snowflake (docs.snowflake.com/en/sql-reference/data-types-text, "String & binary constants";
 * identifiers-syntax).
 */
const lexical: LexicalTraits = {
  // Single-quoted string constants take backslash escape sequences (\', \\, \n, …) and '' for a quote.
  backslash: 'escape',
  doubledQuotes: true,
  stringPrefixes: {},
  // Double-quoted identifiers, "" for a quote inside; no backslash escapes there.
  nameQuote: '"',
  nameEscapes: 'doubled',
  tripleQuotes: false,
  hashComments: false,
  // Snowflake also takes // line comments (its worksheet's comment shortcut writes them).
  slashComments: true,
  // Block comments do not nest: /*/ closes one (SnowConvert's "ambiguous comments" note).
  nestedComments: false,
  // Dollar-quoted string constants are $$…$$, without tags; $name is a session variable.
  dollarQuotes: 'untagged',
  escapeContinuation: false,
};

export const snowflakeDialect: Dialect = {
  name: 'snowflake',
  unquotedCase: 'upper',
  paramStyle: 'question',
  // Bind variables in LIMIT are not reliably accepted; a validated literal always is.
  boundLimit: false,
  supportsQualify: true,
  stringType: 'varchar',
  hasFieldsColumn: true,
  lexical,
  quoteIdent: quote,
  table: (schema, table, database) => dottedName(quote, schema, table, database),
  param: () => '?',
  literal: backslashLiteral,
  // REGEXP_LIKE and RLIKE match the WHOLE string; REGEXP_INSTR finds a match anywhere.
  regexContains: (expr, pattern, ci = false) =>
    ci ? `REGEXP_INSTR(${expr}, ${pattern}, 1, 1, 0, 'i') > 0` : `REGEXP_INSTR(${expr}, ${pattern}) > 0`,
  regexReplace: (expr, pattern, replacement) => `REGEXP_REPLACE(${expr}, ${pattern}, ${replacement})`,
  // fields is a VARIANT; ::string yields the text without JSON quotes.
  jsonText: (expr, keyParam) => `GET(${expr}, ${keyParam})::string`,
  truncTime: (unit, expr) => `DATE_TRUNC('${unit.toUpperCase()}', ${expr})`,
  // TO_TIMESTAMP_TZ honours the string's offset ('Z'); plain TO_TIMESTAMP would follow TIMESTAMP_TYPE_MAPPING.
  timestampParam: (p) => `to_timestamp_tz(${p})`,
};
