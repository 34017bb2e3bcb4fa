/**
 * What every CLI parser shares: the output formats, the top-level usage, and the error for a
 * mistake in how the CLI was called. Imports nothing of the CLI, so args.ts and the analysis
 * parsers can both import it.
 */

export type OutputFormat = 'table' | 'csv' | 'json';
/** Text formats a streamed result can be written in, to stdout or a file: each row as it arrives. */
export type TextStreamFormat = 'csv' | 'tsv' | 'json' | 'jsonl';
/** Formats a streamed result can be written in (`--all`, `--out`); Parquet (binary) only into a file. */
export type StreamFormat = TextStreamFormat | 'parquet';

/** A mistake in how the CLI was called: printed with a pointer to the usage, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string = USAGE,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `synclogs: explore Hightouch warehouse sync logs from the terminal.

Usage:
  synclogs query (--url <postgres-url> | --demo) [--format table|csv|json] [--max-rows N] "<sql>"
  synclogs demo load --url <postgres-url> [--scale N] [--schema S]
  synclogs health   (--url <url> | --demo) [--window 24h|7d|30d|all] [--format table|csv|json]
  synclogs errors   (--url <url> | --demo) [--sync ID] [--window W] [--categories FILE] [--format F]
  synclogs flapping (--url <url> | --demo) --sync ID [--window W] [--format F]
  synclogs stuck    (--url <url> | --demo) --sync ID [--min N] [--format F]
  synclogs timeline ROW_ID (--url <url> | --demo) [--sync ID] [--format F]
  synclogs run RUN_ID (--url <url> | --demo) [--format F]
  synclogs check    (--url <url> | --demo) [--sync ID] [--window W] [--max-new-templates N]
                    [--max-stuck-rows N] [--max-failure-rate P]    exit 0 ok, 1 tripped, 2 error
  synclogs --help | --version
  synclogs <command> --help

Examples:
  synclogs query --demo "select status, count(*) from hightouch_audit.sync_changelog group by 1"
  PGPASSWORD=... synclogs query --url postgres://me@db:5432/analytics --format csv "select * from hightouch_audit.sync_runs" > runs.csv
  synclogs demo load --url postgres://postgres@localhost:5432/postgres --scale 5
  synclogs errors --demo --sync 1 --window 7d --format json
  synclogs check --url postgres://me@db:5432/analytics --max-stuck-rows 50 --max-failure-rate 5% || alert`;
