import { startPostgres, type PostgresServer } from './postgresServer';
import { connectPostgresSink, openPostgresWarehouse } from '../../src/warehouse/postgres/postgresWarehouse';
import { loadSyncLog } from '../../src/demo/loader';
import type { Warehouse } from '../../src/warehouse/warehouse';

/**
 * A real PostgreSQL server holding a small demo sync log (scale 0.05) in `hightouch_audit`,
 * plus whatever `extraSql` builds next to it (deployment variants), and a warehouse on it.
 */
export async function startDemoPostgres(extraSql?: string): Promise<{ server: PostgresServer; wh: Warehouse }> {
  const server = await startPostgres();
  try {
    const sink = await connectPostgresSink({ connectionString: server.url });
    try {
      await loadSyncLog(sink, { schema: 'hightouch_audit', scale: 0.05 });
      if (extraSql) await sink.exec(extraSql);
    } finally {
      await sink.close();
    }
    return { server, wh: await openPostgresWarehouse({ connectionString: server.url }) };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
