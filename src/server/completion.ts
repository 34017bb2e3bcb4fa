/**
 * Completion for sync-log SQL: tables after a schema or in FROM/JOIN, columns after an alias
 * or anywhere an expression goes, enumerated values inside string literals, and the active
 * dialect's common functions. Names follow the user's case (Snowflake users type upper case).
 */
import { allowedValues, comparedColumn, columnRefs, indexRefs, tableModelOf } from './columnRefs';
import type { ServerOptions, TableModel } from './schemaModel';
import { DIALECT_FUNCTIONS, columnsOf, findTable, schemaOfTable, visibleTables } from './schemaModel';
import type { StatementScope, TableRef } from './sqlScope';
import { sourceColumns } from './frameColumns';
import { functionDoc } from './functions';
import { RESERVED, clauseAt, frameAtOffset, resolveQualifier, scopeAt, visibleSources } from './sqlScope';
import { isLineComment, type Token } from '../sql/lexer';
import type { StatementIndex } from './statementIndex';
import { indexBefore } from './statements';

export type CompletionKind = 'schema' | 'table' | 'column' | 'alias' | 'value' | 'function';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail: string;
  documentation: string;
  insertText: string;
  /** The text the item replaces (the partly typed word or string content). */
  replaceStart: number;
  replaceEnd: number;
}

type Style = 'lower' | 'upper';

const styleOf = (s: string): Style | undefined =>
  /[a-z]/i.test(s) ? (s === s.toUpperCase() ? 'upper' : 'lower') : undefined;
const styled = (name: string, style: Style) => (style === 'upper' ? name.toUpperCase() : name);
const isIdent = (t: Token | undefined): t is Token => !!t && (t.kind === 'word' || t.kind === 'quoted');

/** The statement's own style: upper when most of its keywords are written upper case. */
function statementStyle(scope: StatementScope): Style {
  let upper = 0;
  let lower = 0;
  for (const t of scope.tokens) {
    if (t.kind !== 'word' || !RESERVED.has(t.value)) continue;
    if (styleOf(t.text) === 'upper') upper++;
    else lower++;
  }
  return upper > lower ? 'upper' : 'lower';
}

/** Inside a comment; a line comment (or an unclosed block) still holds the cursor at its end. */
const inComment = (c: Token, offset: number) =>
  c.start < offset && (offset < c.end || (offset === c.end && (isLineComment(c) || c.unterminated === true)));

export function completions(source: string | StatementIndex, offset: number, options: ServerOptions): CompletionItem[] {
  const text = typeof source === 'string' ? source : source.text;
  const scope = scopeAt(source, offset, options.dialect);
  if (scope.statement.comments.some((c) => inComment(c, offset))) return [];
  const tokens = scope.tokens;
  const last = indexBefore(tokens, offset);
  const touching = last >= 0 && tokens[last].end === offset ? tokens[last] : undefined;
  const inside = tokens.find((t) => t.start < offset && offset < t.end);
  const stringToken = [inside, touching].find((t) => t?.kind === 'string' && (t !== touching || t.unterminated));
  if (stringToken) return valueItems(scope, tokens.indexOf(stringToken), options);
  if (inside) return [];

  const word = isIdent(touching) ? touching : undefined;
  const prefix = word ? text.slice(word.start, offset) : '';
  const replaceStart = word ? word.start : offset;
  const replaceEnd = word ? word.end : offset;
  const before = word ? last - 1 : last;
  const prev = tokens[before];
  const make = (
    label: string,
    kind: CompletionKind,
    detail: string,
    documentation: string,
    insertText = label,
  ): CompletionItem => ({
    label,
    kind,
    detail,
    documentation,
    insertText,
    replaceStart,
    replaceEnd,
  });
  const style = styleOf(prefix) ?? statementStyle(scope);

  if (prev?.kind === 'punct' && prev.text === '.') {
    return qualifiedItems(scope, before, offset, options, make);
  }
  const clause = clauseAt(scope, word ? word.start : offset);
  const tablePosition =
    (prev?.kind === 'word' && ['from', 'join', 'update', 'into'].includes(prev.value)) ||
    (prev?.kind === 'punct' && prev.text === ',' && clause === 'from');
  if (tablePosition) {
    const schemaItems = visibleTables(options).map((t) => {
      const name = `${schemaOfTable(t, options)}.${t.name}`;
      return make(styled(name, style), 'table', 'sync-log table', t.description);
    });
    const cteItems = [...scope.ctes].map((c) =>
      make(styled(c, style), 'table', 'CTE', `Common table expression \`${c}\` of this statement.`),
    );
    return [
      ...schemaItems,
      ...cteItems,
      make(styled(options.schema, style), 'schema', 'sync-log schema', 'The schema holding the sync-log tables.'),
    ];
  }
  if (prev?.kind === 'op' && ['=', '!=', '<>'].includes(prev.text)) {
    const ref = indexRefs(columnRefs(scope)).byEnd.get(before - 1);
    const values = ref ? allowedValues(scope, ref, options) : undefined;
    if (values)
      return values.map((v) => make(`'${v}'`, 'value', `${ref?.name} value`, `A value ${ref?.name} can hold here.`));
  }
  return expressionItems(scope, frameAtOffset(scope, offset), options, style, make);
}

type Make = (
  label: string,
  kind: CompletionKind,
  detail: string,
  documentation: string,
  insertText?: string,
) => CompletionItem;

function columnItems(table: TableModel, options: ServerOptions, style: Style, make: Make): CompletionItem[] {
  return columnsOf(table, options).map((c) => {
    const values = c.model?.values ? ` One of: ${c.model.values.map((v) => `\`${v}\``).join(', ')}.` : '';
    return make(
      styled(c.name, style),
      'column',
      `${table.name}.${c.name}: ${c.type}`,
      (c.model?.description ?? '') + values,
    );
  });
}

/** After `x.`: tables of a schema, or the columns of the table an alias or name stands for. */
function qualifiedItems(
  scope: StatementScope,
  dot: number,
  offset: number,
  options: ServerOptions,
  make: Make,
): CompletionItem[] {
  const tokens = scope.tokens;
  const qualifier = tokens[dot - 1];
  if (!isIdent(qualifier)) return [];
  const q = qualifier.kind === 'quoted' ? qualifier.value.toLowerCase() : qualifier.value;
  const style = styleOf(qualifier.kind === 'quoted' ? qualifier.value : qualifier.text) ?? 'lower';
  const inSchema = visibleTables(options).filter((t) => schemaOfTable(t, options).toLowerCase() === q);
  if (inSchema.length > 0)
    return inSchema.map((t) =>
      make(styled(t.name, style), 'table', `${schemaOfTable(t, options)}.${t.name}`, t.description),
    );
  const outer = tokens[dot - 3];
  const schema = tokens[dot - 2]?.text === '.' && isIdent(outer) ? outer.value.toLowerCase() : undefined;
  const frame = frameAtOffset(scope, offset);
  const source = resolveQualifier(scope, frame, q, schema);
  if (source && source.kind !== 'table') return derivedItems(scope, source, options, style, make);
  const table = tableModelOf(source, options) ?? findTable(q, schema, options);
  return table ? columnItems(table, options, style, make) : [];
}

/** Columns of a CTE or derived table (nothing when they are unknown). */
function derivedItems(
  scope: StatementScope,
  source: TableRef,
  options: ServerOptions,
  style: Style,
  make: Make,
): CompletionItem[] {
  const owner = source.alias ?? (source.name || 'subquery');
  return (sourceColumns(scope, source, options)?.columns ?? []).map((c) => {
    const model = c.origin?.column;
    const values = model?.values ? ` One of: ${model.values.map((v) => `\`${v}\``).join(', ')}.` : '';
    const from = c.origin ? ` From ${c.origin.table.name}.${c.origin.column.name}.` : '';
    return make(
      styled(c.name, style),
      'column',
      `${owner}.${c.name}${c.type ? `: ${c.type}` : ''}`,
      ((model?.description ?? '') + values + from).trim(),
    );
  });
}

function expressionItems(
  scope: StatementScope,
  frame: number,
  options: ServerOptions,
  style: Style,
  make: Make,
): CompletionItem[] {
  const sources = visibleSources(scope, frame);
  const tables = sources.map((s) => tableModelOf(s, options)).filter((t): t is TableModel => !!t);
  const derived = sources.filter((s) => s.kind !== 'table');
  // With no sync-log table in scope yet (FROM not typed), offer every sync-log column; a CTE or
  // subquery in scope offers only what it produces.
  const offered =
    tables.length > 0 || derived.length > 0 ? [...new Set(tables)] : visibleTables(options).filter((t) => !t.optional);
  const seen = new Set<string>();
  const columns = [
    ...offered.flatMap((t) => columnItems(t, options, style, make)),
    ...derived.flatMap((s) => derivedItems(scope, s, options, style, make)),
  ].filter((item) => !seen.has(item.label) && seen.add(item.label));
  const aliases = sources
    .filter((s) => s.alias)
    .map((s) =>
      make(
        styled(s.alias as string, style),
        'alias',
        s.kind === 'table' ? `${s.schema ? s.schema + '.' : ''}${s.name}` : s.kind,
        'Alias of a source in this query.',
      ),
    );
  const functions = DIALECT_FUNCTIONS[options.dialect].map((f) => {
    const d = functionDoc(f, options.dialect);
    return make(
      styled(f, style),
      'function',
      d?.signature ?? `${options.dialect} function`,
      d ? `${d.summary} (${options.dialect})` : '',
      `${styled(f, style)}(`,
    );
  });
  return [...columns, ...aliases, ...functions];
}

/** Inside a string literal compared with an enumerated column: its allowed values. */
function valueItems(scope: StatementScope, index: number, options: ServerOptions): CompletionItem[] {
  const t = scope.tokens[index];
  const ref = comparedColumn(scope, indexRefs(columnRefs(scope)), index);
  const values = ref ? allowedValues(scope, ref, options) : undefined;
  if (!ref || !values) return [];
  // Between the quotes, whatever they are: 'x', E'x', '''x''', $$x$$.
  const start = t.start + (t.open ?? 1);
  const end = t.end - (t.close ?? 1);
  return values.map((v) => ({
    label: v,
    kind: 'value' as const,
    detail: `${ref.name} value`,
    documentation: `A value ${ref.name} can hold here.`,
    insertText: v,
    replaceStart: start,
    replaceEnd: end,
  }));
}
