import type { ConnectionSettings } from '../shared/connection';
import type { LoadProgress } from '../demo/loaderContract';
import type { Warehouse } from './warehouse';

export interface OpenContext {
  /** Folder for the embedded demo's data directory (the extension's global storage). */
  demoStorageDir: string;
  /** Asks secret storage (or the user) for the connection's password. */
  getPassword(settings: ConnectionSettings): Promise<string | undefined>;
  statementTimeoutMs?: number;
  onDemoProgress?(progress: LoadProgress): void;
  log?(line: string): void;
}

/**
 * Opens a connection. Each adapter (and so each driver) is loaded on first use only:
 * activation never pays for a driver.
 */
export async function openWarehouse(settings: ConnectionSettings, ctx: OpenContext): Promise<Warehouse> {
  switch (settings.kind) {
    case 'demo': {
      // In a worker thread: PGlite would otherwise block the extension host while it works.
      const { openDemoInWorker } = await import('./demoWorkerClient');
      return openDemoInWorker(ctx.demoStorageDir, { onProgress: ctx.onDemoProgress, log: ctx.log });
    }
    case 'postgres': {
      const { openPostgresWarehouse } = await import('./postgresWarehouse');
      const password = await ctx.getPassword(settings);
      return openPostgresWarehouse(
        {
          host: settings.host ?? 'localhost',
          port: settings.port ?? 5432,
          database: settings.database,
          user: settings.user,
          password,
          ssl: settings.ssl === 'require' ? { rejectUnauthorized: false } : settings.ssl === 'verify-full' ? true : undefined,
        },
        { statementTimeoutMs: ctx.statementTimeoutMs },
      );
    }
    default:
      throw new Error(`Connections of kind "${settings.kind}" are not supported yet. Supported: demo, postgres.`);
  }
}
