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

async function run(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A pooled database nobody else holds: the claim is a session advisory lock, kept until drop() (or
 * until this test process exits), so concurrent test runs on one server never share a database.
 */
async function claimPooled(server: string, size: number): Promise<TestDatabase | null> {
  const holder = new pg.Client({ connectionString: server });
  await holder.connect();
  const offset = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const name = `t_pool_${(offset + i) % size}`;
    const { rows } = await holder.query('select pg_try_advisory_lock(hashtextextended($1, 0)) as claimed', [name]);
    if (!rows[0].claimed) continue;
    const url = withDatabase(server, name);
    await run(url, 'drop schema if exists public cascade; create schema public');
    return { url, name, drop: () => holder.end() };
  }
  await holder.end();
  return null;
}

/**
 * An empty database for one suite, so suites never see each other's rows: a pooled one (see
 * global-setup.mjs for why), or a new one when every pooled database is taken.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = serverUrl();
  const pooled = await claimPooled(server, Number(process.env.TEST_DATABASE_POOL ?? 0));
  if (pooled) return pooled;
  const safe = label.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 30);
  const name = `t_${safe}_${randomBytes(4).toString('hex')}`;
  const url = await ensureDatabase(server, name);
  return { url, name, drop: () => dropDatabase(server, name) };
}
