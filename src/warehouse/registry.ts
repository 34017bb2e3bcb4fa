import type { ConnectionSettings, SecretName } from '../shared/connection';
import type { LoadProgress } from '../demo/loaderContract';
import type { Warehouse } from './warehouse';
import { authOf, secretsFor } from './connectionKinds';

export interface OpenContext {
  /** Folder for the embedded demo's data directory (the extension's global storage). */
  demoStorageDir: string;
  /**
   * A secret of the connection from secret storage, or asked for when it may be typed (password,
   * token); undefined when there is none and the user gave none.
   */
  getSecret(settings: ConnectionSettings, secret: SecretName): Promise<string | undefined>;
  statementTimeoutMs?: number;
  /** BigQuery: every job's maximumBytesBilled (syncLogs.bigquery.maximumBytesBilled); undefined: no limit. */
  maximumBytesBilled?: number;
  onDemoProgress?(progress: LoadProgress): void;
  log?(line: string): void;
}

/** Every secret the connection's auth method needs, asked for in order. */
async function secretsOf(settings: ConnectionSettings, ctx: OpenContext): Promise<Partial<Record<SecretName, string>>> {
  const out: Partial<Record<SecretName, string>> = {};
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

const SSL = (ssl: ConnectionSettings['ssl']) =>
  ssl === 'require' ? { rejectUnauthorized: false } : ssl === 'verify-full' ? true : undefined;

/**
 * Opens a connection. Each adapter (and so each driver) is loaded on first use only:
 * activation never pays for a driver.
 */
export async function openWarehouse(settings: ConnectionSettings, ctx: OpenContext): Promise<Warehouse> {
  const options = { statementTimeoutMs: ctx.statementTimeoutMs };
  switch (settings.kind) {
    case 'demo': {
      // In a worker thread: PGlite would otherwise block the extension host while it works.
      const { openDemoInWorker } = await import('./demoWorkerClient');
      return openDemoInWorker(ctx.demoStorageDir, {
        onProgress: ctx.onDemoProgress,
        log: ctx.log,
        statementTimeoutMs: ctx.statementTimeoutMs,
      });
    }
    case 'postgres':
    case 'redshift': {
      const secrets = await secretsOf(settings, ctx);
      const { openPostgresWarehouse } = await import('./postgresWarehouse');
      return openPostgresWarehouse(
        {
          host: settings.host ?? 'localhost',
          port: settings.port ?? (settings.kind === 'redshift' ? 5439 : 5432),
          database: settings.database,
          user: settings.user,
          password: secrets.password,
          // Redshift requires TLS by default; Postgres follows the setting.
          ssl: SSL(settings.ssl ?? (settings.kind === 'redshift' ? 'require' : undefined)),
        },
        { ...options, flavor: settings.kind },
      );
    }
    case 'snowflake': {
      const secrets = await secretsOf(settings, ctx);
      const { openSnowflakeWarehouse } = await import('./snowflakeWarehouse');
      return openSnowflakeWarehouse(
        {
          account: settings.account ?? '',
          username: settings.user ?? '',
          auth: authOf(settings) as 'password' | 'keyPair' | 'oauthToken',
          password: secrets.password,
          privateKey: secrets.privateKey,
          privateKeyPassphrase: secrets.privateKeyPassphrase,
          token: secrets.token,
          warehouse: settings.warehouse,
          role: settings.role,
          database: settings.database,
          accessUrl: settings.endpoint,
        },
        options,
      );
    }
    case 'bigquery': {
      const secrets = await secretsOf(settings, ctx);
      const { openBigQueryWarehouse } = await import('./bigqueryWarehouse');
      return openBigQueryWarehouse(
        {
          projectId: settings.project || settings.database || '',
          location: settings.location,
          auth: authOf(settings) as 'serviceAccountKey' | 'oauthToken' | 'applicationDefault',
          serviceAccountKey: secrets.serviceAccountKey,
          token: secrets.token,
          apiEndpoint: settings.endpoint,
        },
        { ...options, maximumBytesBilled: ctx.maximumBytesBilled },
      );
    }
    case 'databricks': {
      const secrets = await secretsOf(settings, ctx);
      const { openDatabricksWarehouse } = await import('./databricksWarehouse');
      return openDatabricksWarehouse(
        {
          host: settings.host ?? '',
          port: settings.port,
          path: settings.httpPath ?? '',
          auth: authOf(settings) as 'personalAccessToken' | 'oauthToken',
          token: secrets.token ?? '',
          catalog: settings.database,
          schema: settings.schema,
        },
        options,
      );
    }
  }
}
