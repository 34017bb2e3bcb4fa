import { validateIdent } from '../sql/dialect';
import { DEFAULT_SCHEMA } from '../shared/connection';
import { DEFAULT_STUCK_MIN_FAILURES } from '../sql/stuckRowsQueries';
import { UsageError, type OutputFormat } from './usage';
import { parseWindow } from './window';
import { splitArgv, type OptionSpec } from './argv';

export type AnalysisName = 'health' | 'errors' | 'flapping' | 'stuck' | 'timeline' | 'run' | 'check';
export const ANALYSIS_NAMES: readonly AnalysisName[] = [
  'health',
  'errors',
  'flapping',
  'stuck',
  'timeline',
  'run',
  'check',
];

export interface CheckLimits {
  maxNewTemplates?: number;
  maxStuckRows?: number;
  /** A fraction (0.05 for 5%). */
  maxFailureRate?: number;
}

export interface AnalysisCommand {
  kind: 'analysis';
  name: AnalysisName;
  source: { url: string } | { demo: true };
  schema: string;
  format: OutputFormat;
  /** Days before the newest run (null: all runs). */
  days: number | null;
  syncId: string | null;
  /** Row id (timeline) or run id (run). */
  id?: string;
  /** K of the stuck-row rule. */
  minFailures: number;
  categoriesFile?: string;
  limits?: CheckLimits;
}

/** The panels' default windows: the overview answers "what is broken now", the others look back a month. */
const DEFAULT_WINDOW: Record<AnalysisName, number | null> = {
  health: 1,
  check: 1,
  errors: 30,
  flapping: 30,
  stuck: 30,
  timeline: null,
  run: null,
};

const SOURCE = `  --url <url>        postgres://user@host:5432/database (put the password in PGPASSWORD)
  --demo             the embedded demo sync log
  --schema <S>       the sync-log schema (default ${DEFAULT_SCHEMA}); its shape is read from the catalog
  --format <f>       table (default), csv or json`;
const WINDOW = (
  d: string,
) => `  --window <w>       24h, 7d, 30d, all, or Nh / Nd: runs that started that long before the
                     newest run of the log (default ${d})`;

const USAGES: Record<AnalysisName, string> = {
  health: `Usage: synclogs health (--url <url> | --demo) [--window 24h|7d|30d|all] [--min N] [--format table|csv|json]

One record per sync, worst first: sync_id, model_name, destination, state, state_reason,
last_run_started_at, last_run_status, rows_failing (snapshot), rows_failed_in_window,
rows_attempted_in_window, failure_rate, stuck_rows, new_templates, aborted_runs.

${SOURCE}
${WINDOW('24h')}
  --min <N>          a row is stuck when its latest N operations all failed (default ${DEFAULT_STUCK_MIN_FAILURES})`,
  errors: `Usage: synclogs errors (--url <url> | --demo) [--sync ID] [--window 24h|7d|30d|all] [--categories FILE] [--format table|csv|json]

Failed rows and failures of the changelog by error category and template. json prints one object
{ failures, rows, rows_upper_bound, categories: [{ category, rows, failures }], templates: [{ template,
category, rows, failures, first_seen, last_seen, new }] }; table and csv print the templates as records.
rows are distinct row ids (a sync and row id), failures are failed operations (retries included).
first_seen and last_seen are over the whole log; new: first seen inside the window (never with "all").

${SOURCE}
  --sync <ID>        one sync (default: all syncs)
${WINDOW('30d')}
  --categories FILE  your error categories, in the format of .vscode/sync-logs-categories.json
                     (tried before the defaults; first match wins)`,
  flapping: `Usage: synclogs flapping (--url <url> | --demo) --sync ID [--window 24h|7d|30d|all] [--format table|csv|json]

The rows that change the most (retries apart), in the panel's order (changes + cycles first):
row_id, operations, retries, changes, entries, exits, cycles, flapping.

${SOURCE}
  --sync <ID>        the sync
${WINDOW('30d')}`,
  stuck: `Usage: synclogs stuck (--url <url> | --demo) --sync ID [--min N] [--format table|csv|json]

Rows whose latest N operations all failed: row_id, consecutive_failures, failing_since,
last_failed_at, template. Being stuck is the current state, so it reads the whole log.

${SOURCE}
  --sync <ID>        the sync
  --min <N>          the shortest streak that counts (default ${DEFAULT_STUCK_MIN_FAILURES})`,
  timeline: `Usage: synclogs timeline ROW_ID (--url <url> | --demo) [--sync ID] [--format table|csv|json]

Every operation on one row, oldest first: sync_id, sync_run_id, started_at, op_type, status,
outcome, label, failure_reason, changed_fields (the fields that differ from the row's previous
operation; empty without a fields column).

${SOURCE}
  --sync <ID>        one sync (default: every sync)`,
  run: `Usage: synclogs run RUN_ID (--url <url> | --demo) [--format table|csv|json]

One run explained: per op type planned, attempted, succeeded, failed, aborted (the waterfall).
json prints { sync_id, sync_run_id, started_at, finished_at, status, error, ops: [...],
comparison: { previous_run_id, newly_failing, recovered, still_failing, new_templates } | null }.

${SOURCE}`,
  check: `Usage: synclogs check (--url <url> | --demo) [--sync ID] [--window 24h|7d|30d|all]
       [--max-new-templates N] [--max-stuck-rows N] [--max-failure-rate P]

Checks the health figures of every sync (or one) against limits, for cron and CI.
Exit 0: every check holds; 1: one or more tripped (each printed with its sync, figure and
limit); 2: the checks could not run (bad arguments, connection or query error).

${SOURCE}
  --sync <ID>                 one sync (default: all)
${WINDOW('24h')}
  --max-new-templates <N>     trips when a sync has more than N new failure templates
  --max-stuck-rows <N>        trips when a sync has more than N stuck rows
  --max-failure-rate <P>      trips when rows failed / rows attempted is over P (0.05 or 5%)
  --min <N>                   K of the stuck-row rule (default ${DEFAULT_STUCK_MIN_FAILURES})`,
};

export const analysisUsage = (name: AnalysisName): string => USAGES[name];

const COMMON = ['--url', '--demo', '--schema', '--format'];
const OPTIONS: Record<AnalysisName, string[]> = {
  health: [...COMMON, '--window', '--min'],
  errors: [...COMMON, '--sync', '--window', '--categories'],
  flapping: [...COMMON, '--sync', '--window'],
  stuck: [...COMMON, '--sync', '--min'],
  timeline: [...COMMON, '--sync'],
  run: [...COMMON],
  check: [...COMMON, '--sync', '--window', '--min', '--max-new-templates', '--max-stuck-rows', '--max-failure-rate'],
};
const POSITIONAL: Partial<Record<AnalysisName, string>> = { timeline: 'ROW_ID', run: 'RUN_ID' };

function nonNegativeInteger(text: string, name: string, usage: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < 0)
    throw new UsageError(`${name} must be a whole number of 0 or more, got "${text}".`, usage);
  return n;
}

/** 0.05, 5% and 5 % mean the same; a bare number over 1 is refused rather than guessed at. */
export function parseRate(text: string, usage: string): number {
  const t = text.trim();
  const percent = t.endsWith('%');
  const n = Number(percent ? t.slice(0, -1).trim() : t);
  const rate = percent ? n / 100 : n;
  if (t === '' || t === '%' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new UsageError(
      `--max-failure-rate must be a fraction between 0 and 1 (0.05) or a percentage (5%), got "${text}".`,
      usage,
    );
  }
  return rate;
}

/** The command's options as a spec: every one takes a value except --demo. */
function optionSpec(names: readonly string[]): Record<string, OptionSpec> {
  return Object.fromEntries(names.map((n) => [n, { value: n !== '--demo' }]));
}

export function parseAnalysis(
  name: AnalysisName,
  argv: readonly string[],
): AnalysisCommand | { kind: 'help'; text: string } {
  const usage = USAGES[name];
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', text: usage };
  const { options, positionals } = splitArgv(argv, optionSpec(OPTIONS[name]), usage);
  const url = options.get('--url');
  const demo = options.has('--demo');
  if (url !== undefined && demo) throw new UsageError('Give either --url or --demo, not both.', usage);
  if (url === undefined && !demo)
    throw new UsageError('Say which sync log to read: --url <postgres-url> or --demo.', usage);
  if (url !== undefined && !/^postgres(ql)?:\/\//i.test(url))
    throw new UsageError('--url must be a postgres:// URL, e.g. postgres://user@localhost:5432/database.', usage);
  const format = options.get('--format') ?? 'table';
  if (format !== 'table' && format !== 'csv' && format !== 'json')
    throw new UsageError(`--format must be table, csv or json, got "${format}".`, usage);
  const schema = options.get('--schema') ?? DEFAULT_SCHEMA;
  try {
    validateIdent(schema, 'schema name');
  } catch (err) {
    throw new UsageError((err as Error).message, usage);
  }
  const wanted = POSITIONAL[name];
  if (wanted && positionals.length === 0) throw new UsageError(`Give the ${wanted}.`, usage);
  if (positionals.length > (wanted ? 1 : 0))
    throw new UsageError(`Unexpected argument "${positionals[wanted ? 1 : 0]}".`, usage);
  const id = wanted ? positionals[0] : undefined;
  if (id !== undefined && (id.trim() === '' || id.includes('\u0000')))
    throw new UsageError(`The ${wanted} is empty or holds a NUL character.`, usage);
  const syncId = options.get('--sync') ?? null;
  if (syncId !== null && (syncId.trim() === '' || syncId.includes('\u0000')))
    throw new UsageError('--sync is empty or holds a NUL character.', usage);
  if ((name === 'flapping' || name === 'stuck') && syncId === null)
    throw new UsageError(`${name} needs --sync <ID>: it ranks the rows of one sync.`, usage);
  const windowText = options.get('--window');
  const days = windowText === undefined ? DEFAULT_WINDOW[name] : parseWindow(windowText, usage);
  const minText = options.get('--min');
  const minFailures = minText === undefined ? DEFAULT_STUCK_MIN_FAILURES : nonNegativeInteger(minText, '--min', usage);
  if (minFailures < 1) throw new UsageError('--min must be at least 1.', usage);
  const command: AnalysisCommand = {
    kind: 'analysis',
    name,
    source: url !== undefined ? { url } : { demo: true },
    schema,
    format,
    days,
    syncId,
    minFailures,
  };
  if (id !== undefined) command.id = id;
  const categories = options.get('--categories');
  if (categories !== undefined) command.categoriesFile = categories;
  if (name === 'check') {
    const limits: CheckLimits = {};
    const t = options.get('--max-new-templates');
    const s = options.get('--max-stuck-rows');
    const r = options.get('--max-failure-rate');
    if (t !== undefined) limits.maxNewTemplates = nonNegativeInteger(t, '--max-new-templates', usage);
    if (s !== undefined) limits.maxStuckRows = nonNegativeInteger(s, '--max-stuck-rows', usage);
    if (r !== undefined) limits.maxFailureRate = parseRate(r, usage);
    if (Object.keys(limits).length === 0)
      throw new UsageError(
        'check needs at least one limit: --max-new-templates, --max-stuck-rows or --max-failure-rate.',
        usage,
      );
    command.limits = limits;
  }
  return command;
}
