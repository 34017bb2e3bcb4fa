import type { ConnectionSettings } from '../shared/connection';
import { readConnectionSettings } from './connectionSettings';

/** Where a connection's settings entry lives: the user's own settings, or the open workspace's. */
export type ConnectionOrigin = 'user' | 'workspace';

export interface ConnectionSources {
  /** `syncLogs.connections` in user settings (inspect().globalValue). */
  user: unknown;
  /** `syncLogs.connections` in the workspace's settings (inspect().workspaceValue). */
  workspace: unknown;
  /** False in Restricted Mode: a workspace the user has not trusted defines no connection. */
  workspaceTrusted: boolean;
}

export interface ListedConnections {
  connections: ConnectionSettings[];
  origins: Map<string, ConnectionOrigin>;
  problems: string[];
}

/**
 * The connections of both settings levels, user first. VS Code would let a workspace's list
 * replace the user's whole list (arrays are not merged); here both are listed, and a workspace
 * entry cannot take the name of a user connection, so a cloned repository cannot stand in for a
 * connection the user set up. Which target a workspace connection reaches is asked before its
 * first use (see ConnectionManager). Pure.
 */
export function listConnections(sources: ConnectionSources): ListedConnections {
  const user = readConnectionSettings(sources.user, 'user settings');
  const origins = new Map<string, ConnectionOrigin>(user.connections.map((c) => [c.name, 'user']));
  const problems = [...user.problems];
  const connections = [...user.connections];
  if (sources.workspace === undefined || sources.workspace === null) return { connections, origins, problems };
  if (!sources.workspaceTrusted) {
    problems.push(
      'This workspace is in Restricted Mode: the connections in its settings (syncLogs.connections) are not used. Trust the workspace to use them.',
    );
    return { connections, origins, problems };
  }
  const workspace = readConnectionSettings(sources.workspace, 'workspace settings');
  problems.push(...workspace.problems);
  for (const c of workspace.connections) {
    if (origins.has(c.name)) {
      problems.push(
        `The workspace's settings define a connection named "${c.name}", like one in your user settings: the workspace's entry is ignored. Rename it in the workspace's .vscode/settings.json to use it.`,
      );
      continue;
    }
    origins.set(c.name, 'workspace');
    connections.push(c);
  }
  return { connections, origins, problems };
}
