/**
 * What one statement names: its table sources (FROM/JOIN, with aliases), its CTEs, its
 * parenthesised frames (subqueries, function calls) and the clause at each token. One pass
 * over the statement's tokens plus a paren-matching pass, so it stays linear.
 */
import type { Token } from '../sql/lexer';
import type { DialectKind } from '../shared/connection';
import type { StatementIndex } from './statementIndex';
import { absoluteStatement, chunkIndexAt, indexStatements, lexicalOf } from './statementIndex';
import { indexBefore, type Statement } from './statements';

export type Clause =
  | 'none'
  | 'with'
  | 'select'
  | 'from'
  | 'join'
  | 'on'
  | 'where'
  | 'group by'
  | 'order by'
  | 'having'
  | 'qualify'
  | 'limit'
  | 'set';

export interface TableRef {
  /** `table`: a named table; `cte`: a WITH name; `derived`: a subquery or table function. */
  kind: 'table' | 'cte' | 'derived';
  schema?: string;
  /** Lower-cased last part of the name ('' for derived tables). */
  name: string;
  alias?: string;
  /** Token indices of the name (for hover) and of the alias. */
  nameStart: number;
  nameEnd: number;
  aliasIndex?: number;
  frame: number;
  /** A derived table: the frame of its subquery (or table function arguments). */
  body?: number;
  /** A derived table's column list, `(select ...) x(a, b)`. */
  columns?: string[];
}

/** A WITH entry: the paren opening its body, its frame, and its column list when it has one. */
export interface CteDef {
  name: string;
  /** Token index of the name where it is defined. */
  nameIndex: number;
  /** Token index of the `(` opening the body. */
  paren: number;
  /** The frame of the body (-1 while the body paren has not been reached). */
  frame: number;
  /** `with f(a, b) as (...)`: the names given to the body's columns, in order. */
  columns?: string[];
}

export interface Frame {
  id: number;
  parent: number;
  hasSelect: boolean;
  /** A CTE body or a derived table: it cannot see the sources of the frames around it. */
  isolated: boolean;
  sources: TableRef[];
  /** The enclosing clause when the frame opened (a function call inherits it). */
  openClause: Clause;
  /** Token indices of the frame's `(` and `)` (-1 and the token count for the statement's own frame, or when unclosed). */
  open: number;
  close: number;
}

export interface JoinCondition {
  ref: TableRef;
  /** Token range [start, end) of the ON condition, or of the USING column list. */
  start: number;
  end: number;
  using: boolean;
}

export interface StatementScope {
  statement: Statement;
  tokens: Token[];
  frames: Frame[];
  /** Frame of each token; a paren belongs to the frame it opens or closes. */
  frameOf: number[];
  /** Effective clause at each token. */
  clauseOf: Clause[];
  refs: TableRef[];
  ctes: Set<string>;
  /** The WITH entries by name (the first definition of a name wins). */
  cteDefs: Map<string, CteDef>;
  joins: JoinCondition[];
  /** Token indices that belong to table names or alias definitions (not column references). */
  nonColumn: Set<number>;
  /** Names defined as select-list aliases anywhere in the statement. */
  selectAliases: Set<string>;
}

/** Words that end a table reference or cannot be an alias. */
export const RESERVED = new Set(
  (
    'select from where join left right inner outer full cross natural on using group order by having limit offset ' +
    'union all except intersect minus window qualify as and or not in is null case when then else end with set values ' +
    'lateral returning fetch for tablesample sample pivot unpivot distinct into update delete insert over partition ' +
    'asc desc nulls first last like ilike between exists any some true false interval top recursive materialized'
  ).split(' '),
);

const CLAUSE_WORDS = new Map<string, Clause>([
  ['where', 'where'],
  ['having', 'having'],
  ['qualify', 'qualify'],
  ['limit', 'limit'],
  ['offset', 'limit'],
  ['set', 'set'],
  ['union', 'none'],
  ['intersect', 'none'],
  ['except', 'none'],
  ['minus', 'none'],
  ['window', 'none'],
]);

/** Words that end a JOIN's ON condition at the same frame. */
const ENDS_CONDITION = new Set([
  'join',
  'left',
  'right',
  'inner',
  'full',
  'cross',
  'natural',
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
]);

const isName = (t: Token | undefined): t is Token =>
  !!t && ((t.kind === 'word' && !RESERVED.has(t.value)) || t.kind === 'quoted');
const isPunct = (t: Token | undefined, p: string) => !!t && t.kind === 'punct' && t.text === p;
const isWord = (t: Token | undefined, w: string) => !!t && t.kind === 'word' && t.value === w;
const nameOf = (t: Token) => (t.kind === 'quoted' ? t.value.toLowerCase() : t.value);

function matchParens(tokens: readonly Token[]): number[] {
  const match = new Array<number>(tokens.length).fill(-1);
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (isPunct(t, '(')) stack.push(i);
    else if (isPunct(t, ')') && stack.length) {
      const open = stack.pop() as number;
      match[open] = i;
      match[i] = open;
    }
  });
  return match;
}

/** Records CTE names and marks the parens of their bodies, so those frames are isolated. */
function scanWith(
  tokens: readonly Token[],
  at: number,
  match: readonly number[],
  ctes: Set<string>,
  bodies: Set<number>,
  nonColumn: Set<number>,
  defs: Map<string, CteDef>,
): void {
  let j = at + 1;
  if (isWord(tokens[j], 'recursive')) j++;
  while (isName(tokens[j])) {
    const name = nameOf(tokens[j]);
    const nameIndex = j;
    ctes.add(name);
    nonColumn.add(j);
    j++;
    let columns: string[] | undefined;
    if (isPunct(tokens[j], '(')) {
      columns = [];
      for (let k = j + 1; k < (match[j] < 0 ? tokens.length : match[j]); k++) {
        nonColumn.add(k);
        if (isName(tokens[k])) columns.push(nameOf(tokens[k]));
      }
      if (match[j] < 0) return;
      j = match[j] + 1;
    }
    if (!isWord(tokens[j], 'as')) return;
    j++;
    if (isWord(tokens[j], 'not')) j++;
    if (isWord(tokens[j], 'materialized')) j++;
    if (!isPunct(tokens[j], '(')) return;
    bodies.add(j);
    if (!defs.has(name)) defs.set(name, { name, nameIndex, paren: j, frame: -1, columns });
    if (match[j] < 0) return;
    j = match[j] + 1;
    if (!isPunct(tokens[j], ',')) return;
    j++;
  }
}

export function analyzeStatement(statement: Statement): StatementScope {
  const tokens = statement.tokens;
  const match = matchParens(tokens);
  const frames: Frame[] = [
    {
      id: 0,
      parent: -1,
      hasSelect: false,
      isolated: true,
      sources: [],
      openClause: 'none',
      open: -1,
      close: tokens.length,
    },
  ];
  const frameOf = new Array<number>(tokens.length).fill(0);
  const clauseOf = new Array<Clause>(tokens.length).fill('none');
  const refs: TableRef[] = [];
  const ctes = new Set<string>();
  const cteDefs = new Map<string, CteDef>();
  const cteBodies = new Set<number>();
  const joins: JoinCondition[] = [];
  const nonColumn = new Set<number>();
  const selectAliases = new Set<string>();
  // Per-frame parse state, indexed by frame id.
  const clause: Clause[] = ['none'];
  const expectTable: boolean[] = [false];
  const derivedParen: boolean[] = [false];
  const lastJoin: (TableRef | undefined)[] = [undefined];
  const openCondition: (JoinCondition | undefined)[] = [undefined];
  const stack = [0];

  const effective = (f: number): Clause => (clause[f] !== 'none' ? clause[f] : frames[f].openClause);
  const closeCondition = (f: number, end: number) => {
    const c = openCondition[f];
    if (c) {
      c.end = end;
      openCondition[f] = undefined;
    }
  };

  /** Parses `name[.name[.name]] [as] [alias]` starting at i; returns the index after it. */
  const readTableRef = (i: number, f: number): number => {
    const parts = [i];
    let j = i + 1;
    // Stops at a keyword: `from hightouch_audit.` followed by the next line's `select` is half-typed.
    while (isPunct(tokens[j], '.') && isName(tokens[j + 1])) {
      parts.push(j + 1);
      j += 2;
    }
    for (let k = i; k < j; k++) nonColumn.add(k);
    if (isPunct(tokens[j], '(')) {
      // A table function (unnest, flatten, generate_series): its parens become a derived source.
      expectTable[f] = true;
      return j;
    }
    // BigQuery and Databricks quote the whole path at once: `project.hightouch_audit.sync_runs`.
    const names = parts.flatMap((p) =>
      tokens[p].kind === 'quoted' ? nameOf(tokens[p]).split('.') : [nameOf(tokens[p])],
    );
    const name = names[names.length - 1];
    const schema = names.length > 1 ? names[names.length - 2] : undefined;
    const ref: TableRef = {
      kind: names.length === 1 && ctes.has(name) ? 'cte' : 'table',
      name,
      schema,
      nameStart: i,
      nameEnd: j,
      frame: f,
    };
    if (isWord(tokens[j], 'as')) j++;
    if (isName(tokens[j])) {
      ref.alias = nameOf(tokens[j]);
      ref.aliasIndex = j;
      nonColumn.add(j);
      j++;
    }
    refs.push(ref);
    frames[f].sources.push(ref);
    lastJoin[f] = clause[f] === 'join' ? ref : undefined;
    return j;
  };

  /** Takes the table reference expected at i into frame f; returns the index after it. */
  const takeTableRef = (i: number, f: number): number => {
    expectTable[f] = false;
    clauseOf[i] = effective(f);
    const after = readTableRef(i, f);
    for (let k = i + 1; k < after; k++) {
      frameOf[k] = f;
      clauseOf[k] = effective(f);
    }
    return after;
  };

  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    const f = stack[stack.length - 1];
    if (isPunct(t, '(')) {
      const id = frames.length;
      const isolated = cteBodies.has(i) || expectTable[f];
      frames.push({
        id,
        parent: f,
        hasSelect: false,
        isolated,
        sources: [],
        openClause: effective(f),
        open: i,
        close: match[i] < 0 ? tokens.length : match[i],
      });
      if (cteBodies.has(i)) for (const def of cteDefs.values()) if (def.paren === i) def.frame = id;
      clause.push('none');
      expectTable.push(false);
      derivedParen.push(expectTable[f]);
      lastJoin.push(undefined);
      openCondition.push(undefined);
      expectTable[f] = false;
      stack.push(id);
      frameOf[i] = id;
      clauseOf[i] = effective(f);
      i++;
      continue;
    }
    if (isPunct(t, ')') && stack.length > 1) {
      frameOf[i] = f;
      closeCondition(f, i);
      stack.pop();
      const parent = stack[stack.length - 1];
      clauseOf[i] = effective(parent);
      i++;
      if (derivedParen[f]) {
        const ref: TableRef = { kind: 'derived', name: '', nameStart: i, nameEnd: i, frame: parent, body: f };
        if (isWord(tokens[i], 'as')) i++;
        if (isName(tokens[i])) {
          ref.alias = nameOf(tokens[i]);
          ref.aliasIndex = i;
          nonColumn.add(i);
          frameOf[i] = parent;
          clauseOf[i] = effective(parent);
          i++;
          if (isPunct(tokens[i], '(') && match[i] > i) {
            // `(...) x(a, b)`: names for the derived table's columns, which are no references.
            ref.columns = [];
            for (let k = i + 1; k < match[i]; k++) {
              nonColumn.add(k);
              if (isName(tokens[k])) ref.columns.push(nameOf(tokens[k]));
            }
          }
        }
        refs.push(ref);
        frames[parent].sources.push(ref);
        lastJoin[parent] = clause[parent] === 'join' ? ref : undefined;
      }
      continue;
    }
    frameOf[i] = f;
    if (t.kind === 'word') {
      const w = t.value;
      const next = tokens[i + 1];
      if (w === 'with') {
        clause[f] = 'with';
        scanWith(tokens, i, match, ctes, cteBodies, nonColumn, cteDefs);
      } else if (w === 'select') {
        frames[f].hasSelect = true;
        closeCondition(f, i);
        clause[f] = 'select';
        expectTable[f] = false;
      } else if (
        w === 'from' &&
        (frames[f].hasSelect || (f === 0 && clause[f] === 'none') || isWord(tokens[i - 1], 'delete'))
      ) {
        clause[f] = 'from';
        expectTable[f] = true;
      } else if (w === 'join') {
        closeCondition(f, i);
        clause[f] = 'join';
        expectTable[f] = true;
      } else if (w === 'update' || (w === 'into' && !frames[f].hasSelect)) {
        clause[f] = 'from';
        expectTable[f] = true;
      } else if ((w === 'on' || w === 'using') && clause[f] === 'join' && lastJoin[f]) {
        clause[f] = 'on';
        const start = w === 'using' && isPunct(next, '(') ? i + 2 : i + 1;
        const cond: JoinCondition = { ref: lastJoin[f] as TableRef, start, end: tokens.length, using: w === 'using' };
        if (cond.using && match[i + 1] >= 0) cond.end = match[i + 1];
        else openCondition[f] = cond;
        joins.push(cond);
      } else if ((w === 'group' || w === 'order') && isWord(next, 'by')) {
        closeCondition(f, i);
        clause[f] = w === 'group' ? 'group by' : 'order by';
      } else if (CLAUSE_WORDS.has(w)) {
        closeCondition(f, i);
        clause[f] = CLAUSE_WORDS.get(w) as Clause;
        if (clause[f] === 'none') expectTable[f] = false;
      } else if (ENDS_CONDITION.has(w)) {
        closeCondition(f, i);
      } else if (expectTable[f] && isName(t)) {
        i = takeTableRef(i, f);
        continue;
      } else if (w === 'as' && isName(next)) {
        // An alias, or a type in cast(x as varchar): never a column reference.
        if (clause[f] === 'select') selectAliases.add(nameOf(next));
        nonColumn.add(i + 1);
      }
    } else if (t.kind === 'op' && (t.text === '::' || t.text === ':') && isName(tokens[i + 1])) {
      // A cast type, or a Snowflake/Databricks JSON path (`fields:email`): not a column.
      nonColumn.add(i + 1);
    } else if (t.kind === 'quoted' && expectTable[f]) {
      i = takeTableRef(i, f);
      continue;
    } else if (isPunct(t, ',') && (clause[f] === 'from' || clause[f] === 'join' || clause[f] === 'on')) {
      // At the frame's own level a comma here only ever separates table sources.
      closeCondition(f, i);
      clause[f] = 'from';
      expectTable[f] = true;
    }
    // An implicit select alias: `count(*) c`, `r.started_at ts`.
    const prev = tokens[i - 1];
    if (
      clause[f] === 'select' &&
      isName(t) &&
      prev &&
      (isPunct(prev, ')') || prev.kind === 'string' || prev.kind === 'number' || isName(prev)) &&
      !isPunct(tokens[i + 1], '(') &&
      !isPunct(tokens[i + 1], '.')
    ) {
      selectAliases.add(nameOf(t));
      nonColumn.add(i);
    }
    clauseOf[i] = effective(f);
    i++;
  }
  return { statement, tokens, frames, frameOf, clauseOf, refs, ctes, cteDefs, joins, nonColumn, selectAliases };
}

/** The frame a cursor at this offset is in (after `(` it is the frame that paren opens). */
export function frameAtOffset(scope: StatementScope, offset: number): number {
  const idx = indexBefore(scope.tokens, offset);
  if (idx < 0) return 0;
  const t = scope.tokens[idx];
  if (isPunct(t, ')')) return Math.max(0, scope.frames[scope.frameOf[idx]].parent);
  return scope.frameOf[idx];
}

/** The clause a cursor at this offset is in. */
export function clauseAt(scope: StatementScope, offset: number): Clause {
  const idx = indexBefore(scope.tokens, offset);
  return idx < 0 ? 'none' : scope.clauseOf[idx];
}

/**
 * Sources visible from a frame: its own and its enclosing frames' (a correlated subquery sees
 * the outer query), stopping at a CTE body or derived table, which cannot see outwards.
 */
export function visibleSources(scope: StatementScope, frame: number): TableRef[] {
  const out: TableRef[] = [];
  let f: number = frame;
  while (f >= 0) {
    const fr = scope.frames[f];
    out.push(...fr.sources);
    if (fr.isolated && fr.hasSelect) break;
    f = fr.parent;
  }
  return out;
}

/** The source a qualifier (alias, or table name when it has no alias) names, innermost first. */
export function resolveQualifier(
  scope: StatementScope,
  frame: number,
  qualifier: string,
  schema?: string,
): TableRef | undefined {
  const q = qualifier.toLowerCase();
  const s = schema?.toLowerCase();
  const matches = (r: TableRef) =>
    schema !== undefined ? !r.alias && r.name === q && r.schema === s : r.alias === q || (!r.alias && r.name === q);
  let f = frame;
  while (f >= 0) {
    const hit = scope.frames[f].sources.find(matches);
    if (hit) return hit;
    f = scope.frames[f].parent;
  }
  return scope.refs.find(matches);
}

/** The statement holding an offset, analysed, from a document's text (lexed as `dialect`) or its kept-up index. */
export function scopeAt(
  source: string | StatementIndex,
  offset: number,
  dialect: DialectKind = 'postgres',
): StatementScope {
  const index = typeof source === 'string' ? indexStatements(source, lexicalOf(dialect)) : source;
  return analyzeStatement(absoluteStatement(index, chunkIndexAt(index, offset)));
}

/** Writes a suggested name in the style of the name it replaces (Snowflake users write upper case). */
export function matchCase(original: string, replacement: string): string {
  return /[a-z]/i.test(original) && original === original.toUpperCase() ? replacement.toUpperCase() : replacement;
}
