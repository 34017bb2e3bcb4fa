/**
 * The documented sync-log schema (see ARCHITECTURE.md, "SQL dialects, the sync-log tables, error categories") as data for the language server,
 * and the merge with a live catalog: the catalog is authoritative when it knows a table,
 * because Hightouch does not promise schema stability across deployments.
 */
import type { Catalog, CatalogTable } from '../shared/catalog';
import type { DialectKind } from '../shared/connection';

export interface ServerOptions {
  dialect: DialectKind;
  /** Schema holding the sync-log tables (the `syncLogs.schema` setting). */
  schema: string;
  catalog?: Catalog;
}

export interface ColumnModel {
  name: string;
  description: string;
  /** Documented type; a catalog's type replaces it in hovers. */
  type: string;
  /** Every value the column can hold, when it is an enumeration. */
  values?: readonly string[];
  /** Some deployments lack it: never report it unknown, never assume it exists. */
  optional?: boolean;
  absentOn?: readonly DialectKind[];
}

export interface TableModel {
  name: string;
  /** `undefined`: the configured sync-log schema; otherwise a fixed schema name. */
  fixedSchema?: string;
  description: string;
  columns: readonly ColumnModel[];
  /** Present only on some deployments: offered when a catalog shows it. */
  optional?: boolean;
}

const ROW_STATUS = ['succeeded', 'failed', 'aborted'] as const;

const col = (name: string, type: string, description: string, extra: Partial<ColumnModel> = {}): ColumnModel => ({
  name,
  type,
  description,
  ...extra,
});

const rowColumns = (opValues: readonly string[], opMeaning: string): ColumnModel[] => [
  col('sync_id', 'id', 'The sync. An integer in practice, possibly stored as a string.'),
  col('op_type', 'string', opMeaning, { values: opValues }),
  col('row_id', 'string', "The model row's primary-key value; compare it as a string."),
  col(
    'status',
    'string',
    '`succeeded`, `failed`, or `aborted` (planned but never attempted: the run was cancelled or hit a fatal error).',
    { values: ROW_STATUS },
  ),
  col('failure_reason', 'string', "The destination's error text when status is `failed`; NULL otherwise."),
  col(
    'fields',
    'json',
    "JSON object of the model row's raw warehouse values (not the payload sent). Absent on Redshift.",
    { absentOn: ['redshift'] },
  ),
];

const COUNTERS: ColumnModel[] = (['planned', 'attempted', 'succeeded', 'failed'] as const).flatMap((stage) =>
  (['add', 'change', 'remove'] as const).map((op) =>
    col(`num_${stage}_${op}`, 'integer', `Number of ${op} operations ${stage} in the run.`),
  ),
);

export const TABLES: readonly TableModel[] = [
  {
    name: 'sync_changelog',
    description:
      'One row per operation a sync performed. No timestamp: join `sync_runs` on `sync_run_id` for time (joining on `sync_id` alone multiplies rows).',
    columns: [
      ...rowColumns(['added', 'changed', 'removed'], '`added`, `changed` or `removed`, relative to the previous run.'),
      col('sync_run_id', 'id', 'The run that performed the operation.'),
    ],
  },
  {
    name: 'sync_snapshot',
    description: 'The latest state of each row of the model. Rows that left the model are not in the snapshot.',
    columns: [
      ...rowColumns(
        ['added', 'changed', 'unchanged'],
        '`added`, `changed` or `unchanged`, relative to the previous run.',
      ),
      col('sync_run_id', 'id', 'The run of the latest operation (only on some deployments).', { optional: true }),
    ],
  },
  {
    name: 'sync_runs',
    description: 'One row per sync run: when it ran, its model and destination, and per-op counters.',
    columns: [
      col('sync_id', 'id', 'The sync.'),
      col('sync_run_id', 'id', 'The run.'),
      col('primary_key', 'string', "The *name* of the model's primary-key column (its values are `row_id`)."),
      col('destination', 'string', 'The destination type slug, such as `salesforce` or `braze`.'),
      col('model_name', 'string', 'The name of the model attached to the sync.'),
      col('status', 'string', 'Run status; per-row results are the better signal.', {
        values: ['succeeded', 'failed'],
      }),
      col('error', 'string', 'The sync-level error when the run stopped early.'),
      col('started_at', 'timestamp', 'When the run started.'),
      col('finished_at', 'timestamp', 'When the run finished.'),
      ...COUNTERS,
    ],
  },
  {
    name: 'audience_holdout',
    optional: true,
    description: 'Rows held out of an audience (only on some deployments).',
    columns: [
      col('sync_id', 'id', 'The sync.'),
      col('sync_run_id', 'id', 'The run.'),
      col('model_id', 'id', 'The model (audience).'),
      col('timestamp', 'timestamp', 'When the row was held out.'),
      col('row_id', 'string', "The model row's primary-key value."),
      col('fields', 'json', "JSON object of the model row's raw values."),
    ],
  },
  {
    name: 'audience_membership',
    fixedSchema: 'hightouch_planner',
    optional: true,
    description: 'Audience enter/exit events (only on some deployments).',
    columns: [
      col('ht_row_id', 'string', "The row's primary-key value."),
      col('ht_audience_id', 'id', 'The audience.'),
      col('ht_timestamp', 'timestamp', 'When the event happened.'),
      col('ht_event_type', 'string', 'Whether the row entered or exited the audience.', { values: ['enter', 'exit'] }),
      col('ht_split_group', 'string', 'The split group of the row.'),
    ],
  },
];

const lower = (s: string) => s.toLowerCase();

export function schemaOfTable(table: TableModel, options: ServerOptions): string {
  return table.fixedSchema ?? options.schema;
}

function catalogTable(table: TableModel, options: ServerOptions): CatalogTable | undefined {
  const schema = lower(schemaOfTable(table, options));
  return options.catalog?.tables.find((t) => lower(t.name) === table.name && lower(t.schema) === schema);
}

/** Tables to offer: the required ones always; optional ones only when the catalog has them. */
export function visibleTables(options: ServerOptions): TableModel[] {
  return TABLES.filter((t) => !t.optional || catalogTable(t, options) !== undefined);
}

/** The table a (possibly unqualified) name refers to; case-insensitive since Snowflake folds to upper. */
export function findTable(name: string, schema: string | undefined, options: ServerOptions): TableModel | undefined {
  const n = lower(name);
  return TABLES.find(
    (t) => t.name === n && (schema === undefined || lower(schemaOfTable(t, options)) === lower(schema)),
  );
}

export interface ResolvedColumn {
  model?: ColumnModel;
  name: string;
  /** The catalog's type when known, else the documented one. */
  type: string;
  fromCatalog: boolean;
}

interface ColumnsCache {
  dialect: DialectKind;
  schema: string;
  catalog?: Catalog;
  byTable: Map<TableModel, ResolvedColumn[]>;
}

// Diagnostics ask for a table's columns once per reference; the entry is dropped when the
// options change, so a caller may update dialect, schema or catalog in place.
const columnsCache = new WeakMap<ServerOptions, ColumnsCache>();

/** Columns of a table on this connection: the catalog's when it knows the table, else the documented ones. */
export function columnsOf(table: TableModel, options: ServerOptions): ResolvedColumn[] {
  let cache = columnsCache.get(options);
  if (
    !cache ||
    cache.dialect !== options.dialect ||
    cache.schema !== options.schema ||
    cache.catalog !== options.catalog
  ) {
    cache = { dialect: options.dialect, schema: options.schema, catalog: options.catalog, byTable: new Map() };
    columnsCache.set(options, cache);
  }
  const byTable = cache.byTable;
  let columns = byTable.get(table);
  if (!columns) byTable.set(table, (columns = computeColumns(table, options)));
  return columns;
}

function computeColumns(table: TableModel, options: ServerOptions): ResolvedColumn[] {
  const live = catalogTable(table, options);
  if (live) {
    return live.columns.map((c) => {
      const model = table.columns.find((m) => m.name === lower(c.name));
      return { model, name: lower(c.name), type: c.type, fromCatalog: true };
    });
  }
  return table.columns
    .filter((c) => !c.absentOn?.includes(options.dialect))
    .map((c) => ({ model: c, name: c.name, type: c.type, fromCatalog: false }));
}

/** Whether naming this column must not be reported unknown (optional columns may exist without a catalog). */
export function columnMayExist(table: TableModel, name: string, options: ServerOptions): boolean {
  const n = lower(name);
  if (columnsOf(table, options).some((c) => c.name === n)) return true;
  return !catalogTable(table, options) && table.columns.some((c) => c.name === n && c.optional === true);
}

export function columnModel(table: TableModel, name: string): ColumnModel | undefined {
  return table.columns.find((c) => c.name === lower(name));
}

/** Common functions per dialect, offered by completion; a small curated list, not a full catalog. */
const COMMON_FUNCTIONS = [
  'count',
  'sum',
  'min',
  'max',
  'avg',
  'coalesce',
  'nullif',
  'cast',
  'lag',
  'lead',
  'row_number',
  'rank',
  'first_value',
  'last_value',
  'lower',
  'upper',
  'trim',
  'length',
  'concat',
];

export const DIALECT_FUNCTIONS: Record<DialectKind, readonly string[]> = {
  postgres: [
    ...COMMON_FUNCTIONS,
    'date_trunc',
    'now',
    'regexp_replace',
    'regexp_match',
    'jsonb_extract_path_text',
    'string_agg',
    'extract',
  ],
  redshift: [
    ...COMMON_FUNCTIONS,
    'date_trunc',
    'getdate',
    'dateadd',
    'datediff',
    'regexp_replace',
    'regexp_substr',
    'listagg',
    'json_extract_path_text',
  ],
  snowflake: [
    ...COMMON_FUNCTIONS,
    'date_trunc',
    'dateadd',
    'datediff',
    'current_timestamp',
    'regexp_replace',
    'regexp_substr',
    'listagg',
    'parse_json',
    'iff',
    'array_agg',
  ],
  bigquery: [
    ...COMMON_FUNCTIONS,
    'timestamp_trunc',
    'timestamp_sub',
    'current_timestamp',
    'regexp_replace',
    'regexp_extract',
    'json_value',
    'string_agg',
    'safe_cast',
    'countif',
  ],
  databricks: [
    ...COMMON_FUNCTIONS,
    'date_trunc',
    'date_add',
    'datediff',
    'current_timestamp',
    'regexp_replace',
    'regexp_extract',
    'get_json_object',
    'collect_list',
    'count_if',
  ],
};
