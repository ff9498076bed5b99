import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropDatabase, ensureDatabase, withDatabase } from '#libs/platform';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_SERVER_URL;
  if (!url) throw new Error('TEST_DATABASE_SERVER_URL is unset: run the tests through jest (see test/support/global-setup.mjs)');
  return url;
}

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * An empty database for one suite, so suites never see each other's rows: the next pooled database
 * of this run (emptied here), or a new one when the pool is used up.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = serverUrl();
  const sequence = process.env.TEST_DATABASE_POOL_SEQUENCE;
  if (sequence) {
    const { rows } = await query(server, `select nextval('${sequence}')::int as n`);
    const n = rows[0].n as number;
    if (n < Number(process.env.TEST_DATABASE_POOL ?? 0)) {
      const name = `t_pool_${n}`;
      const url = withDatabase(server, name);
      await query(url, 'drop schema if exists public cascade; create schema public');
      return { url, name, drop: async () => undefined };
    }
  }
  const safe = label.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 30);
  const name = `t_${safe}_${randomBytes(4).toString('hex')}`;
  const url = await ensureDatabase(server, name);
  return { url, name, drop: () => dropDatabase(server, name) };
}
