import type { Dialect } from '../dialectTypes';
import type { LexicalTraits } from '../lexer';
import { dottedName, validateIdent } from '../ident';
import { postgresLiteral } from './literals';

// Reserved words that must stay quoted even when lower-case (a practical subset of Postgres's list).
const PG_RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric table then to trailing true union unique user using variadic when where window with'.split(
    ' ',
  ),
);

/** Like Postgres's quote_ident: plain lower-case names stay bare, anything else is quoted. */
function pgQuote(name: string): string {
  validateIdent(name);
  return /^[a-z_][a-z0-9_]*$/.test(name) && !PG_RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * PostgreSQL's lexical structure (postgresql.org/docs/current/sql-syntax-lexical.html, 4.1.2 and 4.1.5).
 */
const lexical: LexicalTraits = {
  // 4.1.2.1: '' is a quote and a backslash is an ordinary character (standard_conforming_strings,
  // on by default since 9.1; a server with it off is not supported by the lexer).
  backslash: 'literal',
  doubledQuotes: true,
  // 4.1.2.2: E'…' strings take C-style backslash escapes.
  stringPrefixes: { e: 'escape' },
  // 4.1.1: "quoted identifiers", with "" for a quote inside; a backtick is not Postgres syntax.
  nameQuote: '"',
  nameEscapes: 'doubled',
  tripleQuotes: false,
  // 4.1.5: -- and /* */ comments only; # is the bitwise XOR operator (9.3).
  hashComments: false,
  slashComments: false,
  // 4.1.5: "block comments nest, as specified in the SQL standard but unlike C".
  nestedComments: true,
  // 4.1.2.4: $$…$$ and $tag$…$tag$, the tag an identifier without $.
  dollarQuotes: 'tagged',
  // 4.1.2.2 with 4.1.2.1's continuation rule: scan.l keeps reading the continuation as an E'' string.
  escapeContinuation: true,
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  unquotedCase: 'lower',
  paramStyle: 'dollar',
  boundLimit: true,
  supportsQualify: false,
  stringType: 'varchar',
  hasFieldsColumn: true,
  lexical,
  quoteIdent: pgQuote,
  // Postgres accepts a three-part name only for the current database; it says so clearly otherwise.
  table: (schema, table, database) => dottedName(pgQuote, schema, table, database),
  param: (index) => `$${index}`,
  literal: postgresLiteral,
  regexContains: (expr, pattern, ci = false) => `${expr} ${ci ? '~*' : '~'} ${pattern}`,
  // Without 'g' Postgres replaces only the first match; the other four replace all.
  regexReplace: (expr, pattern, replacement) => `regexp_replace(${expr}, ${pattern}, ${replacement}, 'g')`,
  jsonText: (expr, keyParam) => `${expr}->>${keyParam}`,
  truncTime: (unit, expr) => `date_trunc('${unit}', ${expr})`,
  // timestamptz: an ISO string with a zone or 'Z' keeps its instant whatever the session TimeZone.
  timestampParam: (p) => `cast(${p} as timestamptz)`,
};
