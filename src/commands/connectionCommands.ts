import * as vscode from 'vscode';
import { COMMANDS, SETTINGS } from '../shared/ids';
import type { Container } from '../container';
import type { ConnectionSettings, SecretName } from '../shared/connection';
import { collectConnection, type ConnectionForm, type FormContext } from '../connections/connectionForm';
import { connectionIdentity } from '../warehouse/connectionIdentity';
import { pickText } from '../shared/displayText';
import { describeConnection, type UserKind } from '../warehouse/connectionKinds';
import type { SyncLogInfo } from '../warehouse/discovery';

interface ConnectionPick extends vscode.QuickPickItem {
  connectionName?: string;
  add?: boolean;
  openSettings?: boolean;
}

/** A tree node of the connection, or its name (tests and other commands). */
type ConnectionRef = { type: 'connection'; name: string } | string | undefined;

export function registerConnectionCommands(container: Container): vscode.Disposable {
  const { connections } = container;
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.selectConnection, async (name?: string) => {
      // Tests and other commands may name the connection directly.
      if (typeof name === 'string') {
        await connections.setActive(name);
        return name;
      }
      const active = connections.activeName;
      // Names and targets can come from a workspace's settings: shown as written, never as icons.
      const items: ConnectionPick[] = connections.list().map((c) => ({
        label: `${c.name === active ? '$(check) ' : ''}${pickText(c.name)}`,
        description: `${c.kind} · ${pickText(describeConnection(c))}${connections.originOf(c.name) === 'workspace' ? ' · from this workspace' : ''}`,
        connectionName: c.name,
      }));
      items.push(
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        { label: '$(add) Add Connection…', add: true },
        { label: '$(gear) Edit connections in settings…', openSettings: true },
      );
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Sync Logs: Select Connection',
        placeHolder: `Active: ${active}`,
      });
      if (!pick) return undefined;
      if (pick.add) return vscode.commands.executeCommand(COMMANDS.addConnection);
      if (pick.openSettings) {
        await vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS.connections);
        return undefined;
      }
      if (pick.connectionName) await connections.setActive(pick.connectionName);
      return pick.connectionName;
    }),

    vscode.commands.registerCommand(COMMANDS.addConnection, async (kind?: UserKind) => {
      const taken = connections.list().map((c) => c.name);
      const saved = await formLoop(container, { takenNames: taken, kind });
      if (!saved) return undefined;
      await connections.setActive(saved.name);
      void vscode.window.showInformationMessage(`Sync Logs: added "${saved.name}" and made it the active connection.`);
      return saved.name;
    }),

    vscode.commands.registerCommand(COMMANDS.editConnection, async (ref?: ConnectionRef) => {
      const existing = await resolveConnection(container, ref, 'Edit which connection?');
      if (!existing) return undefined;
      const taken = connections
        .list()
        .map((c) => c.name)
        .filter((n) => n !== existing.name);
      const saved = await formLoop(
        container,
        { takenNames: taken, initial: existing, kind: existing.kind as UserKind },
        existing,
      );
      if (!saved) return undefined;
      if (connections.activeName === existing.name || saved.name !== existing.name)
        await connections.setActive(saved.name);
      void vscode.window.showInformationMessage(`Sync Logs: saved "${saved.name}".`);
      return saved.name;
    }),

    vscode.commands.registerCommand(COMMANDS.removeConnection, async (ref?: ConnectionRef) => {
      const existing = await resolveConnection(container, ref, 'Remove which connection?');
      if (!existing) return false;
      const answer = await container.prompter.choose({
        message: `Remove the connection "${existing.name}"?`,
        detail:
          'Its settings entry and its stored secrets are deleted. The warehouse and its sync logs are not touched.',
        buttons: ['Remove'],
        severity: 'warning',
      });
      if (answer !== 'Remove') return false;
      await connections.removeConnection(existing.name);
      return true;
    }),
  );
}

/** The connection a command is about: the tree node's, the named one, or one the user picks. */
async function resolveConnection(
  container: Container,
  ref: ConnectionRef,
  question: string,
): Promise<ConnectionSettings | undefined> {
  const editable = container.connections.list().filter((c) => c.kind !== 'demo');
  const name = typeof ref === 'string' ? ref : ref?.name;
  if (name !== undefined) {
    const found = editable.find((c) => c.name === name);
    if (!found)
      void vscode.window.showWarningMessage(
        name === 'Demo'
          ? 'The built-in Demo connection cannot be edited or removed.'
          : `No connection named "${name}" in settings.`,
      );
    return found;
  }
  if (editable.length === 0) {
    void vscode.window.showInformationMessage('No connections yet: add one with "Sync Logs: Add Connection".');
    return undefined;
  }
  const picked = await container.prompter.pick({
    title: 'Sync Logs',
    placeholder: question,
    items: editable.map((c) => ({
      label: pickText(c.name),
      description: `${c.kind} · ${pickText(describeConnection(c))}`,
      value: c,
    })),
  });
  return picked;
}

/**
 * Asks for the connection, tests it, and saves it when it works (or when the user insists).
 * "Edit Again" reopens the form filled with the previous answers, secrets included. Secrets
 * belong to a target (connectionIdentity): a secret stored or typed for one target is never
 * tested against, or saved for, another one the answers point at.
 */
async function formLoop(
  container: Container,
  ctx: FormContext,
  previous?: ConnectionSettings,
): Promise<ConnectionSettings | undefined> {
  const { connections, prompter } = container;
  const typed = new Map<string, Partial<Record<SecretName, string>>>();
  if (previous) typed.set(connectionIdentity(previous), await connections.readSecrets(previous));
  const secretsOf = (settings: ConnectionSettings) => typed.get(connectionIdentity(settings)) ?? {};
  const formContext: FormContext = {
    ...ctx,
    knownSecrets: (settings) => new Set(Object.keys(secretsOf(settings)) as SecretName[]),
  };
  let form: ConnectionForm | undefined;
  let context = formContext;
  for (;;) {
    form = await collectConnection(prompter, context);
    if (!form) return undefined;
    // Secrets not retyped keep the values stored (or typed before) for this same target.
    const secrets = { ...secretsOf(form.settings), ...form.secrets };
    typed.set(connectionIdentity(form.settings), secrets);
    const outcome = await testWithProgress(container, form.settings, secrets);
    let choice: string | undefined;
    if (outcome.ok && !outcome.info.problem) {
      choice = 'Save';
    } else if (outcome.ok) {
      choice = await prompter.choose({
        message: `Connected to "${form.settings.name}", but its sync logs are not all there.`,
        detail: outcome.info.problem,
        buttons: ['Save', 'Edit Again'],
        severity: 'warning',
      });
    } else {
      choice = await prompter.choose({
        message: `Could not connect to "${form.settings.name}".`,
        detail: outcome.message,
        buttons: ['Edit Again', 'Save Anyway'],
        severity: 'error',
      });
    }
    if (choice === 'Save' || choice === 'Save Anyway') break;
    if (choice !== 'Edit Again') return undefined;
    context = { ...formContext, initial: form.settings, kind: form.settings.kind as UserKind };
  }
  await connections.saveConnection(form.settings, previous?.name);
  await connections.storeSecrets(form.settings, secretsOf(form.settings));
  return form.settings;
}

async function testWithProgress(
  container: Container,
  settings: ConnectionSettings,
  secrets: Partial<Record<SecretName, string>>,
): Promise<{ ok: true; info: SyncLogInfo } | { ok: false; message: string }> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Sync Logs: testing "${settings.name}"…` },
    async () => {
      try {
        const info = await container.connections.testConnection(settings, secrets);
        container.log.info(`Tested "${settings.name}": ${info.problem ?? 'sync-log tables found'}.`);
        return { ok: true as const, info };
      } catch (err) {
        const message = (err as Error).message ?? String(err);
        container.log.warn(`Testing "${settings.name}" failed: ${message}`);
        return { ok: false as const, message };
      }
    },
  );
}
