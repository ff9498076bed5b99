import pg from 'pg';

export default async function globalTeardown() {
  const sequence = process.env.TEST_DATABASE_POOL_SEQUENCE;
  if (sequence && process.env.TEST_DATABASE_SERVER_URL) {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_SERVER_URL });
    await client.connect();
    await client.query(`drop sequence if exists ${sequence}`).finally(() => client.end());
  }
  await globalThis.__dbServer?.stop();
}
