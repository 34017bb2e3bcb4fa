import { validateIdent } from '../sql/dialect';
import { DEFAULT_SCHEMA } from '../shared/connection';
import { ANALYSIS_NAMES, parseAnalysis, type AnalysisCommand, type AnalysisName } from './analysisArgs';
import { USAGE, UsageError, type OutputFormat, type StreamFormat } from './usage';
import { splitArgv } from './argv';

// Declared in usage.ts (which the analysis parsers import without importing this file); kept importable from here.
export { USAGE, UsageError, type OutputFormat, type StreamFormat };

export type CliCommand =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'demoLoad'; url: string; scale: number; schema: string }
  | { kind: 'query'; source: { url: string } | { demo: true }; format: OutputFormat; maxRows: number; sql: string }
  /** Every row, streamed to stdout or to `out` (a file), as fetched. */
  | { kind: 'queryAll'; source: { url: string } | { demo: true }; format: StreamFormat; out?: string; sql: string }
  | AnalysisCommand;

export const DEFAULT_MAX_ROWS = 1000;
export const DEFAULT_DEMO_SCALE = 1;

const DEMO_LOAD_USAGE = `Usage: synclogs demo load --url <postgres-url> [--scale N] [--schema S]

Creates the sync-log tables (sync_changelog, sync_snapshot, sync_runs) in schema S
(default ${DEFAULT_SCHEMA}) of a real Postgres and loads the generated demo sync log.
Existing tables of those names in S are dropped and recreated.

  --url <url>      postgres://user@host:5432/database (put the password in PGPASSWORD)
  --scale <N>      size multiplier, > 0 (default ${DEFAULT_DEMO_SCALE}: about 300k changelog rows)
  --schema <S>     schema to create the tables in (default ${DEFAULT_SCHEMA})`;

const QUERY_USAGE = `Usage: synclogs query (--url <postgres-url> | --demo) [--format table|csv|json] [--max-rows N] "<sql>"
       synclogs query (--url <postgres-url> | --demo) (--all | --out FILE) [--format csv|tsv|json|jsonl|parquet] "<sql>"

Runs SQL and prints the result on stdout. Use "-" as the SQL to read it from stdin.

  --url <url>        postgres://user@host:5432/database (put the password in PGPASSWORD)
  --demo             the embedded demo sync log (built on first use, in
                     \${XDG_CACHE_HOME:-~/.cache}/sync-logs-explorer)
  --format <f>       table (default; control characters shown as \\x1B, as psql does),
                     csv (RFC 4180) or json (an array of objects); csv and json are exact
  --max-rows <N>     print at most N rows (default ${DEFAULT_MAX_ROWS}); no more is read from the
                     warehouse, and the output says when the query has more
  --all              every row, streamed as it is fetched (a result of any size in bounded
                     memory; a slow reader holds the fetch back); csv unless --format says
                     tsv, json or jsonl (one JSON object per line)
  --out <FILE>       every row into FILE (as --all); the format from its extension (.csv, .tsv,
                     .json, .jsonl, .parquet) unless --format says; progress on stderr on a
                     terminal. parquet (typed columns, written in row groups) only with --out`;

const STREAM_FORMATS: readonly StreamFormat[] = ['csv', 'tsv', 'json', 'jsonl', 'parquet'];
const EXTENSION_FORMATS: Record<string, StreamFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
};

function parsePositiveNumber(text: string, name: string, usage: string, integer: boolean): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `${name} must be a ${integer ? 'whole number' : 'number'} greater than 0, got "${text}".`,
      usage,
    );
  }
  return n;
}

function parseUrl(text: string, usage: string): string {
  if (!/^postgres(ql)?:\/\//i.test(text)) {
    throw new UsageError('--url must be a postgres:// URL, e.g. postgres://user@localhost:5432/database.', usage);
  }
  return text;
}

/** Parses the CLI's arguments (without `node` and the script). Throws UsageError on mistakes. */
export function parseArgs(argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help')
    return { kind: 'help', text: USAGE };
  if (first === '--version' || first === '-V' || first === '-v') return { kind: 'version' };
  if (first === 'query') return parseQuery(rest);
  if ((ANALYSIS_NAMES as readonly string[]).includes(first)) return parseAnalysis(first as AnalysisName, rest);
  if (first === 'demo') {
    const [sub, ...more] = rest;
    if (sub === undefined || sub === '--help' || sub === '-h') return { kind: 'help', text: DEMO_LOAD_USAGE };
    if (sub !== 'load')
      throw new UsageError(`Unknown demo command "${sub}". Did you mean "synclogs demo load"?`, DEMO_LOAD_USAGE);
    return parseDemoLoad(more);
  }
  throw new UsageError(first.startsWith('-') ? `Unknown option ${first}.` : `Unknown command "${first}".`);
}

function parseQuery(argv: readonly string[]): CliCommand {
  const usage = QUERY_USAGE;
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', text: usage };
  const { options, positionals } = splitArgv(
    argv,
    {
      '--url': { value: true },
      '--demo': { value: false },
      '--format': { value: true },
      '--max-rows': { value: true },
      '--all': { value: false },
      '--out': { value: true },
    },
    usage,
  );
  const url = options.get('--url');
  const demo = options.has('--demo');
  if (url !== undefined && demo) throw new UsageError('Give either --url or --demo, not both.', usage);
  if (url === undefined && !demo)
    throw new UsageError('Say where to run the query: --url <postgres-url> or --demo.', usage);
  const out = options.get('--out');
  if (options.has('--all') || out !== undefined) {
    if (options.has('--max-rows'))
      throw new UsageError(
        '--all and --out write every row: leave out --max-rows (or drop --all/--out to print the first rows).',
        usage,
      );
    const given = options.get('--format');
    const fromName =
      out === undefined ? undefined : EXTENSION_FORMATS[/\.[^./\\]+$/.exec(out.toLowerCase())?.[0] ?? ''];
    if (given === undefined && out !== undefined && fromName === undefined) {
      throw new UsageError(
        `Cannot tell the format from "${out}": name it .csv, .tsv, .json, .jsonl or .parquet, or give --format.`,
        usage,
      );
    }
    const streamFormat = given ?? fromName ?? 'csv';
    if (!(STREAM_FORMATS as readonly string[]).includes(streamFormat)) {
      throw new UsageError(
        `--all and --out write csv, tsv, json, jsonl or parquet, got "${streamFormat}"${streamFormat === 'table' ? ' (a table needs every row before it can align its columns)' : ''}.`,
        usage,
      );
    }
    if (streamFormat === 'parquet' && out === undefined)
      throw new UsageError('Parquet is binary, not for a terminal or a pipe: give --out FILE.parquet.', usage);
    const sql = querySql(positionals, usage);
    return {
      kind: 'queryAll',
      source: url !== undefined ? { url: parseUrl(url, usage) } : { demo: true },
      format: streamFormat as StreamFormat,
      ...(out !== undefined ? { out } : {}),
      sql,
    };
  }
  const format = options.get('--format') ?? 'table';
  if (format !== 'table' && format !== 'csv' && format !== 'json')
    throw new UsageError(`--format must be table, csv or json, got "${format}".`, usage);
  const maxRowsText = options.get('--max-rows');
  const maxRows =
    maxRowsText === undefined ? DEFAULT_MAX_ROWS : parsePositiveNumber(maxRowsText, '--max-rows', usage, true);
  const sql = querySql(positionals, usage);
  return {
    kind: 'query',
    source: url !== undefined ? { url: parseUrl(url, usage) } : { demo: true },
    format,
    maxRows,
    sql,
  };
}

function querySql(positionals: readonly string[], usage: string): string {
  if (positionals.length === 0)
    throw new UsageError('Give the SQL to run as the last argument (in quotes), or "-" to read it from stdin.', usage);
  if (positionals.length > 1) {
    throw new UsageError(
      `Expected one SQL argument, got ${positionals.length}: put the whole statement in quotes.`,
      usage,
    );
  }
  const sql = positionals[0];
  if (sql.trim() === '') throw new UsageError('The SQL is empty.', usage);
  return sql;
}

function parseDemoLoad(argv: readonly string[]): CliCommand {
  const usage = DEMO_LOAD_USAGE;
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', text: usage };
  const { options, positionals } = splitArgv(
    argv,
    { '--url': { value: true }, '--scale': { value: true }, '--schema': { value: true } },
    usage,
  );
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}".`, usage);
  const url = options.get('--url');
  if (url === undefined)
    throw new UsageError('demo load needs --url <postgres-url>: the Postgres to load into.', usage);
  const scaleText = options.get('--scale');
  const scale = scaleText === undefined ? DEFAULT_DEMO_SCALE : parsePositiveNumber(scaleText, '--scale', usage, false);
  const schema = options.get('--schema') ?? DEFAULT_SCHEMA;
  try {
    validateIdent(schema, 'schema name');
  } catch (err) {
    throw new UsageError((err as Error).message, usage);
  }
  return { kind: 'demoLoad', url: parseUrl(url, usage), scale, schema };
}
