import * as vscode from 'vscode';
import { DEFAULT_SCHEMA, DEMO_CONNECTION_NAME, type ConnectionSettings, type SecretName } from '../shared/connection';
import { secretsFor, authOf } from './connectionKinds';
import { openWarehouse } from './registry';
import type { Warehouse } from './warehouse';
import { discoverSyncLog, type DiscoveryTarget, type SyncLogInfo } from './discovery';
import { readConnectionSettings } from './connectionSettings';
import { formatLoadProgress } from '../demo/progressText';

const ACTIVE_KEY = 'syncLogs.activeConnection';
const ALL_SECRETS: readonly SecretName[] = ['password', 'privateKey', 'privateKeyPassphrase', 'token', 'serviceAccountKey'];
const secretKey = (name: string, secret: SecretName) => (secret === 'password' ? `syncLogs.password.${name}` : `syncLogs.${secret}.${name}`);
/** Secrets a person can type when one is missing; key files are chosen in Edit Connection instead. */
const TYPEABLE: ReadonlySet<SecretName> = new Set(['password', 'token']);

/**
 * Owns the list of connections, which one is active, and the open Warehouse of each.
 * Opening is lazy and shared: concurrent callers wait on the same promise.
 */
export class ConnectionManager implements vscode.Disposable {
  private readonly opened = new Map<string, Promise<Warehouse>>();
  private readonly discovered = new WeakMap<Warehouse, Promise<SyncLogInfo>>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly openEmitter = new vscode.EventEmitter<Warehouse>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter, this.openEmitter];
  /** Fires when the active connection changes or its settings change. */
  readonly onDidChange = this.changeEmitter.event;
  /** Fires when a warehouse has been opened (first use after start or a change). */
  readonly onDidOpenWarehouse = this.openEmitter.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('syncLogs.connections') || e.affectsConfiguration('syncLogs.schema') || e.affectsConfiguration('syncLogs.queryTimeoutSeconds')) {
          void this.closeAll().then(() => this.changeEmitter.fire());
        }
      }),
    );
  }

  list(): ConnectionSettings[] {
    const { connections, problems } = readConnectionSettings(vscode.workspace.getConfiguration('syncLogs').get('connections'));
    for (const p of problems) this.log.warn(p);
    return [{ name: DEMO_CONNECTION_NAME, kind: 'demo' }, ...connections];
  }

  get activeName(): string {
    const name = this.context.globalState.get<string>(ACTIVE_KEY, DEMO_CONNECTION_NAME);
    return this.list().some((c) => c.name === name) ? name : DEMO_CONNECTION_NAME;
  }

  get active(): ConnectionSettings {
    const name = this.activeName;
    return this.list().find((c) => c.name === name) ?? { name: DEMO_CONNECTION_NAME, kind: 'demo' };
  }

  /** Schema of the sync-log tables on the active connection. */
  get schema(): string {
    return this.schemaOf(this.active);
  }

  private discoveryTarget(settings: ConnectionSettings): DiscoveryTarget {
    return {
      connectionName: settings.name,
      schema: this.schemaOf(settings),
      database: qualifyingDatabase(settings),
      log: (level, line) => (level === 'warn' ? this.log.warn(line) : this.log.info(line)),
    };
  }

  /** syncLogs.queryTimeoutSeconds in ms; 0 means no timeout. */
  private statementTimeoutMs(): number | undefined {
    const seconds = vscode.workspace.getConfiguration('syncLogs').get<number>('queryTimeoutSeconds', 300);
    return seconds > 0 ? seconds * 1000 : undefined;
  }

  private schemaOf(settings: ConnectionSettings): string {
    return settings.schema ?? vscode.workspace.getConfiguration('syncLogs').get<string>('schema', DEFAULT_SCHEMA);
  }

  async setActive(name: string): Promise<void> {
    if (!this.list().some((c) => c.name === name)) throw new Error(`No connection named "${name}". Add it to the syncLogs.connections setting.`);
    await this.context.globalState.update(ACTIVE_KEY, name);
    this.changeEmitter.fire();
  }

  /** The active connection's warehouse, opened on first use. */
  getWarehouse(): Promise<Warehouse> {
    const settings = this.active;
    let pending = this.opened.get(settings.name);
    if (!pending) {
      pending = this.open(settings);
      this.opened.set(settings.name, pending);
      // A failed open is forgotten so the next call tries again (e.g. after a corrected password).
      pending.catch(() => {
        if (this.opened.get(settings.name) === pending) this.opened.delete(settings.name);
      });
    }
    return pending;
  }

  /** The active connection's warehouse with what its catalog says about the sync logs (read once per open). */
  async getSyncLog(): Promise<{ warehouse: Warehouse; info: SyncLogInfo }> {
    const settings = this.active;
    const warehouse = await this.getWarehouse();
    return { warehouse, info: await this.syncLogOf(warehouse, settings) };
  }

  /** The catalog read of an open warehouse of the active connection; started on first call. */
  syncLogOf(warehouse: Warehouse, settings: ConnectionSettings = this.active): Promise<SyncLogInfo> {
    let pending = this.discovered.get(warehouse);
    if (!pending) {
      pending = discoverSyncLog(warehouse, this.discoveryTarget(settings));
      this.discovered.set(warehouse, pending);
    }
    return pending;
  }

  /** The active connection's warehouse if it is already open (or opening); never opens it. */
  openedWarehouse(): Promise<Warehouse> | undefined {
    return this.opened.get(this.activeName);
  }

  /** Closes every open warehouse; the next getWarehouse() reconnects. */
  async closeAll(): Promise<void> {
    const all = [...this.opened.values()];
    this.opened.clear();
    await Promise.all(all.map((p) => p.then((w) => w.close()).catch(() => undefined)));
  }

  /** Forgets the stored secrets of a connection (after an authentication failure, or on removal). */
  async forgetSecrets(name: string): Promise<void> {
    await Promise.all(ALL_SECRETS.map((s) => this.context.secrets.delete(secretKey(name, s))));
  }

  async storeSecrets(name: string, secrets: Partial<Record<SecretName, string>>): Promise<void> {
    for (const [secret, value] of Object.entries(secrets) as [SecretName, string | undefined][]) {
      if (value) await this.context.secrets.store(secretKey(name, secret), value);
    }
  }

  /** Which of a connection's secrets are stored (never their values), for the edit form. */
  async storedSecrets(name: string): Promise<Set<SecretName>> {
    const present = await Promise.all(ALL_SECRETS.map(async (s) => [s, (await this.context.secrets.get(secretKey(name, s))) !== undefined] as const));
    return new Set(present.filter(([, has]) => has).map(([s]) => s));
  }

  async readSecrets(name: string): Promise<Partial<Record<SecretName, string>>> {
    const out: Partial<Record<SecretName, string>> = {};
    for (const s of ALL_SECRETS) {
      const value = await this.context.secrets.get(secretKey(name, s));
      if (value !== undefined) out[s] = value;
    }
    return out;
  }

  /**
   * Opens a connection from settings and secrets that are not saved yet, reads its catalog, and
   * closes it: the Add/Edit flow's test. Throws the adapter's error, which says what to fix.
   */
  async testConnection(settings: ConnectionSettings, secrets: Partial<Record<SecretName, string>>): Promise<SyncLogInfo> {
    const warehouse = await openWarehouse(settings, {
      demoStorageDir: this.context.globalStorageUri.fsPath,
      statementTimeoutMs: this.statementTimeoutMs(),
      getSecret: async (_s, secret) => secrets[secret],
      log: (line) => this.log.info(line),
    });
    try {
      return await discoverSyncLog(warehouse, this.discoveryTarget(settings));
    } finally {
      await warehouse.close().catch(() => undefined);
    }
  }

  /**
   * Writes a connection into syncLogs.connections, replacing the one named `previousName`.
   * It stays where it was defined (workspace or user settings); new ones go to user settings.
   */
  async saveConnection(settings: ConnectionSettings, previousName?: string): Promise<void> {
    const config = vscode.workspace.getConfiguration('syncLogs');
    const inspected = config.inspect<unknown[]>('connections');
    const inWorkspace = previousName !== undefined && hasNamed(inspected?.workspaceValue, previousName);
    const target = inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const current = (inWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
    const clean = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined && v !== ''));
    const index = previousName === undefined ? -1 : current.findIndex((c) => (c as ConnectionSettings)?.name === previousName);
    const next = [...current];
    if (index >= 0) next[index] = clean;
    else next.push(clean);
    await config.update('connections', next, target);
    if (previousName !== undefined && previousName !== settings.name) await this.forgetSecrets(previousName);
  }

  /** Removes a connection from settings (wherever it is defined) and forgets its secrets. */
  async removeConnection(name: string): Promise<void> {
    const config = vscode.workspace.getConfiguration('syncLogs');
    const inspected = config.inspect<unknown[]>('connections');
    for (const [value, target] of [
      [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [inspected?.globalValue, vscode.ConfigurationTarget.Global],
    ] as const) {
      if (hasNamed(value, name)) await config.update('connections', value!.filter((c) => (c as ConnectionSettings)?.name !== name), target);
    }
    await this.forgetSecrets(name);
    if (this.context.globalState.get<string>(ACTIVE_KEY) === name) await this.context.globalState.update(ACTIVE_KEY, DEMO_CONNECTION_NAME);
    this.changeEmitter.fire();
  }

  private async open(settings: ConnectionSettings): Promise<Warehouse> {
    const started = Date.now();
    const storageDir = this.context.globalStorageUri.fsPath;
    const entered: Partial<Record<SecretName, string>> = {};
    const openWith = (onDemoProgress?: Parameters<typeof openWarehouse>[1]['onDemoProgress']) =>
      openWarehouse(settings, {
        demoStorageDir: storageDir,
        statementTimeoutMs: this.statementTimeoutMs(),
        getSecret: async (s, secret) => {
          const stored = await this.context.secrets.get(secretKey(s.name, secret));
          if (stored !== undefined || !TYPEABLE.has(secret)) return stored;
          const spec = secretsFor(authOf(s)).find((x) => x.name === secret);
          const value = await vscode.window.showInputBox({
            title: `${spec?.prompt ?? secret} for "${s.name}"${s.user ? ` (${s.user})` : ''}`,
            prompt: 'Kept in VS Code secret storage, never in settings.',
            password: true,
            ignoreFocusOut: true,
          });
          if (value !== undefined) entered[secret] = value;
          return value;
        },
        onDemoProgress,
        log: (line) => this.log.info(line),
      });

    try {
      let warehouse: Warehouse;
      if (settings.kind === 'demo') {
        warehouse = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Sync Logs: opening the demo sync log' },
          async (windowProgress) => {
            // The first open builds the demo (seconds); show a notification only while that happens.
            let notify: ((text: string) => void) | undefined;
            let done: () => void = () => undefined;
            const finished = new Promise<void>((resolve) => (done = resolve));
            const result = openWith((p) => {
              const text = formatLoadProgress(p);
              windowProgress.report({ message: text });
              if (!notify && p.phase !== 'done') {
                void vscode.window.withProgress(
                  { location: vscode.ProgressLocation.Notification, title: 'Building the demo sync log (first use only)' },
                  (n) => {
                    notify = (t) => n.report({ message: t });
                    notify(text);
                    return finished;
                  },
                );
              } else notify?.(text);
            });
            return result.finally(done);
          },
        );
      } else {
        warehouse = await openWith();
      }
      await this.storeSecrets(settings.name, entered);
      this.log.info(`Connected to "${settings.name}" (${settings.kind}) in ${Date.now() - started} ms.`);
      this.openEmitter.fire(warehouse);
      return warehouse;
    } catch (err) {
      // A refused password or token is forgotten so the next attempt asks again; key files stay (Edit Connection replaces them).
      if ((err as { authFailed?: boolean }).authFailed) {
        await Promise.all([...TYPEABLE].map((s) => this.context.secrets.delete(secretKey(settings.name, s))));
      }
      this.log.error(`Could not open "${settings.name}": ${(err as Error).message}`);
      throw err;
    }
  }

  dispose(): void {
    void this.closeAll();
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * The database part of table names: Snowflake's database, BigQuery's project and Databricks'
 * catalog qualify every table. Postgres and Redshift connect to one database and need no prefix.
 */
export function qualifyingDatabase(settings: ConnectionSettings): string | undefined {
  return settings.kind === 'snowflake' || settings.kind === 'bigquery' || settings.kind === 'databricks' ? settings.database || undefined : undefined;
}

function hasNamed(value: unknown[] | undefined, name: string): boolean {
  return Array.isArray(value) && value.some((c) => (c as ConnectionSettings)?.name === name);
}
