import * as vscode from 'vscode';
import {
  affectsSettings,
  inspectSetting,
  maximumBytesBilled,
  readSetting,
  updateSetting,
} from '../services/settingsReaders';
import { DEMO_CONNECTION_NAME, type ConnectionSettings, type DialectKind, type SecretName } from '../shared/connection';
import { secretsFor, authOf } from './connectionKinds';
import { openWarehouse } from './registry';
import { specOf } from './kinds';
import type { Warehouse } from './warehouse';
import { discoverSyncLog, type DiscoveryTarget, type SyncLogInfo } from './discovery';
import { listConnections, type ConnectionOrigin } from './connectionSources';
import { connectionIdentity, describeTarget, identityDigest, legacySecretKey, secretKey } from './connectionIdentity';
import type { Prompter } from '../connections/prompter';
import { formatLoadProgress } from '../demo/progressText';

const ACTIVE_KEY = 'syncLogs.activeConnection';
/** Per workspace: the user's answer for each workspace-defined connection and target, by name and identity digest. */
const WORKSPACE_ANSWERS_KEY = 'syncLogs.workspaceConnectionAnswers';
type WorkspaceAnswer = 'use' | 'decline';
const USE_WORKSPACE_CONNECTION = 'Use Connection';
const DECLINE_WORKSPACE_CONNECTION = "Don't Use";
const ALL_SECRETS: readonly SecretName[] = [
  'password',
  'privateKey',
  'privateKeyPassphrase',
  'token',
  'serviceAccountKey',
];
/** Secrets a person can type when one is missing; key files are chosen in Edit Connection instead. */
const TYPEABLE: ReadonlySet<SecretName> = new Set(['password', 'token']);
const answerKey = (c: ConnectionSettings) => `${c.name}\u0000${identityDigest(c)}`;

/** A warehouse that has just been opened, and the connection it belongs to. */
export interface OpenedWarehouse {
  connection: string;
  warehouse: Warehouse;
}

/**
 * Owns the list of connections, which one is active, and the open Warehouse of each.
 * Opening is lazy and shared: concurrent callers wait on the same promise.
 */
export class ConnectionManager implements vscode.Disposable {
  private readonly opened = new Map<string, Promise<Warehouse>>();
  private readonly discovered = new WeakMap<Warehouse, Promise<SyncLogInfo>>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly openEmitter = new vscode.EventEmitter<OpenedWarehouse>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter, this.openEmitter];
  /** Fires when the active connection changes or its settings change. */
  readonly onDidChange = this.changeEmitter.event;
  /** Fires when a warehouse has been opened (first use after start or a change), the active one's or another's. */
  readonly onDidOpenWarehouse = this.openEmitter.event;

  /** Problems already logged: list() runs often, and one warning per problem is enough. */
  private readonly loggedProblems = new Set<string>();

  /** `prompter` asks whether to use a connection a workspace defines (the tests script it). */
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly prompter: () => Prompter,
  ) {
    const reopen = () => void this.closeAll().then(() => this.changeEmitter.fire());
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSettings(e, 'connections', 'schema', 'queryTimeoutSeconds', 'bigqueryMaximumBytesBilled')) reopen();
      }),
      // Trusting the workspace brings its connections in.
      vscode.workspace.onDidGrantWorkspaceTrust(reopen),
    );
  }

  list(): ConnectionSettings[] {
    return [{ name: DEMO_CONNECTION_NAME, kind: 'demo' }, ...this.listed().connections];
  }

  /** Whether a connection comes from user settings or from the open workspace's (undefined: the Demo, or unknown). */
  originOf(name: string): ConnectionOrigin | undefined {
    return this.listed().origins.get(name);
  }

  private listed() {
    const inspected = inspectSetting('connections');
    const listed = listConnections({
      user: inspected?.globalValue,
      workspace: inspected?.workspaceValue,
      workspaceTrusted: vscode.workspace.isTrusted,
    });
    for (const p of listed.problems) {
      if (this.loggedProblems.has(p)) continue;
      this.loggedProblems.add(p);
      this.log.warn(p);
    }
    return listed;
  }

  get activeName(): string {
    const name = this.context.globalState.get<string>(ACTIVE_KEY, DEMO_CONNECTION_NAME);
    return this.list().some((c) => c.name === name) ? name : DEMO_CONNECTION_NAME;
  }

  get active(): ConnectionSettings {
    const name = this.activeName;
    return this.list().find((c) => c.name === name) ?? { name: DEMO_CONNECTION_NAME, kind: 'demo' };
  }

  /** The SQL dialect of the active connection (the Demo is Postgres): how its SQL is written and lexed. */
  get dialect(): DialectKind {
    return dialectOfKind(this.active.kind);
  }

  /** Schema of the sync-log tables on the active connection. */
  get schema(): string {
    return this.schemaOf(this.active);
  }

  /** A listed connection by name; throws the message a user can act on when there is none. */
  settingsOf(name: string): ConnectionSettings {
    const settings = this.list().find((c) => c.name === name);
    if (!settings) throw new Error(`No connection named "${name}". Add it to the syncLogs.connections setting.`);
    return settings;
  }

  /** The dialect and sync-log schema of a named connection, from its settings (nothing is opened). */
  describeConnection(name: string): { dialect: DialectKind; schema: string } {
    const settings = this.settingsOf(name);
    return { dialect: dialectOfKind(settings.kind), schema: this.schemaOf(settings) };
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
    const seconds = readSetting('queryTimeoutSeconds');
    return seconds > 0 ? seconds * 1000 : undefined;
  }

  private schemaOf(settings: ConnectionSettings): string {
    return settings.schema ?? readSetting('schema');
  }

  /**
   * Makes a connection the active one. Choosing a workspace connection the user declined before
   * forgets that answer, so its next use asks again.
   */
  async setActive(name: string): Promise<void> {
    const settings = this.settingsOf(name);
    if (this.originOf(name) === 'workspace' && this.workspaceAnswers()[answerKey(settings)] === 'decline')
      await this.rememberAnswer(settings, undefined);
    await this.context.globalState.update(ACTIVE_KEY, name);
    this.changeEmitter.fire();
  }

  /** The active connection's warehouse, opened on first use. */
  getWarehouse(): Promise<Warehouse> {
    return this.warehouseFor(this.active);
  }

  /**
   * A named connection's warehouse (a notebook's own), opened on first use with the same secrets,
   * workspace approval and settings as the active one's, and kept with it until a settings change.
   */
  getWarehouseOf(name: string): Promise<Warehouse> {
    try {
      return this.warehouseFor(this.settingsOf(name));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  private warehouseFor(settings: ConnectionSettings): Promise<Warehouse> {
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

  /** The same for a named connection. */
  async getSyncLogOf(name: string): Promise<{ warehouse: Warehouse; info: SyncLogInfo }> {
    const settings = this.settingsOf(name);
    const warehouse = await this.warehouseFor(settings);
    return { warehouse, info: await this.syncLogOf(warehouse, settings) };
  }

  /** The catalog read of an open warehouse of `settings`' connection (the active one by default); started on first call. */
  syncLogOf(warehouse: Warehouse, settings: ConnectionSettings = this.active): Promise<SyncLogInfo> {
    let pending = this.discovered.get(warehouse);
    if (!pending) {
      pending = discoverSyncLog(warehouse, this.discoveryTarget(settings));
      this.discovered.set(warehouse, pending);
    }
    return pending;
  }

  /** A connection's warehouse (the active one's by default) if it is already open (or opening); never opens it. */
  openedWarehouse(name: string = this.activeName): Promise<Warehouse> | undefined {
    return this.opened.get(name);
  }

  /** Closes every open warehouse; the next getWarehouse() reconnects. */
  async closeAll(): Promise<void> {
    const all = [...this.opened.values()];
    this.opened.clear();
    await Promise.all(all.map((p) => p.then((w) => w.close()).catch(() => undefined)));
  }

  /**
   * Forgets the secrets stored for a connection's target (after its removal, or a change of
   * target), unless another listed connection reaches the same target with them.
   */
  async forgetSecrets(settings: ConnectionSettings, secrets: readonly SecretName[] = ALL_SECRETS): Promise<void> {
    const identity = connectionIdentity(settings);
    if (this.list().some((c) => c.name !== settings.name && connectionIdentity(c) === identity)) return;
    await Promise.all(secrets.map((s) => this.context.secrets.delete(secretKey(settings, s))));
  }

  async storeSecrets(settings: ConnectionSettings, secrets: Partial<Record<SecretName, string>>): Promise<void> {
    for (const [secret, value] of Object.entries(secrets) as [SecretName, string | undefined][]) {
      if (value) await this.context.secrets.store(secretKey(settings, secret), value);
    }
  }

  /** Which secrets are stored for a connection's target (never their values), for the edit form. */
  async storedSecrets(settings: ConnectionSettings): Promise<Set<SecretName>> {
    return new Set(Object.keys(await this.readSecrets(settings)) as SecretName[]);
  }

  async readSecrets(settings: ConnectionSettings): Promise<Partial<Record<SecretName, string>>> {
    const out: Partial<Record<SecretName, string>> = {};
    for (const s of ALL_SECRETS) {
      const value = await this.readSecret(settings, s);
      if (value !== undefined) out[s] = value;
    }
    return out;
  }

  /**
   * One stored secret of a connection's target. A secret stored by connection name (before
   * secrets were bound to targets) is moved to the target's key, for a connection of the user's
   * own settings only: a workspace's entry with that name must not inherit it.
   */
  private async readSecret(settings: ConnectionSettings, secret: SecretName): Promise<string | undefined> {
    const stored = await this.context.secrets.get(secretKey(settings, secret));
    if (stored !== undefined || this.originOf(settings.name) !== 'user') return stored;
    const legacy = await this.context.secrets.get(legacySecretKey(settings.name, secret));
    if (legacy === undefined) return undefined;
    await this.context.secrets.store(secretKey(settings, secret), legacy);
    await this.context.secrets.delete(legacySecretKey(settings.name, secret));
    return legacy;
  }

  /**
   * Opens a connection from settings and secrets that are not saved yet, reads its catalog, and
   * closes it: the Add/Edit flow's test. Throws the adapter's error, which says what to fix.
   */
  async testConnection(
    settings: ConnectionSettings,
    secrets: Partial<Record<SecretName, string>>,
  ): Promise<SyncLogInfo> {
    const warehouse = await openWarehouse(settings, {
      demoStorageDir: this.context.globalStorageUri.fsPath,
      statementTimeoutMs: this.statementTimeoutMs(),
      maximumBytesBilled: maximumBytesBilled(),
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
    const inspected = inspectSetting('connections');
    const inWorkspace = previousName !== undefined && hasNamed(inspected?.workspaceValue, previousName);
    const target = inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const current = (inWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
    const clean = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined && v !== ''));
    const index =
      previousName === undefined ? -1 : current.findIndex((c) => (c as ConnectionSettings)?.name === previousName);
    const next = [...current];
    if (index >= 0) next[index] = clean;
    else next.push(clean);
    const previous = previousName === undefined ? undefined : this.list().find((c) => c.name === previousName);
    await updateSetting('connections', next, target);
    // The old target's secrets are not the new target's: they are not carried over, and go.
    if (previous && connectionIdentity(previous) !== connectionIdentity(settings)) await this.forgetSecrets(previous);
  }

  /** Removes a connection from settings (wherever it is defined) and forgets its secrets. */
  async removeConnection(name: string): Promise<void> {
    const removed = this.list().find((c) => c.name === name);
    const inspected = inspectSetting('connections');
    for (const [value, target] of [
      [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [inspected?.globalValue, vscode.ConfigurationTarget.Global],
    ] as const) {
      if (hasNamed(value, name))
        await updateSetting(
          'connections',
          value!.filter((c) => (c as ConnectionSettings)?.name !== name),
          target,
        );
    }
    if (removed) await this.forgetSecrets(removed);
    if (this.context.globalState.get<string>(ACTIVE_KEY) === name)
      await this.context.globalState.update(ACTIVE_KEY, DEMO_CONNECTION_NAME);
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
        maximumBytesBilled: maximumBytesBilled(),
        getSecret: async (s, secret) => {
          const stored = await this.readSecret(s, secret);
          if (stored !== undefined || !TYPEABLE.has(secret)) return stored;
          const spec = secretsFor(authOf(s)).find((x) => x.name === secret);
          const value = await this.prompter().input({
            // The target, not just the name: the person typing sees where the secret goes.
            title: `${spec?.prompt ?? secret} for "${s.name}" (${describeTarget(s)})`,
            prompt: 'Kept in VS Code secret storage, never in settings.',
            password: true,
          });
          if (value !== undefined) entered[secret] = value;
          return value;
        },
        onDemoProgress,
        log: (line) => this.log.info(line),
      });

    try {
      if (this.originOf(settings.name) === 'workspace') await this.approveWorkspaceConnection(settings);
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
                // Waiting on another window is not building: the title says which it is.
                const title =
                  p.phase === 'waiting'
                    ? 'Sync Logs: the demo is in use by another window'
                    : 'Building the demo sync log (first use only)';
                void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, (n) => {
                  notify = (t) => n.report({ message: t });
                  notify(text);
                  return finished;
                });
              } else notify?.(text);
            });
            return result.finally(done);
          },
        );
      } else {
        warehouse = await openWith();
      }
      await this.storeSecrets(settings, entered);
      this.log.info(`Connected to "${settings.name}" (${settings.kind}) in ${Date.now() - started} ms.`);
      this.openEmitter.fire({ connection: settings.name, warehouse });
      return warehouse;
    } catch (err) {
      // A refused password or token is forgotten, for the target that refused it only, so the next
      // attempt asks again; key files stay (Edit Connection replaces them).
      if ((err as { authFailed?: boolean }).authFailed) {
        await Promise.all([...TYPEABLE].map((s) => this.context.secrets.delete(secretKey(settings, s))));
      }
      this.log.error(`Could not open "${settings.name}": ${(err as Error).message}`);
      throw err;
    }
  }

  /**
   * A connection from the workspace's settings reaches a server the workspace chose (a cloned
   * repository can define one): the user says once per workspace and target whether to use it.
   */
  private async approveWorkspaceConnection(settings: ConnectionSettings): Promise<void> {
    const key = answerKey(settings);
    let answer: WorkspaceAnswer | undefined = this.workspaceAnswers()[key];
    if (answer === undefined) {
      const choice = await this.prompter().choose({
        message: `This workspace defines the connection "${settings.name}" to ${describeTarget(settings)}. Use it?`,
        detail:
          "It comes from the workspace's .vscode/settings.json, not from your user settings. Use it only if you trust where it points: a password or token you type for it is sent there. Your answer is remembered for this workspace and this target.",
        buttons: [USE_WORKSPACE_CONNECTION, DECLINE_WORKSPACE_CONNECTION],
        severity: 'warning',
      });
      answer =
        choice === USE_WORKSPACE_CONNECTION ? 'use' : choice === DECLINE_WORKSPACE_CONNECTION ? 'decline' : undefined;
      if (answer) await this.rememberAnswer(settings, answer);
    }
    if (answer === 'use') return;
    throw new Error(
      answer === 'decline'
        ? `Not connecting to "${settings.name}": you chose not to use this workspace's connection to ${describeTarget(settings)}. Choose it again in "Sync Logs: Select Connection" to be asked again.`
        : `Not connecting to "${settings.name}": this workspace's connection to ${describeTarget(settings)} was not confirmed.`,
    );
  }

  private workspaceAnswers(): Record<string, WorkspaceAnswer> {
    return this.context.workspaceState.get<Record<string, WorkspaceAnswer>>(WORKSPACE_ANSWERS_KEY, {});
  }

  private async rememberAnswer(settings: ConnectionSettings, answer: WorkspaceAnswer | undefined): Promise<void> {
    const answers = { ...this.workspaceAnswers() };
    if (answer) answers[answerKey(settings)] = answer;
    else delete answers[answerKey(settings)];
    await this.context.workspaceState.update(WORKSPACE_ANSWERS_KEY, answers);
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
  return specOf(settings.kind).qualifiesTables ? settings.database || undefined : undefined;
}

/** The Demo is Postgres (PGlite): its SQL is written and lexed as Postgres's. */
function dialectOfKind(kind: ConnectionSettings['kind']): DialectKind {
  return kind === 'demo' ? 'postgres' : kind;
}

function hasNamed(value: unknown[] | undefined, name: string): boolean {
  return Array.isArray(value) && value.some((c) => (c as ConnectionSettings)?.name === name);
}
