/**
 * Signatures of the common functions each dialect's users reach for in sync-log queries, for
 * hover and completion. A small hand-kept table, not a catalog: optional arguments in brackets,
 * as the vendors' references write them.
 */
import type { DialectKind } from '../shared/connection';

export interface FunctionDoc {
  signature: string;
  summary: string;
}

const doc = (signature: string, summary: string): FunctionDoc => ({ signature, summary });

/** The same on every supported dialect. */
const SHARED: Record<string, FunctionDoc> = {
  count: doc('count(*) | count([distinct] expr)', 'Number of rows, or of non-null values of `expr`.'),
  sum: doc('sum([distinct] expr)', 'Sum of the non-null values; NULL when there are none.'),
  min: doc('min(expr)', 'Smallest non-null value.'),
  max: doc('max(expr)', 'Largest non-null value.'),
  avg: doc('avg([distinct] expr)', 'Average of the non-null values.'),
  coalesce: doc('coalesce(expr1, expr2, ...)', 'The first argument that is not NULL.'),
  nullif: doc('nullif(expr1, expr2)', 'NULL when the two are equal, else `expr1`.'),
  cast: doc('cast(expr as type)', 'Converts `expr` to `type`; fails on values that do not convert.'),
  row_number: doc(
    'row_number() over ([partition by ...] order by ...)',
    'Sequential number of the row within its partition, from 1.',
  ),
  rank: doc(
    'rank() over ([partition by ...] order by ...)',
    'Rank of the row within its partition, with gaps after ties.',
  ),
  lower: doc('lower(string)', 'The string in lower case.'),
  upper: doc('upper(string)', 'The string in upper case.'),
  trim: doc('trim(string)', 'The string without leading and trailing spaces.'),
  length: doc('length(string)', 'Number of characters.'),
  concat: doc('concat(string1, string2, ...)', 'The strings joined end to end.'),
};

const lag = (dflt: boolean, nulls: boolean) =>
  doc(
    `lag(expr [, offset${dflt ? ' [, default]' : ''}])${nulls ? ' [ignore nulls | respect nulls]' : ''} over ([partition by ...] order by ...)`,
    'Value of `expr` in the row `offset` (1) rows before, within the partition.',
  );
const lead = (dflt: boolean, nulls: boolean) =>
  doc(
    `lead(expr [, offset${dflt ? ' [, default]' : ''}])${nulls ? ' [ignore nulls | respect nulls]' : ''} over ([partition by ...] order by ...)`,
    'Value of `expr` in the row `offset` (1) rows after, within the partition.',
  );
const firstValue = (nulls: boolean) =>
  doc(
    `first_value(expr)${nulls ? ' [ignore nulls | respect nulls]' : ''} over ([partition by ...] order by ... [frame])`,
    'Value of `expr` in the first row of the window frame.',
  );
const lastValue = (nulls: boolean) =>
  doc(
    `last_value(expr)${nulls ? ' [ignore nulls | respect nulls]' : ''} over ([partition by ...] order by ... [frame])`,
    'Value of `expr` in the last row of the window frame (the current row unless a frame is given).',
  );

export const FUNCTION_DOCS: Record<DialectKind, Record<string, FunctionDoc>> = {
  postgres: {
    ...SHARED,
    lag: lag(true, false),
    lead: lead(true, false),
    first_value: firstValue(false),
    last_value: lastValue(false),
    date_trunc: doc(
      'date_trunc(field, source [, time_zone])',
      "`source` truncated to the precision `field` names ('hour', 'day', 'week', ...).",
    ),
    now: doc('now()', 'The current transaction’s start time (timestamp with time zone).'),
    extract: doc('extract(field from source)', 'A part of a date, time or interval (`epoch`, `hour`, `dow`, ...).'),
    regexp_replace: doc(
      'regexp_replace(source, pattern, replacement [, flags])',
      'Replaces the first match of `pattern` (every match with flag `g`).',
    ),
    regexp_match: doc(
      'regexp_match(string, pattern [, flags])',
      'The captured substrings of the first match, as text[]; NULL when nothing matches.',
    ),
    jsonb_extract_path_text: doc(
      'jsonb_extract_path_text(from_json, variadic path_elems)',
      "The value at the path as text (like `fields->>'key'`).",
    ),
    string_agg: doc('string_agg(expr, delimiter [order by ...])', 'The non-null values joined with `delimiter`.'),
  },
  redshift: {
    ...SHARED,
    concat: doc(
      'concat(string1, string2)',
      'The two strings joined end to end (exactly two arguments on Redshift; nest or use `||` for more).',
    ),
    lag: lag(false, true),
    lead: lead(false, true),
    first_value: firstValue(true),
    last_value: lastValue(true),
    date_trunc: doc(
      "date_trunc('datepart', timestamp)",
      'The timestamp truncated to the date part (`hour`, `day`, `week`, ...).',
    ),
    getdate: doc('getdate()', 'The current date and time (UTC) at the start of the statement.'),
    dateadd: doc(
      'dateadd(datepart, interval, date_or_timestamp)',
      'The date or timestamp moved by `interval` units of `datepart`.',
    ),
    datediff: doc('datediff(datepart, start, end)', 'Number of `datepart` boundaries between `start` and `end`.'),
    regexp_replace: doc(
      'regexp_replace(source, pattern [, replace [, position [, parameters]]])',
      'Replaces every match of `pattern`.',
    ),
    regexp_substr: doc(
      'regexp_substr(source, pattern [, position [, occurrence [, parameters]]])',
      'The matching substring.',
    ),
    listagg: doc('listagg(expr [, delimiter]) [within group (order by ...)]', 'The values joined with `delimiter`.'),
    json_extract_path_text: doc(
      'json_extract_path_text(json_string, path_elem [, path_elem ...] [, null_if_invalid])',
      'The value at the path, as text.',
    ),
  },
  snowflake: {
    ...SHARED,
    lag: lag(true, true),
    lead: lead(true, true),
    first_value: firstValue(true),
    last_value: lastValue(true),
    date_trunc: doc(
      'date_trunc(date_or_time_part, expr)',
      'The date, time or timestamp truncated to the part (`hour`, `day`, `week`, ...).',
    ),
    dateadd: doc('dateadd(date_or_time_part, value, expr)', '`expr` moved by `value` units of the part.'),
    datediff: doc('datediff(date_or_time_part, expr1, expr2)', 'Number of part boundaries from `expr1` to `expr2`.'),
    current_timestamp: doc('current_timestamp([fract_sec_precision])', 'The current timestamp (TIMESTAMP_LTZ).'),
    regexp_replace: doc(
      'regexp_replace(subject, pattern [, replacement [, position [, occurrence [, parameters]]]])',
      'Replaces matches of `pattern` (all by default).',
    ),
    regexp_substr: doc(
      'regexp_substr(subject, pattern [, position [, occurrence [, regex_parameters [, group_num]]]])',
      'The matching substring.',
    ),
    listagg: doc(
      'listagg([distinct] expr [, delimiter]) [within group (order by ...)]',
      'The values joined with `delimiter`.',
    ),
    parse_json: doc('parse_json(expr)', 'The JSON text as a VARIANT; read a key with `v:key::string`.'),
    iff: doc('iff(condition, expr1, expr2)', '`expr1` when `condition` is true, else `expr2`.'),
    array_agg: doc('array_agg([distinct] expr) [within group (order by ...)]', 'The non-null values as an ARRAY.'),
  },
  bigquery: {
    ...SHARED,
    count: doc('count(*) | count([distinct] expr)', 'Number of rows, or of non-null values of `expr` (INT64).'),
    lag: lag(true, false),
    lead: lead(true, false),
    first_value: firstValue(true),
    last_value: lastValue(true),
    timestamp_trunc: doc(
      'timestamp_trunc(timestamp_expression, date_time_part [, time_zone])',
      'The timestamp truncated to the part (`HOUR`, `DAY`, `WEEK`, ...).',
    ),
    timestamp_sub: doc(
      'timestamp_sub(timestamp_expression, interval int64_expression date_part)',
      'The timestamp moved back by the interval.',
    ),
    current_timestamp: doc('current_timestamp()', 'The current time as a TIMESTAMP.'),
    regexp_replace: doc('regexp_replace(value, regexp, replacement)', 'Replaces every match of `regexp`.'),
    regexp_extract: doc(
      'regexp_extract(value, regexp [, position [, occurrence]])',
      'The first match (or its one capturing group); NULL when nothing matches.',
    ),
    json_value: doc('json_value(json_string_expr [, json_path])', "The scalar at the JSONPath (`'$.key'`) as STRING."),
    string_agg: doc(
      'string_agg([distinct] expr [, delimiter] [order by ...] [limit n])',
      'The non-null values joined with `delimiter` (`,` by default).',
    ),
    safe_cast: doc(
      'safe_cast(expr as type)',
      'Like `cast`, but NULL instead of an error when the value does not convert.',
    ),
    countif: doc('countif(expr)', 'Number of rows where the boolean `expr` is true (INT64).'),
  },
  databricks: {
    ...SHARED,
    lag: lag(true, true),
    lead: lead(true, true),
    first_value: doc(
      'first_value(expr [, ignoreNull]) over ([partition by ...] order by ... [frame])',
      'Value of `expr` in the first row of the window frame.',
    ),
    last_value: doc(
      'last_value(expr [, ignoreNull]) over ([partition by ...] order by ... [frame])',
      'Value of `expr` in the last row of the window frame.',
    ),
    date_trunc: doc('date_trunc(unit, expr)', "The timestamp truncated to the unit ('HOUR', 'DAY', 'WEEK', ...)."),
    date_add: doc('date_add(startDate, numDays)', 'The date `numDays` days after `startDate`.'),
    datediff: doc('datediff(endDate, startDate)', 'Number of days from `startDate` to `endDate` (note the order).'),
    current_timestamp: doc('current_timestamp()', 'The current timestamp at the start of the query.'),
    regexp_replace: doc('regexp_replace(str, regexp, rep [, position])', 'Replaces every match of `regexp`.'),
    regexp_extract: doc(
      'regexp_extract(str, regexp [, idx])',
      'The group `idx` (1 by default) of the first match; empty string when nothing matches.',
    ),
    get_json_object: doc('get_json_object(expr, path)', "The value at the JSONPath (`'$.key'`) as STRING."),
    collect_list: doc('collect_list(expr)', 'The non-null values as an ARRAY.'),
    count_if: doc('count_if(expr)', 'Number of rows where the boolean `expr` is true.'),
  },
};

const DIALECT_NAMES: Record<DialectKind, string> = {
  postgres: 'Postgres',
  redshift: 'Redshift',
  snowflake: 'Snowflake',
  bigquery: 'BigQuery',
  databricks: 'Databricks',
};

export function functionDoc(name: string, dialect: DialectKind): FunctionDoc | undefined {
  const docs = FUNCTION_DOCS[dialect];
  return Object.prototype.hasOwnProperty.call(docs, name) ? docs[name] : undefined;
}

/** Hover text of a function on a dialect. */
export function functionMarkdown(name: string, dialect: DialectKind): string | undefined {
  const d = functionDoc(name, dialect);
  return d ? `\`\`\`sql\n${d.signature}\n\`\`\`\n\n${d.summary}\n\n*${DIALECT_NAMES[dialect]} function.*` : undefined;
}
