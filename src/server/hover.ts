/**
 * Hover for sync-log SQL: what a table or column means (ARCHITECTURE.md, "SQL dialects, the sync-log tables, error categories"), its type on the
 * active connection (the catalog's when given), and the values an enumerated column holds.
 */
import { allowedValues, columnRefs, comparedColumn, indexRefs, resolveColumn, tableModelOf } from './columnRefs';
import type { ServerOptions, TableModel, ColumnModel } from './schemaModel';
import { columnsOf, schemaOfTable } from './schemaModel';
import type { StatementScope, TableRef } from './sqlScope';
import { scopeAt } from './sqlScope';
import { sourceColumns } from './frameColumns';
import { functionMarkdown } from './functions';
import type { StatementIndex } from './statementIndex';

export interface Hover {
  markdown: string;
  start: number;
  end: number;
}

function tableMarkdown(table: TableModel, options: ServerOptions): string {
  const columns = columnsOf(table, options)
    .map((c) => `\`${c.name}\``)
    .join(', ');
  return `**${schemaOfTable(table, options)}.${table.name}**\n\n${table.description}\n\nColumns: ${columns}`;
}

function columnMarkdown(table: TableModel, column: ColumnModel, options: ServerOptions): string {
  const live = columnsOf(table, options).find((c) => c.name === column.name);
  const type = live
    ? `\`${live.type}\`${live.fromCatalog ? ' (on this connection)' : ' (documented)'}`
    : 'not on this connection';
  const values = column.values ? `\n\nValues: ${column.values.map((v) => `\`${v}\``).join(', ')}` : '';
  const absent = column.absentOn?.includes(options.dialect) ? `\n\nAbsent on ${options.dialect}.` : '';
  return `**${table.name}.${column.name}**: ${type}\n\n${column.description}${values}${absent}`;
}

/** A CTE or derived table: what it is and the columns it produces, when known. */
function derivedMarkdown(scope: StatementScope, ref: TableRef, options: ServerOptions): string | undefined {
  const produced = sourceColumns(scope, ref, options);
  const title =
    ref.kind === 'cte' ? `**${ref.name}** (common table expression)` : `**${ref.alias ?? 'subquery'}** (derived table)`;
  if (!produced) return undefined;
  const columns = produced.columns.map((c) => `\`${c.name}\``).join(', ');
  return `${title}\n\nColumns: ${columns || '(none known)'}${produced.complete ? '' : ' (and unnamed expressions)'}`;
}

export function hover(source: string | StatementIndex, offset: number, options: ServerOptions): Hover | undefined {
  const scope = scopeAt(source, offset, options.dialect);
  const tokens = scope.tokens;
  const index = tokens.findIndex((t) => t.start <= offset && offset < t.end);
  if (index < 0) return undefined;
  const token = tokens[index];
  const range = { start: token.start, end: token.end };

  if (token.kind === 'string') {
    const ref = comparedColumn(scope, indexRefs(columnRefs(scope)), index);
    const values = ref ? allowedValues(scope, ref, options) : undefined;
    if (!ref || !values) return undefined;
    const known = values.includes(token.value) ? '' : `\n\n\`${token.value}\` is not one of them.`;
    return { ...range, markdown: `**${ref.name}** holds ${values.map((v) => `\`${v}\``).join(', ')} here.${known}` };
  }
  if (token.kind !== 'word' && token.kind !== 'quoted') return undefined;

  const ref = scope.refs.find((r) => (index >= r.nameStart && index < r.nameEnd) || r.aliasIndex === index);
  if (ref) {
    const table = tableModelOf(ref, options);
    if (table) return { ...range, markdown: tableMarkdown(table, options) };
    const derived = ref.kind !== 'table' ? derivedMarkdown(scope, ref, options) : undefined;
    return derived ? { ...range, markdown: derived } : undefined;
  }
  const cte = [...scope.cteDefs.values()].find((d) => d.nameIndex === index);
  if (cte) {
    const markdown = derivedMarkdown(
      scope,
      { kind: 'cte', name: cte.name, nameStart: index, nameEnd: index + 1, frame: 0 },
      options,
    );
    return markdown ? { ...range, markdown } : undefined;
  }
  // A function call (not a qualified name's last part: `x.count(` is no built-in).
  const next = tokens[index + 1];
  if (token.kind === 'word' && next?.kind === 'punct' && next.text === '(' && tokens[index - 1]?.text !== '.') {
    const markdown = functionMarkdown(token.value, options.dialect);
    return markdown ? { ...range, markdown } : undefined;
  }
  const columnRef = columnRefs(scope).find((r) => r.start <= index && index <= r.end);
  if (!columnRef) return undefined;
  if (index < columnRef.nameIndex) {
    const table = tableModelOf(columnRef.source, options);
    if (table) return { ...range, markdown: tableMarkdown(table, options) };
    const derived =
      columnRef.source && columnRef.source.kind !== 'table'
        ? derivedMarkdown(scope, columnRef.source, options)
        : undefined;
    return derived ? { ...range, markdown: derived } : undefined;
  }
  if (index !== columnRef.nameIndex) return undefined;
  const hits = resolveColumn(scope, columnRef, options);
  if (hits.length === 0) return undefined;
  return { ...range, markdown: hits.map((h) => columnMarkdown(h.table, h.column, options)).join('\n\n---\n\n') };
}
