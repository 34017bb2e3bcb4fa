/**
 * Which notebook controllers (kernels) the sync-log notebook offers: one per configured
 * connection, so VS Code's kernel picker is the switch between connections and the toolbar says
 * which one a notebook runs on. Pure: `notebookKernels.ts` applies the plan to VS Code.
 */
import type { ConnectionSettings } from '../shared/connection';
import { noIcons } from '../shared/displayText';
import { describeConnection } from '../warehouse/connectionKinds';
import { specOf } from '../warehouse/kinds';

/** Every controller id starts so; the rest names the connection. */
export const NOTEBOOK_CONTROLLER_PREFIX = 'syncLogs.notebookController/';

/**
 * The controller id of a connection. VS Code remembers a notebook's chosen controller by id, so it
 * is the connection's name (encoded: any text can be a name), stable across reloads.
 */
export const controllerIdOf = (connection: string): string =>
  NOTEBOOK_CONTROLLER_PREFIX + encodeURIComponent(connection);

/** What the kernel picker shows for a connection. */
export interface KernelLook {
  label: string;
  description: string;
  detail: string;
}

export function kernelLook(c: ConnectionSettings): KernelLook {
  // The picker draws $(name) as an icon; a name or host (a workspace can set them) is text.
  return {
    label: `Sync Logs: ${noIcons(c.name)}`,
    description: noIcons(`${specOf(c.kind).label} · ${describeConnection(c)}`),
    detail: `Runs each SQL cell on the "${noIcons(c.name)}" connection, whichever connection is active.`,
  };
}

export interface KernelPlan {
  /** Connections without a controller yet. */
  create: ConnectionSettings[];
  /** Controllers whose connection is gone (removed, or renamed: the new name gets a new one). */
  remove: string[];
  /** Controllers kept, with what they should show now (an edit can change the kind or target). */
  keep: { name: string; look: KernelLook }[];
}

/** From the connections that have a controller to the ones listed now. */
export function planKernels(existing: Iterable<string>, listed: readonly ConnectionSettings[]): KernelPlan {
  const have = new Set(existing);
  const wanted = new Map(listed.map((c) => [c.name, c]));
  return {
    create: [...wanted.values()].filter((c) => !have.has(c.name)),
    remove: [...have].filter((name) => !wanted.has(name)),
    keep: [...wanted.values()].filter((c) => have.has(c.name)).map((c) => ({ name: c.name, look: kernelLook(c) })),
  };
}
