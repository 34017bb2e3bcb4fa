/**
 * A result as the results grid over all its rows in memory (sort, filter, find, copy and the
 * inspector run here, in the output), in a box as tall as the rows up to MAX_GRID_PX, past which
 * the grid scrolls inside and only the rows in view are in the DOM.
 */
import type { NotebookResultOutput } from '../../src/shared/notebookOutput';
import { InMemorySource } from '../grid/dataSource';
import { Grid, HEADER_HEIGHT, ROW_HEIGHT } from '../grid/grid';
import type { OutputFrame } from './frame';

export const MAX_GRID_PX = 420;
/** The grid's quick-filter bar, its border, and room for a horizontal scrollbar. */
const CHROME_PX = 34 + 2 + 14;

export function gridOutput(
  data: NotebookResultOutput,
  frame: OutputFrame,
  writeClipboard: (text: string) => Promise<void> | void,
): Grid {
  const source = new InMemorySource(data.columns, data.rows);
  const box = frame.body;
  box.classList.add('slnb-grid');
  const rowsPx = HEADER_HEIGHT + ROW_HEIGHT * Math.max(1, data.rows.length);
  box.style.height = `${Math.min(MAX_GRID_PX, rowsPx + CHROME_PX)}px`;
  const grid = new Grid({ source, label: 'Cell result', writeClipboard });
  box.append(grid.element);
  return grid;
}
