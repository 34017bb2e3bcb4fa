/**
 * What a finished cell shows: the result as JSON for the renderer (the grid, or a chart the
 * magic comment asked for) and the CLI's text table as text/plain beside it, which any other
 * notebook viewer, a sidecar or a diff can read. Pure: the controller wraps these in VS Code's
 * output items.
 */
import { formatTable } from '../cli/format';
import type { NotebookResultOutput } from '../shared/notebookOutput';
import type { QueryResult } from '../shared/queryResult';
import { shapeChart } from './chartData';
import type { ParsedOutputComment } from './outputComment';

/** Rows in the text table: the grid holds every row; the text is for reading, not for a million lines. */
export const TEXT_ROWS = 1000;

export interface CellOutputParts {
  /** Absent for `-- synclogs: text` and for statements without rows. */
  json?: NotebookResultOutput;
  text: string;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The line under the table: how many rows, and whether the warehouse had more. */
export function countLine(result: QueryResult): string {
  if (result.columns.length === 0)
    return `${result.command ?? 'Statement'} finished: ${fmt(result.rowCount)} rows affected.`;
  if (result.rowCountExact === false)
    return `First ${fmt(result.rows.length)} rows; the query has more (syncLogs.maxResultRows caps what is read).`;
  return `${fmt(result.rowCount)} row${result.rowCount === 1 ? '' : 's'} in ${Math.round(result.elapsedMs)} ms.`;
}

function textTable(result: QueryResult): string {
  if (result.columns.length === 0) return '';
  if (result.rows.length <= TEXT_ROWS) return `${formatTable(result)}\n`;
  const shown = formatTable({ ...result, rows: result.rows.slice(0, TEXT_ROWS) });
  return `${shown}\n(The text shows the first ${fmt(TEXT_ROWS)} of ${fmt(result.rows.length)} rows read.)\n`;
}

export function cellOutput(result: QueryResult, parsed: ParsedOutputComment, runId: string): CellOutputParts {
  let problem = parsed.problem;
  const base = {
    version: 1 as const,
    runId,
    columns: result.columns,
    rowCount: result.rowCount,
    rowCountExact: result.rowCountExact !== false,
    elapsedMs: result.elapsedMs,
  };
  let json: NotebookResultOutput | undefined;
  if (result.columns.length > 0 && parsed.choice.output !== 'text') {
    const shaped =
      parsed.choice.output === 'chart' ? shapeChart(parsed.choice, result.columns, result.rows) : undefined;
    if (shaped && 'chart' in shaped) json = { ...base, rows: [], chart: shaped.chart };
    else {
      if (shaped) problem = `The chart could not be drawn: ${shaped.problem}`;
      json = { ...base, rows: result.rows, ...(problem ? { problem } : {}) };
    }
  }
  const text = `${problem ? `${problem}\n\n` : ''}${textTable(result)}${countLine(result)}`;
  return { ...(json ? { json } : {}), text };
}
