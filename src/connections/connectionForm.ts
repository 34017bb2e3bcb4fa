import {
  DEFAULT_SCHEMA,
  DEMO_CONNECTION_NAME,
  type AuthMethod,
  type ConnectionSettings,
  type SecretName,
} from '../shared/connection';
import { AUTH_LABELS, secretsFor, USER_KINDS, type FieldSpec, type UserKind } from '../warehouse/connectionKinds';
import { specOf } from '../warehouse/kinds';
import type { Prompter } from './prompter';

export interface ConnectionForm {
  settings: ConnectionSettings;
  /** Secrets entered in this form; a secret not here keeps its stored value. */
  secrets: Partial<Record<SecretName, string>>;
}

export interface FormContext {
  /** Names already taken by other connections. */
  takenNames: readonly string[];
  /** Prefill: the connection being edited, or the previous attempt after "Edit Again". */
  initial?: ConnectionSettings;
  /**
   * Secrets that exist already for the target the answers point at (stored, or typed in a
   * previous attempt): empty answers keep them. A function of the answers, because a secret
   * belongs to a target: change the host and it is asked for again.
   */
  knownSecrets?: (settings: ConnectionSettings) => ReadonlySet<SecretName>;
  /** Fix the kind (editing never changes it). */
  kind?: UserKind;
}

const SSL_MODES: { value: 'disable' | 'require' | 'verify-full'; label: string; description: string }[] = [
  { value: 'disable', label: 'disable', description: 'no TLS (local servers)' },
  { value: 'require', label: 'require', description: 'encrypt, do not verify the certificate' },
  { value: 'verify-full', label: 'verify-full', description: 'encrypt and verify the certificate and host name' },
];

/** What is wrong with a field's value, or undefined when it is fine. Pure. */
export function validateField(field: FieldSpec, value: string): string | undefined {
  const v = value.trim();
  if (!v) return field.optional ? undefined : `${field.prompt} is required.`;
  switch (field.key) {
    case 'port':
      return /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535
        ? undefined
        : 'Enter a port number from 1 to 65535.';
    case 'httpPath':
      return v.startsWith('/')
        ? undefined
        : 'The HTTP path starts with "/", e.g. /sql/1.0/warehouses/abc123 (see the warehouse\'s Connection details).';
    case 'host':
      return /^[^\s/:]+$/.test(v) ? undefined : 'Enter only the host name, without https:// or a path.';
    default:
      // The kind's own rules (a schema, database, catalog or project name), from its spec.
      return field.validate?.(v);
  }
}

/**
 * Walks through a connection's fields, auth method and secrets. Returns undefined when the user
 * cancels at any step; nothing is saved here.
 */
export async function collectConnection(prompter: Prompter, ctx: FormContext): Promise<ConnectionForm | undefined> {
  const initial = ctx.initial;
  const kind =
    ctx.kind ??
    (await prompter.pick<UserKind>({
      title: 'Add Sync Logs Connection',
      placeholder: 'Where does Hightouch write your sync logs?',
      items: USER_KINDS.map((k) => ({ label: specOf(k).label, description: k, value: k })),
    }));
  if (!kind) return undefined;
  const spec = specOf(kind);
  const fields = spec.fields;
  const methods = spec.authMethods;
  const totalSteps = 1 + fields.length + (methods.length > 1 ? 1 : 0) + 1;
  let step = 1;
  const title = `${initial ? 'Edit' : 'Add'} ${spec.label} Connection`;

  const taken = new Set([DEMO_CONNECTION_NAME, ...ctx.takenNames]);
  const name = await prompter.input({
    title,
    step: step++,
    totalSteps,
    prompt: 'A name for this connection (shown in the status bar and the Sync Logs view)',
    value: initial?.name ?? spec.label,
    validate: (v) =>
      !v.trim()
        ? 'Enter a name.'
        : taken.has(v.trim())
          ? `"${v.trim()}" is already used; choose another name.`
          : undefined,
  });
  if (name === undefined) return undefined;

  const settings: ConnectionSettings = { name: name.trim(), kind };
  for (const field of fields) {
    const previous = initial?.[field.key];
    if (field.key === 'ssl') {
      const current = (previous as string | undefined) ?? field.default;
      const ssl = await prompter.pick({
        title,
        step: step++,
        totalSteps,
        placeholder: 'TLS mode',
        items: SSL_MODES.map((m) => ({
          label: m.label,
          description: `${m.description}${m.value === current ? ' (current)' : ''}`,
          value: m.value,
        })),
      });
      if (!ssl) return undefined;
      settings.ssl = ssl;
      continue;
    }
    const answer = await prompter.input({
      title,
      step: step++,
      totalSteps,
      prompt: field.prompt,
      value: previous !== undefined ? String(previous) : (field.default ?? ''),
      placeholder: field.placeholder,
      validate: (v) => validateField(field, v),
    });
    if (answer === undefined) return undefined;
    const v = answer.trim();
    if (!v) continue;
    if (field.key === 'port') settings.port = Number(v);
    else if (field.key === 'schema') {
      // The default schema is not written out, so changing syncLogs.schema still applies.
      if (v !== DEFAULT_SCHEMA || initial?.schema) settings.schema = v;
    } else settings[field.key] = v;
  }

  let auth: AuthMethod = methods[0];
  if (methods.length > 1) {
    const current = initial?.auth ?? methods[0];
    const picked = await prompter.pick({
      title,
      step: step++,
      totalSteps,
      placeholder: 'How does this connection sign in?',
      items: methods.map((m) => ({
        label: AUTH_LABELS[m],
        description: m === current ? '(current)' : undefined,
        value: m,
      })),
    });
    if (!picked) return undefined;
    auth = picked;
  }
  if (methods.length > 1 || initial?.auth) settings.auth = auth;

  const secrets: Partial<Record<SecretName, string>> = {};
  const knownHere = ctx.knownSecrets?.(settings);
  for (const spec of secretsFor(auth)) {
    const known = knownHere?.has(spec.name) ?? false;
    if (spec.fromFile) {
      if (known) {
        const keep = await prompter.pick({
          title,
          step,
          totalSteps,
          placeholder: spec.prompt,
          items: [
            { label: 'Keep the stored key', value: true },
            { label: 'Choose a new file…', value: false },
          ],
        });
        if (keep === undefined) return undefined;
        if (keep) continue;
      }
      const text = await prompter.readFile({
        title: spec.prompt,
        filters: spec.name === 'serviceAccountKey' ? { 'JSON key': ['json'] } : { 'Private key': ['p8', 'pem', 'key'] },
      });
      if (text === undefined) return undefined;
      secrets[spec.name] = text;
      continue;
    }
    const value = await prompter.input({
      title,
      step,
      totalSteps,
      prompt: `${spec.prompt}${known ? ' (leave empty to keep the stored one)' : ''}. Kept in VS Code secret storage, never in settings.`,
      password: true,
      validate: (v) => (!v && !known && !spec.optional ? `Enter the ${spec.prompt.toLowerCase()}.` : undefined),
    });
    if (value === undefined) return undefined;
    if (value) secrets[spec.name] = value;
  }
  return { settings, secrets };
}
