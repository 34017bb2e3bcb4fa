/**
 * The extension side of the language server: starts it (over IPC) once a SQL document is open,
 * and tells it the active connection's dialect, schema and catalog whenever those change.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { DialectKind } from '../shared/connection';
import { setContextNotification, type SetContextParams } from '../shared/lspProtocol';
import type { ConnectionManager } from '../warehouse/connectionManager';
import type { Warehouse } from '../warehouse/warehouse';

export class SyncLogsLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private started: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Only the latest context is sent: a slow catalog read must not overwrite a newer change. */
  private contextSeq = 0;

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

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    void this.client?.dispose().catch(() => undefined);
    this.client = undefined;
  }
}
