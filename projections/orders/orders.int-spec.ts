import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { RecordedEvent } from '#eventstore';
import { orderDecider, type OrderCommand, type OrderState } from '#libs/trading';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { ordersProjection } from './orders.projection.js';
import { applyInTransactions, replayBothWays } from './trading-session.fixture.js';

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
    timeInForce: 'GTC', placedAt: '2024-01-02T10:00:00.000Z', verdict: { outcome: 'accepted', at: '2024-01-02T10:00:01.000Z' }, ...extra,
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
    expect(await row('o1')).toEqual({ status: 'accepted', filled: '0', avg: null, reason: null, limit: '100' });
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
    await place('o2', { verdict: { outcome: 'rejected', reason: 'INSUFFICIENT_BUYING_POWER', at: '2024-01-02T10:03:00.000Z' } });
    await place('o3', { type: 'market', limitPrice: null, timeInForce: 'IOC' });
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

  describe('applyBatch', () => {
    const { tables } = ordersProjection;
    const reset = () => db.query(`truncate ${tables.join(', ')} restart identity`);
    const batch = (events: RecordedEvent[]) => applyInTransactions(db, [events], ordersProjection.applyBatch!);
    const at = (second: number) => `2024-01-02T10:00:${String(second).padStart(2, '0')}.000Z`;
    const placed = (orderId: string) => recorded('OrderPlaced', {
      orderId, accountId: 'b', clientOrderId: `c-${orderId}`, symbol: 'MSFT', side: 'sell', type: 'limit', quantity: '2.5', limitPrice: '410.25', stopPrice: null,
      timeInForce: 'DAY', placedAt: at(0),
    });
    const orders = () => db.query(
      `select seq::int, order_id, status, reason, quantity::text, limit_price::text, stop_price::text, filled_quantity::text, updated_at from orders order by seq`,
    );

    it('writes a run of placements with their status changes in one statement: seq in log order, each order\'s last status and reason', async () => {
      await reset();
      const statements = await batch([
        placed('p1'), placed('p2'), placed('p3'),
        recorded('OrderAccepted', { orderId: 'p1', accountId: 'b', at: at(1) }),
        recorded('OrderRejected', { orderId: 'p2', accountId: 'b', reason: 'SHORT_SELLING_NOT_ALLOWED', message: 'm', at: at(2) }),
        recorded('OrderAccepted', { orderId: 'p3', accountId: 'b', at: at(3) }),
        recorded('OrderCancelled', { orderId: 'p3', accountId: 'b', reason: 'requested', filledQuantity: '0', remainingQuantity: '2.5', at: at(4) }),
        // A status-only change after a reason keeps it, as the one-by-one update (status and time only) does.
        recorded('OrderExpired', { orderId: 'p3', accountId: 'b', filledQuantity: '0', remainingQuantity: '2.5', at: at(5) }),
      ]);
      expect(statements).toBe(1);
      expect(await orders()).toEqual([
        { seq: 1, order_id: 'p1', status: 'accepted', reason: null, quantity: '2.5', limit_price: '410.25', stop_price: null, filled_quantity: '0', updated_at: new Date(at(1)) },
        { seq: 2, order_id: 'p2', status: 'rejected', reason: 'SHORT_SELLING_NOT_ALLOWED', quantity: '2.5', limit_price: '410.25', stop_price: null, filled_quantity: '0', updated_at: new Date(at(2)) },
        { seq: 3, order_id: 'p3', status: 'expired', reason: 'requested', quantity: '2.5', limit_price: '410.25', stop_price: null, filled_quantity: '0', updated_at: new Date(at(5)) },
      ]);
    });

    it('updates the orders placed before the run in a second statement', async () => {
      await reset();
      await batch([placed('p7')]);
      const statements = await batch([placed('p8'), recorded('OrderAccepted', { orderId: 'p7', accountId: 'b', at: at(12) }), recorded('OrderAccepted', { orderId: 'p8', accountId: 'b', at: at(13) })]);
      expect(statements).toBe(2);
      expect(await orders()).toEqual([
        expect.objectContaining({ order_id: 'p7', status: 'accepted', updated_at: new Date(at(12)) }),
        expect.objectContaining({ order_id: 'p8', status: 'accepted', updated_at: new Date(at(13)) }),
      ]);
    });

    it('a placement whose row already exists changes nothing itself, and its run\'s status change still applies', async () => {
      await reset();
      await batch([placed('p9')]);
      await batch([placed('p9'), recorded('OrderRejected', { orderId: 'p9', accountId: 'b', reason: 'MAX_ORDER_NOTIONAL_EXCEEDED', message: 'm', at: at(14) })]);
      expect(await orders()).toEqual([expect.objectContaining({ seq: 1, order_id: 'p9', status: 'rejected', reason: 'MAX_ORDER_NOTIONAL_EXCEEDED', updated_at: new Date(at(14)) })]);
    });

    it('keeps the reason an earlier batch stored when a later run changes only the status', async () => {
      await reset();
      await batch([placed('p6'), recorded('OrderRejected', { orderId: 'p6', accountId: 'b', reason: 'MAX_POSITION_EXCEEDED', message: 'm', at: at(10) })]);
      await batch([recorded('OrderExpired', { orderId: 'p6', accountId: 'b', filledQuantity: '0', remainingQuantity: '2.5', at: at(11) })]);
      expect(await orders()).toEqual([expect.objectContaining({ order_id: 'p6', status: 'expired', reason: 'MAX_POSITION_EXCEEDED', updated_at: new Date(at(11)) })]);
    });

    it('applies a fill between two runs in log order: the status change after it wins', async () => {
      await reset();
      const fill = { orderId: 'p4', accountId: 'b', symbol: 'MSFT', side: 'sell', fillId: 'f4', price: '411', quantity: '1', fee: '0.1', liquidity: 'taker',
        filledQuantity: '1', remainingQuantity: '1.5', averageFillPrice: '411', at: at(7) };
      await batch([
        placed('p4'), recorded('OrderAccepted', { orderId: 'p4', accountId: 'b', at: at(6) }),
        recorded('OrderPartiallyFilled', fill),
        recorded('OrderCancelled', { orderId: 'p4', accountId: 'b', reason: 'requested', filledQuantity: '1', remainingQuantity: '1.5', at: at(8) }),
      ]);
      expect(await orders()).toEqual([expect.objectContaining({ order_id: 'p4', status: 'cancelled', reason: 'requested', filled_quantity: '1', updated_at: new Date(at(8)) })]);
    });

    it('a placement logged after its own status change starts a new run, so the change stays a no-op as one by one', async () => {
      await reset();
      await batch([recorded('OrderAccepted', { orderId: 'p5', accountId: 'b', at: at(9) }), placed('p5')]);
      expect(await orders()).toEqual([expect.objectContaining({ order_id: 'p5', status: 'pending', updated_at: new Date(at(0)) })]);
    });

    it.each([11, 12, 13])('leaves every row as applying the events one by one does (session %i)', async (seed) => {
      const { types, handles, oneByOne, batched } = await replayBothWays(db, ordersProjection, seed);
      expect(types).toEqual(handles);
      expect(oneByOne.rows.orders.length).toBeGreaterThan(50);
      expect(batched.rows).toEqual(oneByOne.rows);
      // Fills stay two statements each; placements and status changes share theirs.
      expect(batched.statements).toBeLessThan(oneByOne.statements * 0.75);
    });
  });
});
