import { DEMO_CONNECTION_NAME, type ConnectionSettings } from '../shared/connection';

const SUPPORTED_KINDS = new Set(['postgres']);

/**
 * Validates the raw `syncLogs.connections` setting. A bad entry is skipped with a message
 * that says how to fix it, so one typo does not hide every other connection.
 */
export function readConnectionSettings(raw: unknown): { connections: ConnectionSettings[]; problems: string[] } {
  const connections: ConnectionSettings[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { connections, problems };
  if (!Array.isArray(raw)) return { connections, problems: ['syncLogs.connections must be a list of connections.'] };
  const seen = new Set<string>([DEMO_CONNECTION_NAME]);
  raw.forEach((entry, i) => {
    const where = `syncLogs.connections[${i}]`;
    if (typeof entry !== 'object' || entry === null) return problems.push(`${where} is not an object; skipped.`);
    const c = entry as Record<string, unknown>;
    if (typeof c.name !== 'string' || !c.name.trim()) return problems.push(`${where} has no "name"; skipped.`);
    if (seen.has(c.name)) return problems.push(`${where}: the name "${c.name}" is used twice (or is the built-in Demo); skipped.`);
    if (typeof c.kind !== 'string' || !SUPPORTED_KINDS.has(c.kind)) {
      return problems.push(`${where} ("${c.name}"): kind must be one of ${[...SUPPORTED_KINDS].join(', ')}; skipped.`);
    }
    if (c.port !== undefined && (typeof c.port !== 'number' || !Number.isInteger(c.port) || c.port < 1 || c.port > 65535)) {
      return problems.push(`${where} ("${c.name}"): port must be a whole number from 1 to 65535; skipped.`);
    }
    seen.add(c.name);
    connections.push(c as unknown as ConnectionSettings);
  });
  return { connections, problems };
}
