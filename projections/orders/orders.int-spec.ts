import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { RecordedEvent } from '#eventstore';
import { orderDecider, type OrderCommand, type OrderState } from '#libs/trading';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { ordersProjection } from './orders.projection.js';

const recorded = (type: string, data: unknown): RecordedEvent =>
  ({ id: randomUUID(), type, data, streamId: 'order-x', revision: 0n, position: { commit: 0n, prepare: 0n }, metadata: {}, createdAt: new Date() });

describe('orders projection (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  const states = new Map<string, OrderState>();

  const run = async (command: OrderCommand) => {
    const before = states.get(command.data.orderId) ?? orderDecider.initialState;
    const events = orderDecider.decide(command, before);
    states.set(command.data.orderId, events.reduce(orderDecider.evolve, before));
    await db.transaction(async (tx) => {
      for (const event of events) await ordersProjection.apply(recorded(event.type, event.data), tx);
    });
  };
  const place = (orderId: string, extra: Record<string, unknown> = {}) => run({ type: 'PlaceOrder', data: {
    orderId, accountId: 'a', clientOrderId: `c-${orderId}`, symbol: 'AAPL', side: 'buy', type: 'limit', quantity: '10', limitPrice: '100',
    timeInForce: 'GTC', placedAt: '2024-01-02T10:00:00.000Z', ...extra,
  } as never });
  const row = async (orderId: string) => (await db.query(
    `select status, trim_scale(filled_quantity)::text as filled, trim_scale(average_fill_price)::text as avg, reason, limit_price::text as limit from orders where order_id = $1`,
    [orderId],
  ))[0];

  beforeAll(async () => {
    database = await createTestDatabase('orders_projection');
    await runMigrations(database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('records an order through acceptance and two fills, with its fills in order', async () => {
    await place('o1');
    expect(await row('o1')).toEqual({ status: 'pending', filled: '0', avg: null, reason: null, limit: '100' });
    await run({ type: 'AcceptOrder', data: { orderId: 'o1', at: '2024-01-02T10:00:01.000Z' } });
    await run({ type: 'FillOrder', data: { orderId: 'o1', fillId: 'f1', price: '99', quantity: '4', fee: '0.4', liquidity: 'maker', at: '2024-01-02T10:01:00.000Z' } });
    expect(await row('o1')).toEqual({ status: 'partially_filled', filled: '4', avg: '99', reason: null, limit: '100' });
    await run({ type: 'FillOrder', data: { orderId: 'o1', fillId: 'f2', price: '100', quantity: '6', fee: '0.6', liquidity: 'maker', at: '2024-01-02T10:02:00.000Z' } });
    expect(await row('o1')).toEqual({ status: 'filled', filled: '10', avg: '99.6', reason: null, limit: '100' });
    expect(await db.query(`select fill_id, price::text, quantity::text, fee::text from fills where order_id = 'o1' order by seq`)).toEqual([
      { fill_id: 'f1', price: '99', quantity: '4', fee: '0.4' },
      { fill_id: 'f2', price: '100', quantity: '6', fee: '0.6' },
    ]);
  });

  it('keeps the reason of a rejection or cancellation, and lists newest first by arrival', async () => {
    await place('o2');
    await run({ type: 'RejectOrder', data: { orderId: 'o2', reason: 'INSUFFICIENT_BUYING_POWER', at: '2024-01-02T10:03:00.000Z' } });
    await place('o3', { type: 'market', limitPrice: null, timeInForce: 'IOC' });
    await run({ type: 'AcceptOrder', data: { orderId: 'o3', at: '2024-01-02T10:04:00.000Z' } });
    await run({ type: 'CancelOrder', data: { orderId: 'o3', reason: 'requested', at: '2024-01-02T10:05:00.000Z' } });
    expect(await row('o2')).toMatchObject({ status: 'rejected', reason: 'INSUFFICIENT_BUYING_POWER' });
    expect(await row('o3')).toMatchObject({ status: 'cancelled', reason: 'requested', limit: null });
    const newest = await db.query(`select order_id from orders where account_id = 'a' order by seq desc`);
    expect(newest.map((r: { order_id: string }) => r.order_id)).toEqual(['o3', 'o2', 'o1']);
  });

  it('uses the account indexes for the list filters', async () => {
    await db.query('analyze orders');
    await db.query('set enable_seqscan = off');
    const [plan] = await db.query(`explain (format json) select order_id from orders where account_id = 'a' and status = 'filled' order by seq desc limit 50`);
    await db.query('set enable_seqscan = on');
    expect(JSON.stringify(plan)).toContain('orders_by_account');
  });
});
