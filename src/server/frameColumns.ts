/**
 * The columns a source of a query offers: a sync-log table's own, or what the select list of a
 * CTE body or derived table produces (`select *` expanded from its sources, aliases, a WITH
 * column list), through any depth. A name is traced back to the sync-log column it passes on
 * when it is a plain column reference, so hover and enumerated values follow it.
 */
import type { ColumnModel, ServerOptions, TableModel } from './schemaModel';
import { columnsOf, findTable } from './schemaModel';
import type { StatementScope, TableRef } from './sqlScope';
import { RESERVED, resolveQualifier } from './sqlScope';
import type { Token } from '../sql/lexer';

export interface OutputColumn {
  name: string;
  /** The sync-log column this one passes on unchanged (renamed or not). */
  origin?: { table: TableModel; column: ColumnModel };
  /** Documented or catalog type, when known. */
  type?: string;
}

export interface SourceColumns {
  columns: OutputColumn[];
  /** False when some output column's name is unknown (an unnamed expression, `*` over an unknown source). */
  complete: boolean;
}

const isName = (t: Token | undefined): t is Token =>
  !!t && ((t.kind === 'word' && !RESERVED.has(t.value)) || t.kind === 'quoted');
const isPunct = (t: Token | undefined, p: string) => !!t && t.kind === 'punct' && t.text === p;
const isWord = (t: Token | undefined, w: string) => !!t && t.kind === 'word' && t.value === w;
const nameOf = (t: Token) => (t.kind === 'quoted' ? t.value.toLowerCase() : t.value);

/** Words that end a select list at its own level. */
const ENDS_SELECT = new Set([
  'from',
  'where',
  'group',
  'order',
  'having',
  'qualify',
  'limit',
  'union',
  'intersect',
  'except',
  'minus',
  'window',
  'into',
  'fetch',
  'offset',
]);

const MAX_DEPTH = 256;

interface Cache {
  options: ServerOptions;
  byFrame: Map<number, SourceColumns | undefined>;
}
const caches = new WeakMap<StatementScope, Cache>();

/** Columns of a source; undefined when the source is unknown (a table outside the catalog, a table function). */
export function sourceColumns(
  scope: StatementScope,
  ref: TableRef | undefined,
  options: ServerOptions,
): SourceColumns | undefined {
  return columnsOfRef(scope, ref, options, new Set());
}

function columnsOfRef(
  scope: StatementScope,
  ref: TableRef | undefined,
  options: ServerOptions,
  visiting: Set<number>,
): SourceColumns | undefined {
  if (!ref) return undefined;
  if (ref.kind === 'table') {
    const table = findTable(ref.name, ref.schema, options);
    if (!table) return undefined;
    return {
      complete: true,
      columns: columnsOf(table, options).map((c) => ({
        name: c.name,
        type: c.type,
        origin: c.model ? { table, column: c.model } : undefined,
      })),
    };
  }
  if (ref.kind === 'cte') {
    const def = scope.cteDefs.get(ref.name);
    if (!def || def.frame < 0) return undefined;
    const body = frameColumns(scope, def.frame, options, visiting);
    if (!def.columns || def.columns.length === 0) return body;
    // A column list renames the body's columns in order.
    const columns = def.columns.map((name, k) => ({ ...(positional(body)[k] ?? {}), name }));
    return { columns, complete: true };
  }
  if (ref.body === undefined) return undefined;
  const body = frameColumns(scope, ref.body, options, visiting);
  if (!ref.columns) return body;
  // A column list names the columns whatever the body is (a table function's too).
  return { columns: ref.columns.map((name, k) => ({ ...(positional(body)[k] ?? {}), name })), complete: true };
}

/** The body's columns by position, only when every one is known (else a list could pair the wrong ones). */
const positional = (body: SourceColumns | undefined): OutputColumn[] => (body?.complete ? body.columns : []);

/** What the first select of a frame produces (later UNION branches take its names). */
function frameColumns(
  scope: StatementScope,
  frame: number,
  options: ServerOptions,
  visiting: Set<number>,
): SourceColumns | undefined {
  let cache = caches.get(scope);
  if (!cache || cache.options !== options) caches.set(scope, (cache = { options, byFrame: new Map() }));
  if (cache.byFrame.has(frame)) return cache.byFrame.get(frame);
  // A recursive CTE names itself: its columns are those of its first branch, which we do not separate.
  if (visiting.has(frame)) return undefined;
  // Far past any real query; keeps a generated chain of thousands of CTEs from exhausting the stack.
  if (visiting.size >= MAX_DEPTH) return undefined;
  visiting.add(frame);
  const result = computeFrameColumns(scope, frame, options, visiting);
  visiting.delete(frame);
  cache.byFrame.set(frame, result);
  return result;
}

function computeFrameColumns(
  scope: StatementScope,
  frame: number,
  options: ServerOptions,
  visiting: Set<number>,
): SourceColumns | undefined {
  const { tokens, frameOf } = scope;
  const fr = scope.frames[frame];
  if (!fr || !fr.hasSelect) return undefined;
  const end = fr.close;
  let k = fr.open + 1;
  while (k < end && !(frameOf[k] === frame && isWord(tokens[k], 'select'))) k++;
  if (k >= end) return undefined;
  k++;
  if (isWord(tokens[k], 'distinct') || isWord(tokens[k], 'all')) {
    k++;
    // Postgres `distinct on (...)`.
    if (isWord(tokens[k], 'on') && isPunct(tokens[k + 1], '(')) k = scope.frames[frameOf[k + 1]].close + 1;
  }
  if (isWord(tokens[k], 'top') && tokens[k + 1]?.kind === 'number') k += 2;
  const items: [number, number][] = [];
  let start = k;
  for (; k < end; k++) {
    if (frameOf[k] !== frame) continue;
    const t = tokens[k];
    if (isPunct(t, ',')) {
      items.push([start, k]);
      start = k + 1;
    } else if (t.kind === 'word' && ENDS_SELECT.has(t.value) && !(t.value === 'except' && isStar(tokens[k - 1]))) break;
  }
  items.push([start, k]);
  const out: SourceColumns = { columns: [], complete: true };
  const add = (more: SourceColumns | undefined) => {
    if (!more) out.complete = false;
    else {
      out.columns.push(...more.columns);
      if (!more.complete) out.complete = false;
    }
  };
  for (const [a, b] of items) {
    if (b <= a) continue;
    const first = tokens[a];
    const last = tokens[b - 1];
    const star = isStar(first) ? a : isName(first) && isPunct(tokens[a + 1], '.') && isStar(tokens[a + 2]) ? a + 2 : -1;
    if (star >= 0) {
      const from = star === a ? fr.sources : [resolveQualifier(scope, frame, nameOf(first))];
      const expanded: SourceColumns = { columns: [], complete: true };
      for (const s of from) {
        const more = columnsOfRef(scope, s, options, visiting);
        if (more) expanded.columns.push(...more.columns);
        if (!more?.complete) expanded.complete = false;
      }
      // BigQuery `* except (a, b)`, Snowflake and Databricks `* exclude (a)` / `* except (a)`.
      const modifier = tokens[star + 1];
      if (star + 1 < b && (isWord(modifier, 'except') || isWord(modifier, 'exclude'))) {
        const dropped = new Set<string>();
        for (let j = star + 2; j < b; j++) if (isName(tokens[j])) dropped.add(nameOf(tokens[j]));
        expanded.columns = expanded.columns.filter((c) => !dropped.has(c.name));
      } else if (star + 1 < b) {
        // `* replace (...)`, `* rename (...)`, `* ilike '...'`: the names are not certain.
        expanded.complete = false;
      }
      add(from.some((s) => !s) ? undefined : expanded);
      continue;
    }
    // `expr as name`, `expr name`, or a plain column reference `name` / `x.name`.
    const plain = isChain(tokens, a, b);
    let exprEnd = b;
    let name: string | undefined;
    if (isName(last) && b - 2 >= a && isWord(tokens[b - 2], 'as')) {
      name = nameOf(last);
      exprEnd = b - 2;
    } else if (plain) {
      name = nameOf(last);
    } else if (isName(last) && b - 2 >= a && frameOf[b - 1] === frame && endsExpression(tokens[b - 2])) {
      name = nameOf(last);
      exprEnd = b - 1;
    }
    if (!name) {
      out.complete = false;
      continue;
    }
    const origin = isChain(tokens, a, exprEnd)
      ? originOf(scope, frame, tokens, a, exprEnd, options, visiting)
      : undefined;
    out.columns.push({ name, origin: origin?.origin, type: origin?.type });
  }
  return out;
}

/** A token an expression can end with, so that a name after it is an implicit alias (`count(*) n`, `x y`). */
const endsExpression = (t: Token) =>
  isPunct(t, ')') || t.kind === 'string' || t.kind === 'number' || isName(t) || isWord(t, 'end');

const isStar = (t: Token | undefined) => !!t && t.kind === 'op' && t.text === '*';

/** Whether tokens [a, b) are `name(.name)*`. */
function isChain(tokens: readonly Token[], a: number, b: number): boolean {
  if (b <= a || (b - a) % 2 === 0) return false;
  for (let k = a; k < b; k++) if ((k - a) % 2 === 0 ? !isName(tokens[k]) : !isPunct(tokens[k], '.')) return false;
  return true;
}

/** The column a plain reference in a frame's select list names, when it is certain. */
function originOf(
  scope: StatementScope,
  frame: number,
  tokens: readonly Token[],
  a: number,
  b: number,
  options: ServerOptions,
  visiting: Set<number>,
): OutputColumn | undefined {
  const name = nameOf(tokens[b - 1]);
  const find = (s: SourceColumns | undefined) => s?.columns.find((c) => c.name === name);
  if (b - a >= 3) {
    const qualifier = nameOf(tokens[b - 3]);
    const schema = b - a >= 5 ? nameOf(tokens[b - 5]) : undefined;
    return find(columnsOfRef(scope, resolveQualifier(scope, frame, qualifier, schema), options, visiting));
  }
  const hits = scope.frames[frame].sources
    .map((s) => find(columnsOfRef(scope, s, options, visiting)))
    .filter((c): c is OutputColumn => !!c);
  return hits.length === 1 ? hits[0] : undefined;
}
