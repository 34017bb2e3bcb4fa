/**
 * The extension side of the language server: starts it (over IPC) once a SQL document is open,
 * and tells it the active connection's dialect, schema and catalog whenever those change, and,
 * for the SQL cells of a notebook that runs on another connection, that connection's.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { DialectKind } from '../shared/connection';
import {
  setContextNotification,
  setDocumentContextNotification,
  type SetContextParams,
  type SetDocumentContextParams,
} from '../shared/lspProtocol';
import type { ConnectionManager } from '../warehouse/connectionManager';
import type { Warehouse } from '../warehouse/warehouse';

/** Which connection each open sync-log notebook's cells run on (the notebook's kernels know). */
export interface NotebookConnections {
  openNotebooks(): { notebook: vscode.NotebookDocument; connection: string }[];
  readonly onDidChange: vscode.Event<void>;
}

export class SyncLogsLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private started: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Only the latest context is sent: a slow catalog read must not overwrite a newer change. */
  private contextSeq = 0;
  private documentSeq = 0;
  private notebooks: NotebookConnections | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly connections: ConnectionManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    if (vscode.workspace.textDocuments.some((d) => d.languageId === 'sql')) void this.start();
    else {
      const onOpen = vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.languageId !== 'sql') return;
        onOpen.dispose();
        void this.start();
      });
      this.disposables.push(onOpen);
    }
    this.disposables.push(
      connections.onDidChange(() => void this.sendContext()),
      connections.onDidOpenWarehouse(({ connection, warehouse }) => {
        if (connection === connections.activeName) void this.sendContext(warehouse);
        else void this.sendDocumentContexts();
      }),
    );
  }

  private start(): Promise<void> {
    if (this.started) return this.started;
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'sql' },
        { scheme: 'untitled', language: 'sql' },
        // SQL cells of sync-log notebooks: completion, hover and checks there too.
        { scheme: 'vscode-notebook-cell', language: 'sql' },
      ],
      outputChannelName: 'Sync Logs Language Server',
    };
    const client = new LanguageClient('syncLogs.sql', 'Sync Logs SQL', serverOptions, clientOptions);
    this.client = client;
    const began = Date.now();
    this.started = client.start().then(
      async () => {
        this.log.info(`Language server started in ${Date.now() - began} ms.`);
        const opened = this.connections.openedWarehouse();
        await this.sendContext(opened ? await opened.catch(() => undefined) : undefined);
        await this.sendDocumentContexts();
      },
      (err: unknown) => this.log.error(`Language server failed to start: ${(err as Error).message}`),
    );
    return this.started;
  }

  /** Dialect and schema from the settings; with an open warehouse, its dialect and catalog too. */
  private async sendContext(warehouse?: Warehouse): Promise<void> {
    const client = this.client;
    if (!client?.isRunning()) return;
    const seq = ++this.contextSeq;
    const schema = this.connections.schema;
    const dialect: DialectKind = warehouse?.dialect.name ?? this.connections.dialect;
    const params: SetContextParams = { dialect, schema };
    if (warehouse) params.catalog = (await this.connections.syncLogOf(warehouse)).catalog;
    if (seq !== this.contextSeq || !client.isRunning()) return;
    await client.sendNotification(setContextNotification, params);
  }

  /** From now on, the cells of a notebook on another connection than the active one get that connection's context. */
  useNotebookConnections(source: NotebookConnections): vscode.Disposable {
    this.notebooks = source;
    const subs = [
      source.onDidChange(() => void this.sendDocumentContexts()),
      // A new cell is a new document: it needs its notebook's context too.
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.contentChanges.length) void this.sendDocumentContexts();
      }),
    ];
    void this.sendDocumentContexts();
    return new vscode.Disposable(() => {
      subs.forEach((s) => s.dispose());
      if (this.notebooks === source) this.notebooks = undefined;
    });
  }

  /**
   * Every open sync-log notebook's cells: the context of their connection when it is not the
   * active one (its catalog once its warehouse is open), else none, which means the active one's.
   */
  private async sendDocumentContexts(): Promise<void> {
    const client = this.client;
    const notebooks = this.notebooks;
    if (!client?.isRunning() || !notebooks) return;
    const seq = ++this.documentSeq;
    const active = this.connections.activeName;
    const sends: SetDocumentContextParams[] = [];
    for (const { notebook, connection } of notebooks.openNotebooks()) {
      const uris = notebook
        .getCells()
        .filter((c) => c.kind === vscode.NotebookCellKind.Code)
        .map((c) => c.document.uri.toString());
      if (uris.length === 0) continue;
      sends.push({ uris, context: connection === active ? undefined : await this.contextOf(connection) });
    }
    if (seq !== this.documentSeq || !client.isRunning()) return;
    for (const params of sends) await client.sendNotification(setDocumentContextNotification, params);
  }

  /** A named connection's context from its settings; its catalog only if its warehouse is already open. */
  private async contextOf(connection: string): Promise<SetContextParams | undefined> {
    let params: SetContextParams;
    try {
      params = { ...this.connections.describeConnection(connection) };
    } catch {
      return undefined; // gone from the settings: the active connection's context is the best guess
    }
    if (this.connections.openedWarehouse(connection)) {
      const read = await this.connections.getSyncLogOf(connection).catch(() => undefined);
      if (read) params.catalog = read.info.catalog;
    }
    return params;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    void this.client?.dispose().catch(() => undefined);
    this.client = undefined;
  }
}
