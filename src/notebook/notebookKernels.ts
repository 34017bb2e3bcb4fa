import * as vscode from 'vscode';
import type { ConnectionManager } from '../warehouse/connectionManager';
import { NOTEBOOK_TYPE } from './notebookSerializer';
import { controllerIdOf, kernelLook, planKernels, type KernelLook } from './kernelPlan';

/** Runs cells on one connection with the controller VS Code chose for them. */
export type KernelExecute = (
  cells: vscode.NotebookCell[],
  notebook: vscode.NotebookDocument,
  controller: vscode.NotebookController,
  connection: string,
) => Promise<void>;

/**
 * One notebook controller per configured connection, made and dropped as connections are added,
 * renamed or removed. The active connection's is Preferred for every sync-log notebook (the
 * picker offers it first). VS Code runs a cell without asking only when a kernel is selected (or
 * there is one kernel at all): a preference alone still opens the picker. So a sync-log notebook
 * shown without a kernel gets the active connection's selected; VS Code remembers that per
 * notebook, as it remembers the user's own pick, and never overrides either.
 */
export class NotebookKernels implements vscode.Disposable {
  private readonly controllers = new Map<string, vscode.NotebookController>();
  /** Per notebook (its URI as text), the connection of the kernel VS Code has selected for it. */
  private readonly selected = new Map<string, string>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly subs: vscode.Disposable[] = [this.changeEmitter];
  /** Fires when a notebook's connection may have changed (a kernel chosen, the active connection switched). */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly connections: ConnectionManager,
    private readonly extensionId: string,
    private readonly execute: KernelExecute,
  ) {
    this.sync();
    this.subs.push(
      vscode.window.onDidChangeActiveNotebookEditor((editor) => void this.selectDefault(editor)),
      connections.onDidChange(() => this.sync()),
      vscode.workspace.onDidOpenNotebookDocument((nb) => {
        this.prefer(nb);
        if (nb.notebookType === NOTEBOOK_TYPE) this.changeEmitter.fire();
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        if (this.selected.delete(nb.uri.toString())) this.changeEmitter.fire();
      }),
    );
  }

  /** Every kernel there is now, one per connection (the outputs sidecar restores through them). */
  all(): vscode.NotebookController[] {
    return [...this.controllers.values()];
  }

  /** The connection a notebook's cells run on: its selected kernel's, else the active one. */
  connectionOf(notebook: vscode.NotebookDocument): string {
    const chosen = this.selected.get(notebook.uri.toString());
    return chosen !== undefined && this.controllers.has(chosen) ? chosen : this.connections.activeName;
  }

  /** Every open sync-log notebook and the connection its cells run on. */
  openNotebooks(): { notebook: vscode.NotebookDocument; connection: string }[] {
    return vscode.workspace.notebookDocuments
      .filter((nb) => nb.notebookType === NOTEBOOK_TYPE)
      .map((notebook) => ({ notebook, connection: this.connectionOf(notebook) }));
  }

  /** The connection of the kernel VS Code has selected for a notebook, if it has (tests wait for it). */
  selectedConnection(notebook: vscode.NotebookDocument): string | undefined {
    const chosen = this.selected.get(notebook.uri.toString());
    return chosen !== undefined && this.controllers.has(chosen) ? chosen : undefined;
  }

  /**
   * Selects the active connection's kernel for the shown notebook unless VS Code has one for it
   * (skipIfAlreadySelected: a remembered choice, also one not reported to us yet, stays).
   */
  private async selectDefault(editor: vscode.NotebookEditor | undefined): Promise<void> {
    if (editor?.notebook.notebookType !== NOTEBOOK_TYPE || this.selectedConnection(editor.notebook)) return;
    const active = this.connections.activeName;
    if (!this.controllers.has(active)) return;
    try {
      await vscode.commands.executeCommand('notebook.selectKernel', {
        id: controllerIdOf(active),
        extension: this.extensionId,
        skipIfAlreadySelected: true,
      });
    } catch {
      // The picker remains: the toolbar's kernel button, with the active connection's offered first.
    }
  }

  /** The connections that have a controller, for tests. */
  get names(): string[] {
    return [...this.controllers.keys()];
  }

  private sync(): void {
    const plan = planKernels(this.controllers.keys(), this.connections.list());
    for (const name of plan.remove) {
      this.controllers.get(name)?.dispose();
      this.controllers.delete(name);
      for (const [uri, chosen] of this.selected) if (chosen === name) this.selected.delete(uri);
    }
    for (const { name, look } of plan.keep) show(this.controllers.get(name)!, look);
    for (const settings of plan.create) this.controllers.set(settings.name, this.create(settings.name));
    for (const nb of vscode.workspace.notebookDocuments) this.prefer(nb);
    void this.selectDefault(vscode.window.activeNotebookEditor);
    this.changeEmitter.fire();
  }

  private create(name: string): vscode.NotebookController {
    const controller = vscode.notebooks.createNotebookController(
      controllerIdOf(name),
      NOTEBOOK_TYPE,
      `Sync Logs: ${name}`,
    );
    show(controller, kernelLook(this.connections.settingsOf(name)));
    controller.supportedLanguages = ['sql'];
    controller.supportsExecutionOrder = true;
    controller.executeHandler = (cells, notebook, self) => this.execute(cells, notebook, self, name);
    controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
      const uri = notebook.uri.toString();
      if (selected) this.selected.set(uri, name);
      else if (this.selected.get(uri) === name) this.selected.delete(uri);
      this.changeEmitter.fire();
    });
    return controller;
  }

  /** The active connection's kernel is the one VS Code offers first (and runs on) for a notebook not bound yet. */
  private prefer(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    const active = this.connections.activeName;
    for (const [name, controller] of this.controllers)
      controller.updateNotebookAffinity(
        notebook,
        name === active ? vscode.NotebookControllerAffinity.Preferred : vscode.NotebookControllerAffinity.Default,
      );
  }

  dispose(): void {
    for (const c of this.controllers.values()) c.dispose();
    this.controllers.clear();
    for (const s of this.subs) s.dispose();
  }
}

function show(controller: vscode.NotebookController, look: KernelLook): void {
  controller.label = look.label;
  controller.description = look.description;
  controller.detail = look.detail;
}
