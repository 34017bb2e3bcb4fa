import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { keepNotebookOutputs } from '../services/settingsReaders';
import { NOTEBOOK_RESULT_MIME } from '../shared/notebookOutput';
import { NOTEBOOK_TYPE } from './notebookSerializer';
import { cellHash, matchOutputs } from './outputMatching';
import { ERROR_MIME, savedItemOf, type SavedItem, type SavedOutput } from './savedItems';
import { SIDECAR_READ_LIMIT, decodeSidecar, encodeSidecar, sidecarPathOf, type SavedCell } from './sidecarFormat';

/**
 * syncLogs.notebook.keepOutputs: a sync-log notebook's outputs go to `NAME.synclogs.sql.outputs.json`
 * on save and come back on open (sidecarFormat.ts says what the file holds).
 *
 * Why the save and open events and not the serializer: a NotebookSerializer is given bytes, never
 * the file they came from (VS Code also (de)serializes backups, untitled notebooks and diffs
 * through it, and its maintainers point to the open and close events instead), and the serializer
 * is registered with transientOutputs so outputs never reach `serializeNotebook`: the
 * `.synclogs.sql` text is the same with the setting on or off.
 *
 * Why a cell execution restores them: the stable API has no edit that sets outputs (NotebookEdit
 * replaces cells, which would make the notebook dirty and put the restore on the undo stack).
 * An execution of the notebook's controller is the one way, and a controller may create one
 * outside a run. It is ended without a success value or times, so the cell shows no tick, no
 * duration and no execution order: nothing claims the cell just ran. VS Code lets only the
 * controller selected for the notebook create an execution, so the outputs wait until one of ours
 * is selected (at once for a notebook whose kernel VS Code remembers; else at the first run or
 * kernel pick) and are put back synchronously in that event, before a run it starts can begin.
 */
export class NotebookOutputSidecar implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  /** Matched outputs waiting for a selected controller, per notebook, with the hash each cell had. */
  private readonly pending = new Map<string, Map<vscode.NotebookCell, { hash: string; outputs: SavedOutput[] }>>();
  private readonly watched = new WeakSet<vscode.NotebookController>();
  /**
   * The hash of the text each cell's outputs came from. An edited cell still shows the output of
   * its old text; saved under that old hash, the output does not come back on the edited cell.
   */
  private readonly madeFrom = new WeakMap<vscode.NotebookCell, string>();
  /** Writes of one sidecar run one after another: the last save's outputs win. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    private readonly controllers: () => readonly vscode.NotebookController[],
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subs.push(
      vscode.workspace.onDidSaveNotebookDocument((doc) => this.queueWrite(doc)),
      vscode.workspace.onDidOpenNotebookDocument((doc) => void this.read(doc)),
      vscode.workspace.onDidCloseNotebookDocument((doc) => this.pending.delete(doc.uri.toString())),
      vscode.workspace.onDidChangeNotebookDocument((e) => this.noteOutputs(e)),
    );
    for (const doc of vscode.workspace.notebookDocuments) void this.read(doc);
  }

  /** Only files: another scheme (a git revision, a diff's side) has no sidecar of its own beside it. */
  private applies(doc: vscode.NotebookDocument): boolean {
    return doc.notebookType === NOTEBOOK_TYPE && doc.uri.scheme === 'file' && keepNotebookOutputs();
  }

  private sidecarOf(doc: vscode.NotebookDocument): vscode.Uri {
    return doc.uri.with({ path: sidecarPathOf(doc.uri.path) });
  }

  private nameOf(uri: vscode.Uri): string {
    return vscode.workspace.asRelativePath(uri, false);
  }

  // ---- writing ----

  /**
   * Outputs are of the text the cell has when they appear (a run replaces them as it ends); the
   * record goes when they are cleared, so the next outputs are taken as of the text then.
   */
  private noteOutputs(e: vscode.NotebookDocumentChangeEvent): void {
    if (e.notebook.notebookType !== NOTEBOOK_TYPE) return;
    for (const change of e.cellChanges) {
      if (!change.outputs) continue;
      if (change.outputs.length === 0) this.madeFrom.delete(change.cell);
      else if (!this.madeFrom.has(change.cell))
        this.madeFrom.set(change.cell, cellHash('sql', change.cell.document.getText()));
    }
  }

  private queueWrite(doc: vscode.NotebookDocument): void {
    if (!this.applies(doc)) return;
    const key = doc.uri.toString();
    const next = (this.writes.get(key) ?? Promise.resolve()).then(() => this.write(doc));
    this.writes.set(key, next);
    void next.finally(() => {
      if (this.writes.get(key) === next) this.writes.delete(key);
    });
  }

  private async write(doc: vscode.NotebookDocument): Promise<void> {
    const target = this.sidecarOf(doc);
    try {
      const cells: SavedCell[] = doc
        .getCells()
        .filter((c) => c.kind === vscode.NotebookCellKind.Code && c.outputs.length > 0)
        .map((c) => ({
          index: c.index,
          hash: this.madeFrom.get(c) ?? cellHash('sql', c.document.getText()),
          outputs: c.outputs
            .map((o) => o.items.map(savedItemOf).filter((i): i is SavedItem => i !== undefined))
            .filter((items) => items.length > 0),
        }));
      // No outputs and no sidecar yet: nothing to keep, and no empty file to clutter the folder.
      if (cells.length === 0 && !(await exists(target))) return;
      const encoded = encodeSidecar(cells);
      await writeAtomically(target, encoded.text);
      this.log.info(
        `Notebook outputs: wrote ${this.nameOf(target)} (outputs of ${encoded.cells} cell(s)${
          encoded.leftOut ? `; ${encoded.leftOut} cell(s) left out, over the size caps` : ''
        }).`,
      );
    } catch (err) {
      this.log.error(`Notebook outputs: could not write ${this.nameOf(target)}: ${(err as Error).message}`);
    }
  }

  // ---- reading and restoring ----

  private async read(doc: vscode.NotebookDocument): Promise<void> {
    if (!this.applies(doc)) return;
    const source = this.sidecarOf(doc);
    const name = this.nameOf(source);
    try {
      let size: number;
      try {
        size = (await vscode.workspace.fs.stat(source)).size;
      } catch {
        this.log.debug(`Notebook outputs: no ${name}, so no outputs to restore.`);
        return;
      }
      if (size > SIDECAR_READ_LIMIT) {
        this.log.warn(
          `Notebook outputs: ignored ${name}: it is ${size.toLocaleString('en-US')} bytes, more than the extension writes.`,
        );
        return;
      }
      const decoded = decodeSidecar(new TextDecoder().decode(await vscode.workspace.fs.readFile(source)));
      if (!decoded.ok) {
        this.log.warn(`Notebook outputs: ignored ${name}: ${decoded.reason}.`);
        return;
      }
      if (doc.isClosed) return;
      const code = doc.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
      const keys = code.map((c) => ({ index: c.index, hash: cellHash('sql', c.document.getText()) }));
      const matched = matchOutputs(decoded.cells, keys);
      this.log.info(
        `Notebook outputs: ${matched.size} of the ${decoded.cells.length} saved cell output(s) in ${name} match a cell.`,
      );
      if (matched.size === 0) return;
      const waiting = new Map<vscode.NotebookCell, { hash: string; outputs: SavedOutput[] }>();
      for (const key of keys) {
        const saved = matched.get(key.index);
        if (saved) waiting.set(doc.cellAt(key.index), { hash: key.hash, outputs: saved.outputs });
      }
      this.pending.set(doc.uri.toString(), waiting);
      this.watchControllers();
      this.restore(doc);
    } catch (err) {
      this.log.error(`Notebook outputs: could not restore from ${name}: ${(err as Error).message}`);
    }
  }

  private watchControllers(): void {
    for (const controller of this.controllers()) {
      if (this.watched.has(controller)) continue;
      this.watched.add(controller);
      this.subs.push(
        controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
          if (selected) this.restore(notebook);
        }),
      );
    }
  }

  /** Puts the waiting outputs back if one of our controllers is selected for the notebook; synchronous on purpose. */
  private restore(doc: vscode.NotebookDocument): void {
    const key = doc.uri.toString();
    const waiting = this.pending.get(key);
    if (!waiting) return;
    for (const controller of this.controllers()) {
      if (this.restoreWith(controller, waiting)) {
        this.pending.delete(key);
        return;
      }
    }
  }

  /** False when the controller is not the notebook's (VS Code refuses its execution). */
  private restoreWith(
    controller: vscode.NotebookController,
    waiting: Map<vscode.NotebookCell, { hash: string; outputs: SavedOutput[] }>,
  ): boolean {
    // A cell removed, edited or run since the file was read keeps what it has.
    const todo = [...waiting].filter(
      ([cell, { hash }]) =>
        cell.index >= 0 && cell.outputs.length === 0 && cellHash('sql', cell.document.getText()) === hash,
    );
    for (const [n, [cell, { hash, outputs }]] of todo.entries()) {
      let execution: vscode.NotebookCellExecution;
      try {
        execution = controller.createNotebookCellExecution(cell);
      } catch (err) {
        if (n === 0) return false;
        this.log.debug(`Notebook outputs: cell ${cell.index} not restored: ${(err as Error).message}`);
        continue;
      }
      this.madeFrom.set(cell, hash);
      execution.start();
      // Not awaited: the items are queued before end(), which flushes them, so no run can slip in between.
      void execution.replaceOutput(outputs.map(cellOutputOf)).then(undefined, (err: Error) => {
        this.log.warn(`Notebook outputs: cell ${cell.index} not restored: ${err.message}`);
      });
      execution.end(undefined);
    }
    return true;
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.pending.clear();
  }
}

function cellOutputOf(items: SavedOutput): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(
    items.map((item) => {
      if (item.mime === NOTEBOOK_RESULT_MIME)
        return vscode.NotebookCellOutputItem.json(item.json, NOTEBOOK_RESULT_MIME);
      if (item.mime === ERROR_MIME) return vscode.NotebookCellOutputItem.json(item.error, ERROR_MIME);
      return vscode.NotebookCellOutputItem.text(item.text);
    }),
  );
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** A temporary file beside the target, renamed over it: a reader never sees half a sidecar. */
async function writeAtomically(target: vscode.Uri, text: string): Promise<void> {
  const temp = target.with({ path: `${target.path}.${randomUUID().slice(0, 8)}.tmp` });
  try {
    await vscode.workspace.fs.writeFile(temp, new TextEncoder().encode(text));
    await vscode.workspace.fs.rename(temp, target, { overwrite: true });
  } catch (err) {
    await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
    throw err;
  }
}
