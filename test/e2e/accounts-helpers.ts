import pg from 'pg';
import { api, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.js';

export async function openTestAccount(app: TestApp, body: Record<string, unknown> = {}): Promise<{ accountId: string; apiKey: string }> {
  const response = await api(app, 'POST', '/accounts', { name: 'test desk', openingDeposit: '10000', ...body }, TEST_ADMIN_TOKEN);
  if (response.status !== 201) throw new Error(`opening an account answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function query<Row = Record<string, unknown>>(app: TestApp, sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: app.db.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

export const eventCount = async (app: TestApp): Promise<number> => (await query<{ n: number }>(app, 'select count(*)::int as n from events'))[0].n;

/** Polls until the read side shows what the write side already decided. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
