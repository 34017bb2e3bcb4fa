/**
 * Diagnostics for sync-log queries: only mistakes that are certain from the documented schema
 * (or the live catalog), each with a quick fix where one exists. Silence beats a false alarm:
 * whenever a name could come from a source we do not know, nothing is reported.
 */
import type { ColumnRef } from './columnRefs';
import {
  allowedValues,
  candidateTables,
  resolveColumn,
  closest,
  columnRefs,
  comparedColumn,
  indexRefs,
  tableModelOf,
} from './columnRefs';
import type { ServerOptions, TableModel } from './schemaModel';
import { columnMayExist, columnsOf } from './schemaModel';
import type { StatementScope } from './sqlScope';
import { analyzeStatement, matchCase, visibleSources } from './sqlScope';
import type { Chunk, StatementIndex } from './statementIndex';
import { indexStatements, lexicalOf } from './statementIndex';

export type Severity = 'error' | 'warning' | 'information';

export type DiagnosticCode =
  'unknown-column' | 'join-on-sync-id' | 'qualify-unsupported' | 'fields-on-redshift' | 'invalid-value';

export interface Fix {
  title: string;
  start: number;
  end: number;
  newText: string;
}

export interface Diagnostic {
  start: number;
  end: number;
  severity: Severity;
  message: string;
  code: DiagnosticCode;
  fix?: Fix;
}

/**
 * Diagnostics of a statement depend only on its own text and the options, so they are
 * remembered per statement: by chunk object (an unchanged statement keeps its chunk across
 * edits, so no text is even hashed) and by text (an undo, or the same query pasted twice).
 */
interface Memo {
  dialect: string;
  schema: string;
  catalog?: unknown;
  byText: Map<string, Diagnostic[]>;
  byChunk: WeakMap<Chunk, Diagnostic[]>;
}
const freshMemo = (options?: ServerOptions): Memo => ({
  dialect: options?.dialect ?? '',
  schema: options?.schema ?? '',
  catalog: options?.catalog,
  byText: new Map(),
  byChunk: new WeakMap(),
});
let memo: Memo = freshMemo();
const MEMO_LIMIT = 20_000;

/** Diagnostics of a whole document, from its text or from an index kept up to date by edits. */
export function diagnostics(source: string | StatementIndex, options: ServerOptions): Diagnostic[] {
  if (
    memo.dialect !== options.dialect ||
    memo.schema !== options.schema ||
    memo.catalog !== options.catalog ||
    memo.byText.size > MEMO_LIMIT
  ) {
    memo = freshMemo(options);
  }
  const index = typeof source === 'string' ? indexStatements(source, lexicalOf(options.dialect)) : source;
  const out: Diagnostic[] = [];
  index.chunks.forEach((chunk, k) => {
    for (const d of chunkDiagnostics(chunk, options)) out.push(shift(d, index.starts[k]));
  });
  return out;
}

/** A statement's diagnostics with offsets relative to its start. */
function chunkDiagnostics(chunk: Chunk, options: ServerOptions): Diagnostic[] {
  let relative = memo.byChunk.get(chunk) ?? memo.byText.get(chunk.source);
  if (!relative) {
    relative = statementDiagnostics(chunk.source, analyzeStatement(chunk.statement), options);
    memo.byText.set(chunk.source, relative);
  }
  memo.byChunk.set(chunk, relative);
  return relative;
}

function shift(d: Diagnostic, delta: number): Diagnostic {
  const moved: Diagnostic = { ...d, start: d.start + delta, end: d.end + delta };
  if (d.fix) moved.fix = { ...d.fix, start: d.fix.start + delta, end: d.fix.end + delta };
  return moved;
}

function statementDiagnostics(text: string, scope: StatementScope, options: ServerOptions): Diagnostic[] {
  const refs = columnRefs(scope);
  return [
    ...qualifyDiagnostics(scope, options),
    ...refs.flatMap((r) => columnDiagnostics(scope, r, options)),
    ...joinDiagnostics(text, scope, refs, options),
    ...valueDiagnostics(scope, refs, options),
  ].sort((a, b) => a.start - b.start);
}

function qualifyDiagnostics(scope: StatementScope, options: ServerOptions): Diagnostic[] {
  if (options.dialect !== 'postgres') return [];
  return scope.tokens
    .filter((t, i) => t.kind === 'word' && t.value === 'qualify' && scope.tokens[i - 1]?.text !== '.')
    .map((t) => ({
      start: t.start,
      end: t.end,
      severity: 'error' as const,
      code: 'qualify-unsupported' as const,
      message: 'Postgres has no QUALIFY: filter the window function in an outer query (or use DISTINCT ON).',
    }));
}

const isFieldsOnRedshift = (table: TableModel, name: string, options: ServerOptions) =>
  options.dialect === 'redshift' && name === 'fields' && table.columns.some((c) => c.name === 'fields');

function columnDiagnostics(scope: StatementScope, ref: ColumnRef, options: ServerOptions): Diagnostic[] {
  const token = scope.tokens[ref.nameIndex];
  const at = { start: token.start, end: token.end };
  let tables: TableModel[];
  if (ref.qualified) {
    const table = tableModelOf(ref.source, options);
    if (!table || columnMayExist(table, ref.name, options)) return [];
    tables = [table];
  } else {
    // A select alias, a CTE, or a whole source named as a value (`to_json(r)`) is not a column.
    if (
      scope.selectAliases.has(ref.name) ||
      scope.ctes.has(ref.name) ||
      scope.refs.some((r) => r.alias === ref.name || r.name === ref.name)
    )
      return [];
    const candidates = candidateTables(scope, ref.frame, ref.name, options);
    // Candidates follow the documented model; columnMayExist below applies the dialect and catalog.
    if (!candidates.complete) return [];
    tables = visibleSources(scope, ref.frame).map((s) => tableModelOf(s, options) as TableModel);
    if (tables.some((t) => columnMayExist(t, ref.name, options))) return [];
  }
  const fieldsTable = tables.find((t) => isFieldsOnRedshift(t, ref.name, options));
  if (fieldsTable) {
    return [
      {
        ...at,
        severity: 'error',
        code: 'fields-on-redshift',
        message: `${fieldsTable.name}.fields does not exist on Redshift (Hightouch does not write it there).`,
      },
    ];
  }
  const names = [...new Set(tables.flatMap((t) => columnsOf(t, options).map((c) => c.name)))];
  const suggestion = closest(ref.name, names);
  // An unqualified unknown name may be a function, keyword or alias we do not know: report only likely typos.
  if (!ref.qualified && !suggestion) return [];
  const where = tables.map((t) => t.name).join(' or ');
  const diagnostic: Diagnostic = {
    ...at,
    severity: 'error',
    code: 'unknown-column',
    message: `Unknown column "${token.text}" on ${where}.` + (suggestion ? ` Did you mean "${suggestion}"?` : ''),
  };
  if (suggestion)
    diagnostic.fix = { title: `Change to ${suggestion}`, ...at, newText: matchCase(token.text, suggestion) };
  return [diagnostic];
}

const ROW_TABLES = new Set(['sync_changelog', 'sync_snapshot']);

interface Equality {
  left: ColumnRef;
  right: ColumnRef;
}

/** Joining changelog or snapshot to runs on sync_id alone pairs each row with every run of the sync. */
function joinDiagnostics(
  text: string,
  scope: StatementScope,
  refs: readonly ColumnRef[],
  options: ServerOptions,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { byEnd, byStart } = indexRefs(refs);
  for (const cond of scope.joins) {
    if (cond.using) {
      out.push(...usingDiagnostic(scope, cond.ref, cond.start, cond.end, options));
      continue;
    }
    const equalities: Equality[] = [];
    for (let p = cond.start; p < cond.end; p++) {
      const t = scope.tokens[p];
      if (t.kind !== 'op' || t.text !== '=') continue;
      const left = byEnd.get(p - 1);
      const right = byStart.get(p + 1);
      if (left?.source && right?.source && left.source !== right.source) equalities.push({ left, right });
    }
    const isRowToRuns = (e: Equality) => {
      const a = tableModelOf(e.left.source, options)?.name;
      const b = tableModelOf(e.right.source, options)?.name;
      return (a === 'sync_runs' && ROW_TABLES.has(b ?? '')) || (b === 'sync_runs' && ROW_TABLES.has(a ?? ''));
    };
    const pairs = equalities.filter(isRowToRuns);
    const bySyncId = pairs.find((e) => e.left.name === 'sync_id' && e.right.name === 'sync_id');
    if (!bySyncId || pairs.some((e) => e.left.name === 'sync_run_id' && e.right.name === 'sync_run_id')) continue;
    const l = scope.tokens[bySyncId.left.nameIndex];
    const r = scope.tokens[bySyncId.right.nameIndex];
    const start = scope.tokens[bySyncId.left.start].start;
    const end = scope.tokens[bySyncId.right.end].end;
    const rowTable = [bySyncId.left, bySyncId.right]
      .map((x) => tableModelOf(x.source, options) as TableModel)
      .find((t) => t.name !== 'sync_runs') as TableModel;
    const d: Diagnostic = {
      start,
      end,
      severity: 'warning',
      code: 'join-on-sync-id',
      message: `Joining ${rowTable.name} to sync_runs on sync_id alone pairs every row with every run of the sync and multiplies rows: join on sync_run_id.`,
    };
    if (columnMayExist(rowTable, 'sync_run_id', options)) {
      const newText =
        text.slice(start, l.start) +
        matchCase(l.text, 'sync_run_id') +
        text.slice(l.end, r.start) +
        matchCase(r.text, 'sync_run_id') +
        text.slice(r.end, end);
      d.fix = { title: 'Join on sync_run_id', start, end, newText };
    }
    out.push(d);
  }
  return out;
}

function usingDiagnostic(
  scope: StatementScope,
  joined: ColumnRef['source'],
  start: number,
  end: number,
  options: ServerOptions,
): Diagnostic[] {
  const names = scope.tokens.slice(start, end).filter((t) => t.kind === 'word' || t.kind === 'quoted');
  const syncId = names.find((t) => t.value.toLowerCase() === 'sync_id');
  if (!syncId || names.some((t) => t.value.toLowerCase() === 'sync_run_id')) return [];
  const joinedModel = tableModelOf(joined, options)?.name;
  const others = scope.frames[joined?.frame ?? 0].sources
    .filter((s) => s !== joined)
    .map((s) => tableModelOf(s, options)?.name);
  const rowToRuns =
    (joinedModel === 'sync_runs' && others.some((o) => ROW_TABLES.has(o ?? ''))) ||
    (ROW_TABLES.has(joinedModel ?? '') && others.includes('sync_runs'));
  if (!rowToRuns) return [];
  return [
    {
      start: syncId.start,
      end: syncId.end,
      severity: 'warning',
      code: 'join-on-sync-id',
      message:
        'Joining sync-log rows to sync_runs on sync_id alone pairs every row with every run of the sync and multiplies rows: join on sync_run_id.',
      fix: {
        title: 'Join on sync_run_id',
        start: syncId.start,
        end: syncId.end,
        newText: matchCase(syncId.text, 'sync_run_id'),
      },
    },
  ];
}

/** Comparing op_type or status with a value it never holds silently matches nothing. */
function valueDiagnostics(scope: StatementScope, refs: readonly ColumnRef[], options: ServerOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const index = indexRefs(refs);
  scope.tokens.forEach((t, k) => {
    if (t.kind !== 'string' || t.unterminated) return;
    const ref = comparedColumn(scope, index, k);
    if (!ref) return;
    const allowed = allowedValues(scope, ref, options);
    if (!allowed || allowed.includes(t.value)) return;
    const suggestion = allowed.find((v) => v === t.value.toLowerCase()) ?? closest(t.value, allowed);
    const d: Diagnostic = {
      start: t.start,
      end: t.end,
      severity: 'warning',
      code: 'invalid-value',
      message:
        `'${t.value}' is never a value of ${columnLabel(scope, ref, options)} (${allowed.join(', ')}).` +
        (suggestion ? ` Did you mean '${suggestion}'?` : ''),
    };
    if (suggestion)
      d.fix = { title: `Change to '${suggestion}'`, start: t.start, end: t.end, newText: `'${suggestion}'` };
    out.push(d);
  });
  return out;
}

function columnLabel(scope: StatementScope, ref: ColumnRef, options: ServerOptions): string {
  return [...new Set(resolveColumn(scope, ref, options).map((h) => `${h.table.name}.${h.column.name}`))].join(' or ');
}
