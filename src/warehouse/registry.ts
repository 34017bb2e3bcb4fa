import type { ConnectionSettings } from '../shared/connection';
import type { Warehouse } from './warehouse';
import { authOf, secretsFor } from './connectionKinds';
import type { OpenContext, Secrets } from './kindSpec';
import { specOf } from './kinds';

export type { OpenContext } from './kindSpec';

/** Every secret the connection's auth method needs, asked for in order. */
async function secretsOf(settings: ConnectionSettings, ctx: OpenContext): Promise<Secrets> {
  const out: Secrets = {};
  for (const spec of secretsFor(authOf(settings))) {
    const value = await ctx.getSecret(settings, spec.name);
    if (value === undefined && !spec.optional) {
      throw new Error(
        `"${settings.name}" has no ${spec.prompt.toLowerCase()} stored. Run "Sync Logs: Edit Connection" to set it.`,
      );
    }
    if (value) out[spec.name] = value;
  }
  return out;
}

/**
 * Opens a connection through its kind's spec. Each adapter (and so each driver) is loaded on
 * first use only: activation never pays for a driver.
 */
export async function openWarehouse(settings: ConnectionSettings, ctx: OpenContext): Promise<Warehouse> {
  const spec = specOf(settings.kind);
  if (spec.authMethods.length === 0) return spec.open(settings, {}, ctx);
  // The adapter gets a valid auth method: a stored one the kind does not offer falls back to its default.
  const resolved = { ...settings, auth: authOf(settings) };
  return spec.open(resolved, await secretsOf(settings, ctx), ctx);
}
