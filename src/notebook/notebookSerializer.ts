import * as vscode from 'vscode';
import { dialectFor, type DialectKind } from '../sql/dialects';
import { parseNotebook, serializeNotebook, type NotebookCellText } from './notebookText';

export const NOTEBOOK_TYPE = 'synclogs-notebook';
/** Where a cell keeps what the text format needs back: its options and the exact text it came from. */
const META = 'synclogs';

interface CellMeta {
  options?: Record<string, string>;
  source?: { raw: string; value: string };
}

/**
 * `*.synclogs.sql` <-> notebook cells, through notebookText (pure). Outputs are not written to the
 * file (transientOutputs): the file stays a plain, diffable SQL script.
 */
export class SyncLogsNotebookSerializer implements vscode.NotebookSerializer {
  constructor(private readonly dialect: () => DialectKind) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const text = new TextDecoder().decode(content);
    const cells = parseNotebook(text, dialectFor(this.dialect()).lexical).map((c) => {
      const cell = new vscode.NotebookCellData(
        c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
        c.value,
        c.kind === 'markdown' ? 'markdown' : 'sql',
      );
      cell.metadata = { [META]: { options: c.options, source: c.source } satisfies CellMeta };
      return cell;
    });
    return new vscode.NotebookData(cells);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const cells: NotebookCellText[] = data.cells.map((cell) => {
      const meta = (cell.metadata?.[META] ?? {}) as CellMeta;
      return {
        kind: cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'sql',
        value: cell.value,
        options: meta.options ?? {},
        ...(meta.source ? { source: meta.source } : {}),
      };
    });
    return new TextEncoder().encode(serializeNotebook(cells));
  }
}
