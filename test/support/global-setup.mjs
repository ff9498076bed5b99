// Runs outside Jest's module system, so it loads the compiled platform library
// (`npm test` builds first through its pretest script).
import path from 'node:path';
import pg from 'pg';
import { ensureDatabase, resolveDatabaseServer } from '../../dist/libs/platform/src/index.js';

/**
 * Suites get databases from a pool created once per machine and kept between runs. CREATE and
 * DROP DATABASE each hold a transaction id for hundreds of milliseconds, and the event store's
 * subscriptions (rightly) wait for every older transaction in the cluster to settle, so creating
 * databases while other suites run would stall their subscriptions.
 */
export const POOL_SIZE = Number(process.env.TEST_DATABASE_POOL ?? 48);

export default async function globalSetup() {
  const server = await resolveDatabaseServer({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: path.resolve('.data/test'),
  });
  process.env.TEST_DATABASE_SERVER_URL = server.url;
  if (server.embedded) {
    console.log(`\n[test] no DATABASE_URL and nothing on 127.0.0.1:5432: using the embedded PostgreSQL (${server.url})`);
  }
  globalThis.__dbServer = server;

  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    const { rows } = await client.query(`select datname from pg_database where datname like 't\\_pool\\_%'`);
    const existing = new Set(rows.map((r) => r.datname));
    const missing = Array.from({ length: POOL_SIZE }, (_, i) => `t_pool_${i}`).filter((name) => !existing.has(name));
    if (missing.length) console.log(`\n[test] creating ${missing.length} pooled test databases (once per machine)`);
    for (const name of missing) await ensureDatabase(server.url, name);
    process.env.TEST_DATABASE_POOL = String(POOL_SIZE);
  } finally {
    await client.end();
  }
}
