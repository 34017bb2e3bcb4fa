/**
 * Hover for sync-log SQL: what a table or column means (docs/schema.md), its type on the
 * active connection (the catalog's when given), and the values an enumerated column holds.
 */
import { allowedValues, columnRefs, comparedColumn, indexRefs, resolveColumn, tableModelOf } from './columnRefs';
import type { ServerOptions, TableModel, ColumnModel } from './schemaModel';
import { columnsOf, schemaOfTable } from './schemaModel';
import { scopeAt } from './sqlScope';
import type { StatementIndex } from './statementIndex';

export interface Hover {
  markdown: string;
  start: number;
  end: number;
}

function tableMarkdown(table: TableModel, options: ServerOptions): string {
  const columns = columnsOf(table, options).map((c) => `\`${c.name}\``).join(', ');
  return `**${schemaOfTable(table, options)}.${table.name}**\n\n${table.description}\n\nColumns: ${columns}`;
}

function columnMarkdown(table: TableModel, column: ColumnModel, options: ServerOptions): string {
  const live = columnsOf(table, options).find((c) => c.name === column.name);
  const type = live ? `\`${live.type}\`${live.fromCatalog ? ' (on this connection)' : ' (documented)'}` : 'not on this connection';
  const values = column.values ? `\n\nValues: ${column.values.map((v) => `\`${v}\``).join(', ')}` : '';
  const absent = column.absentOn?.includes(options.dialect) ? `\n\nAbsent on ${options.dialect}.` : '';
  return `**${table.name}.${column.name}**: ${type}\n\n${column.description}${values}${absent}`;
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
    return table ? { ...range, markdown: tableMarkdown(table, options) } : undefined;
  }
  const columnRef = columnRefs(scope).find((r) => r.start <= index && index <= r.end);
  if (!columnRef) return undefined;
  if (index < columnRef.nameIndex) {
    const table = tableModelOf(columnRef.source, options);
    return table ? { ...range, markdown: tableMarkdown(table, options) } : undefined;
  }
  if (index !== columnRef.nameIndex) return undefined;
  const hits = resolveColumn(scope, columnRef, options);
  if (hits.length === 0) return undefined;
  return { ...range, markdown: hits.map((h) => columnMarkdown(h.table, h.column, options)).join('\n\n---\n\n') };
}
