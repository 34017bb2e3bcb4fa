/**
 * Column references in a statement and what they resolve to in the sync-log schema.
 * Shared by diagnostics, hover and completion so all three agree on what a name means.
 */
import type { ColumnModel, ServerOptions, TableModel } from './schemaModel';
import { columnModel, findTable } from './schemaModel';
import type { StatementScope, TableRef } from './sqlScope';
import { RESERVED, resolveQualifier, visibleSources } from './sqlScope';
import { sourceColumns } from './frameColumns';
import type { Token } from '../sql/lexer';

export interface ColumnRef {
  /** Token indices of the whole dotted chain, and of the column's own name. */
  start: number;
  end: number;
  nameIndex: number;
  name: string;
  frame: number;
  /** Qualified: the source the qualifier names (undefined when it names nothing known). */
  qualified: boolean;
  source?: TableRef;
}

const isIdent = (t: Token | undefined): t is Token => !!t && (t.kind === 'word' || t.kind === 'quoted');
/** A name after a dot; a keyword there means the user has not typed the name yet (`c.` then `from`). */
const isPart = (t: Token | undefined): t is Token =>
  !!t && (t.kind === 'quoted' || (t.kind === 'word' && !RESERVED.has(t.value)));
const isDot = (t: Token | undefined) => !!t && t.kind === 'punct' && t.text === '.';
const identName = (t: Token) => (t.kind === 'quoted' ? t.value.toLowerCase() : t.value);

/** The sync-log table a source is, if it is one. */
export function tableModelOf(ref: TableRef | undefined, options: ServerOptions): TableModel | undefined {
  if (!ref || ref.kind !== 'table') return undefined;
  return findTable(ref.name, ref.schema, options);
}

/** Keywords that may stand where a column could, and so are no column references. */
const NOT_COLUMNS = new Set(
  'by rows range groups unbounded preceding following current row filter within respect ignore at time zone escape collate array struct separator no others ties exclude'.split(
    ' ',
  ),
);

function readChain(tokens: readonly Token[], start: number): number[] {
  const parts = [start];
  let j = start + 1;
  while (isDot(tokens[j]) && isPart(tokens[j + 1])) {
    parts.push(j + 1);
    j += 2;
  }
  return parts;
}

function refFromChain(scope: StatementScope, parts: number[]): ColumnRef | undefined {
  const tokens = scope.tokens;
  const first = tokens[parts[0]];
  const frame = scope.frameOf[parts[0]];
  const base = { start: parts[0], end: parts[parts.length - 1], frame };
  if (parts.length === 1) {
    if (first.kind === 'word' && (RESERVED.has(first.value) || NOT_COLUMNS.has(first.value))) return undefined;
    return { ...base, nameIndex: parts[0], name: identName(first), qualified: false };
  }
  const byAlias = resolveQualifier(scope, frame, identName(first));
  if (byAlias)
    return { ...base, nameIndex: parts[1], name: identName(tokens[parts[1]]), qualified: true, source: byAlias };
  if (parts.length >= 3) {
    const bySchema = resolveQualifier(scope, frame, identName(tokens[parts[1]]), identName(first));
    if (bySchema)
      return { ...base, nameIndex: parts[2], name: identName(tokens[parts[2]]), qualified: true, source: bySchema };
  }
  return {
    ...base,
    nameIndex: parts[parts.length - 1],
    name: identName(tokens[parts[parts.length - 1]]),
    qualified: true,
  };
}

/** Every column reference in the statement: names outside table references, function names and aliases. */
export function columnRefs(scope: StatementScope): ColumnRef[] {
  const tokens = scope.tokens;
  const out: ColumnRef[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (!isIdent(t) || scope.nonColumn.has(i) || isDot(tokens[i - 1])) {
      i++;
      continue;
    }
    const parts = readChain(tokens, i);
    const after = tokens[parts[parts.length - 1] + 1];
    i = parts[parts.length - 1] + 1;
    // A function call, or a typed literal such as `date '2026-01-01'`.
    if (after && ((after.kind === 'punct' && after.text === '(') || (parts.length === 1 && after.kind === 'string')))
      continue;
    const ref = refFromChain(scope, parts);
    if (ref) out.push(ref);
  }
  return out;
}

export interface Candidates {
  /** Sync-log tables in scope that have the column. */
  tables: TableModel[];
  /** False when some source in scope is not a known sync-log table, so the name may come from it. */
  complete: boolean;
}

/** The sync-log tables an unqualified column name can come from. */
export function candidateTables(
  scope: StatementScope,
  frame: number,
  name: string,
  options: ServerOptions,
): Candidates {
  const sources = visibleSources(scope, frame);
  const models = sources.map((s) => tableModelOf(s, options));
  const complete = sources.length > 0 && models.every((m) => m !== undefined);
  const tables = models.filter((m): m is TableModel => m !== undefined && columnModel(m, name) !== undefined);
  return { tables, complete };
}

/** The (table, column) pairs a reference can mean; empty when unknown. */
export function resolveColumn(
  scope: StatementScope,
  ref: ColumnRef,
  options: ServerOptions,
): { table: TableModel; column: ColumnModel }[] {
  if (ref.qualified && ref.source && ref.source.kind !== 'table') {
    // A CTE or derived table: the sync-log column its output passes on, if any.
    const origin = sourceColumns(scope, ref.source, options)?.columns.find((c) => c.name === ref.name)?.origin;
    return origin ? [origin] : [];
  }
  const tables = ref.qualified
    ? [tableModelOf(ref.source, options)].filter((t): t is TableModel => !!t)
    : candidateTables(scope, ref.frame, ref.name, options).tables;
  const hits = tables.flatMap((table) => {
    const column = columnModel(table, ref.name);
    return column ? [{ table, column }] : [];
  });
  if (hits.length > 0 || ref.qualified) return hits;
  // Unqualified, from a CTE or derived table: only when exactly one source in scope produces the name.
  const producing = visibleSources(scope, ref.frame)
    .filter((s) => s.kind !== 'table')
    .map((s) => sourceColumns(scope, s, options)?.columns.find((c) => c.name === ref.name))
    .filter((c) => c !== undefined);
  return producing.length === 1 && producing[0].origin ? [producing[0].origin] : [];
}

/** Allowed values of an enumerated reference; undefined when it is not enumerated or not certain. */
export function allowedValues(scope: StatementScope, ref: ColumnRef, options: ServerOptions): string[] | undefined {
  if (!ref.qualified && !candidateTables(scope, ref.frame, ref.name, options).complete) return undefined;
  const hits = resolveColumn(scope, ref, options);
  if (hits.length === 0 || hits.some((h) => !h.column.values)) return undefined;
  return [...new Set(hits.flatMap((h) => h.column.values ?? []))];
}

const COMPARE = new Set(['=', '!=', '<>', '==']);

/** Column references indexed by their first and last token, for constant-time lookups. */
export interface RefIndex {
  byStart: Map<number, ColumnRef>;
  byEnd: Map<number, ColumnRef>;
}

export function indexRefs(refs: readonly ColumnRef[]): RefIndex {
  return { byStart: new Map(refs.map((r) => [r.start, r])), byEnd: new Map(refs.map((r) => [r.end, r])) };
}

/** The column a string literal at token `k` is compared with (`col = 'x'`, `'x' = col`, `col in ('x', 'y')`). */
export function comparedColumn(scope: StatementScope, index: RefIndex, k: number): ColumnRef | undefined {
  const tokens = scope.tokens;
  const endingAt = (e: number) => index.byEnd.get(e);
  const prev = tokens[k - 1];
  if (prev?.kind === 'op' && COMPARE.has(prev.text)) return endingAt(k - 2);
  const next = tokens[k + 1];
  if (next?.kind === 'op' && COMPARE.has(next.text)) return index.byStart.get(k + 2);
  let j = k - 1;
  while (j >= 0 && (tokens[j].kind === 'string' || (tokens[j].kind === 'punct' && tokens[j].text === ','))) j--;
  if (tokens[j]?.text === '(' && tokens[j - 1]?.kind === 'word' && tokens[j - 1].value === 'in') {
    const before = tokens[j - 2]?.kind === 'word' && tokens[j - 2].value === 'not' ? j - 3 : j - 2;
    return endingAt(before);
  }
  return undefined;
}

/** Edit distance with a cut-off, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The closest candidate, if close enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.round(w.length * 0.4)) + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - w.length) >= bestDistance) continue;
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
