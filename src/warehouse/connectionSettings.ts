import { DEMO_CONNECTION_NAME, type ConnectionSettings } from '../shared/connection';
import { AUTH_METHODS, USER_KINDS, type UserKind } from './connectionKinds';
import { specOf } from './kinds';

const SECRET_KEYS = [
  'password',
  'token',
  'privateKey',
  'privateKeyPassphrase',
  'serviceAccountKey',
  'accessToken',
  'secret',
];

/**
 * Validates the raw `syncLogs.connections` setting. A bad entry is skipped with a message
 * that says how to fix it, so one typo does not hide every other connection.
 */
export function readConnectionSettings(
  raw: unknown,
  level?: string,
): { connections: ConnectionSettings[]; problems: string[] } {
  const connections: ConnectionSettings[] = [];
  const problems: string[] = [];
  const inLevel = level ? ` (${level})` : '';
  if (raw === undefined || raw === null) return { connections, problems };
  if (!Array.isArray(raw))
    return { connections, problems: [`syncLogs.connections${inLevel} must be a list of connections.`] };
  const seen = new Set<string>([DEMO_CONNECTION_NAME]);
  raw.forEach((entry, i) => {
    const where = `syncLogs.connections[${i}]${inLevel}`;
    if (typeof entry !== 'object' || entry === null) return problems.push(`${where} is not an object; skipped.`);
    const c = entry as Record<string, unknown>;
    if (typeof c.name !== 'string' || !c.name.trim()) return problems.push(`${where} has no "name"; skipped.`);
    const named = `${where} ("${c.name}")`;
    if (seen.has(c.name))
      return problems.push(`${where}: the name "${c.name}" is used twice (or is the built-in Demo); skipped.`);
    if (typeof c.kind !== 'string' || !(USER_KINDS as readonly string[]).includes(c.kind)) {
      return problems.push(`${named}: kind must be one of ${USER_KINDS.join(', ')}; skipped.`);
    }
    const kind = c.kind as UserKind;
    if (
      c.port !== undefined &&
      (typeof c.port !== 'number' || !Number.isInteger(c.port) || c.port < 1 || c.port > 65535)
    ) {
      return problems.push(`${named}: port must be a whole number from 1 to 65535; skipped.`);
    }
    if (c.auth !== undefined && !(AUTH_METHODS[kind] as readonly unknown[]).includes(c.auth)) {
      return problems.push(`${named}: auth must be one of ${AUTH_METHODS[kind].join(', ')} for ${kind}; skipped.`);
    }
    const missing = specOf(kind).required.filter(([key]) => typeof c[key] !== 'string' || !(c[key] as string).trim());
    if (missing.length) {
      return problems.push(
        `${named}: set ${missing.map(([key, what]) => `"${key}" (${what})`).join(' and ')}; skipped.`,
      );
    }
    const secrets = SECRET_KEYS.filter((key) => key in c);
    if (secrets.length) {
      // Still usable; the secret in settings is ignored, and the user is told to move it.
      problems.push(
        `${named}: remove ${secrets.map((s) => `"${s}"`).join(', ')} from settings: secrets belong in VS Code's secret storage (run "Sync Logs: Edit Connection"); the value in settings is ignored.`,
      );
    }
    seen.add(c.name);
    const clean = { ...c };
    for (const key of secrets) delete clean[key];
    connections.push(clean as unknown as ConnectionSettings);
  });
  return { connections, problems };
}
