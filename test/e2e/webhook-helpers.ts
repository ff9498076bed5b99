import { createHmac } from 'node:crypto';
import pg from 'pg';
import { api, TEST_ADMIN_TOKEN } from '../support/app.js';

type App = { url: string };
type DbApp = { db: { url: string } };

export async function sql<Row = any>(app: DbApp, text: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: app.db.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** Signals are what intake writes; a refused request must leave this count where it was. */
export const signalEvents = async (app: DbApp): Promise<number> =>
  (await sql<{ n: number }>(app, "select count(*)::int as n from events where stream_category = 'signal'"))[0].n;

export async function openAccount(app: App, openingDeposit = '100000'): Promise<{ accountId: string; apiKey: string }> {
  const response = await api(app, 'POST', '/accounts', { name: 'webhook desk', openingDeposit }, TEST_ADMIN_TOKEN);
  if (response.status !== 201) throw new Error(`opening an account answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function createWebhook(app: App, apiKey: string, body: Record<string, unknown> = {}): Promise<{ webhookId: string; url: string; secret: string }> {
  const response = await api(app, 'POST', '/webhooks', { strategy: 'sma-cross', sizing: { mode: 'fixed_quantity', quantity: '10' }, ...body }, apiKey);
  if (response.status !== 201) throw new Error(`creating a webhook answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface HookPost {
  body: string | Record<string, unknown>;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Posts like TradingView does: text/plain unless told otherwise, no bearer token. */
export async function postHook(app: App, path: string, { body, contentType = 'text/plain; charset=utf-8', headers = {} }: HookPost): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* stays text */
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export const signatureHeaders = (secret: string, body: string, atMs = Date.now()) => {
  const timestamp = String(Math.floor(atMs / 1000));
  return { 'x-webhook-timestamp': timestamp, 'x-webhook-signature': `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}` };
};

export async function postBar(app: App, symbol: string, offsetMs: number, price: string): Promise<void> {
  const time = new Date(Date.now() + offsetMs).toISOString();
  const bar = { time, open: price, high: price, low: price, close: price, volume: '1000000' };
  const response = await api(app, 'POST', '/market-data/bars', { symbol, timeframe: '1m', bars: [bar] }, TEST_ADMIN_TOKEN);
  if (response.status !== 202) throw new Error(`recording a bar answered ${response.status}: ${JSON.stringify(response.body)}`);
}

/** Polls until `accept`; a failed read (a busy shared server refusing connections) counts as "not yet". */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch((error: unknown) => ({ readFailed: String(error) }) as const);
    if (!(value && typeof value === 'object' && 'readFailed' in value) && accept(value as T)) return value as T;
    if (Date.now() > deadline) throw new Error(`${what} did not happen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
