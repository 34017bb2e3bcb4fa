import { startPostgres, type PostgresServer } from './postgresServer';
import { connectPostgresSink } from '../../src/warehouse/postgres/postgresWarehouse';
import { loadSyncLog } from '../../src/demo/loader';

/**
 * A real Postgres holding a small generated sync log that the password role may read, as a
 * user's warehouse would: the connection suites sign in as that role. Returns how many syncs it
 * holds, counted in plain SQL.
 */
export async function startReaderPostgres(): Promise<{ server: PostgresServer; syncCount: number }> {
  const server = await startPostgres();
  try {
    const sink = await connectPostgresSink({ connectionString: server.url });
    try {
      await loadSyncLog(sink, { schema: 'hightouch_audit', scale: 0.02 });
      await sink.exec(`grant usage on schema hightouch_audit to ${server.passwordRole.user};
        grant select on all tables in schema hightouch_audit to ${server.passwordRole.user};`);
      const counted = (await sink.query('select count(distinct sync_id) as n from hightouch_audit.sync_runs')) as {
        rows: { n: string }[];
      };
      return { server, syncCount: Number(counted.rows[0].n) };
    } finally {
      await sink.close();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
}
