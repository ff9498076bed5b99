import { randomUUID } from 'node:crypto';
import { api, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.js';

/** Polls a read endpoint until it shows what the write side decided; fails with the last answer at the deadline. */
export async function until(app: TestApp, path: string, token: string, accept: (body: any) => boolean, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await api(app, 'GET', path, undefined, token);
    if (status === 200 && accept(body)) return body;
    if (Date.now() > deadline) throw new Error(`GET ${path} did not reach the expected state: ${status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** One bar timed `offsetMs` from now: fills only happen on bars at or after an order's placement. */
export async function postBar(app: TestApp, symbol: string, offsetMs: number, ohlc: { open: string; high: string; low: string; close: string; volume?: string }): Promise<string> {
  const time = new Date(Date.now() + offsetMs).toISOString();
  const response = await api(app, 'POST', '/market-data/bars', { symbol, timeframe: '1m', bars: [{ time, volume: '100000', ...ohlc }] }, TEST_ADMIN_TOKEN);
  if (response.status !== 202) throw new Error(`recording a bar answered ${response.status}: ${JSON.stringify(response.body)}`);
  return time;
}

export const deposit = (app: TestApp, token: string, amount: string) => api(app, 'POST', '/accounts/me/deposits', { amount, transferId: randomUUID() }, token);

export const order = (app: TestApp, token: string, body: Record<string, unknown>) =>
  api(app, 'POST', '/orders', { clientOrderId: randomUUID(), symbol: 'AAPL', side: 'buy', type: 'limit', quantity: '1', timeInForce: 'GTC', ...body }, token);

/** Waits until a projection or saga has applied `count` events (health reports each runner's count). */
export async function applied(app: TestApp, name: string, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(app, 'GET', '/health/ready');
    const runner = body?.details?.projections?.runners?.find((r: { name: string }) => r.name === name);
    if (runner && runner.eventsApplied >= count) return;
    if (Date.now() > deadline) throw new Error(`${name} did not apply ${count} events: ${JSON.stringify(runner)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
