import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CommandHandler, PostgresEventStore, type RecordedEvent } from '#eventstore';
import { marketStreamId } from '#libs/market-data';
import { DEFAULT_PAPER_BROKER_CONFIG, orderDecider, orderStreamId, type OrderState } from '#libs/trading';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { paperBrokerSaga } from './paper-broker.saga.js';

const AT = '2024-03-04T14:00:00.000Z';
const broker = { ...DEFAULT_PAPER_BROKER_CONFIG, reserveAllowanceBps: '50', sessionEndUtc: '21:00' };

describe('paper broker batches (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let db: DataSource;
  let commands: CommandHandler;
  const saga = () => paperBrokerSaga({ commands, broker, log: () => undefined });
  const rows = () => db.query('select order_id, symbol, working, expires_at from paper_working_orders order by seq');
  const orderEvents = async (orderId: string): Promise<RecordedEvent[]> => store.readStream(orderStreamId(orderId));
  const place = async (symbol: string, timeInForce: 'DAY' | 'GTC', accept: boolean): Promise<string> => {
    const orderId = randomUUID();
    const verdict = accept ? { outcome: 'accepted' as const, at: AT } : { outcome: 'rejected' as const, reason: 'R', message: 'm', at: AT };
    await commands.handle(orderStreamId(orderId), orderDecider, { type: 'PlaceOrder', data: {
      orderId, accountId: 'acc-1', clientOrderId: orderId, symbol, side: 'buy', type: 'limit', quantity: '1', limitPrice: '100', stopPrice: null, timeInForce, placedAt: AT, verdict,
    } });
    return orderId;
  };
  const status = async (orderId: string): Promise<OrderState['status']> => (await commands.load(orderStreamId(orderId), orderDecider)).state.status;

  beforeAll(async () => {
    database = await createTestDatabase('paper_broker_batches');
    await runMigrations(database.url);
    store = new PostgresEventStore({ connectionString: database.url });
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    commands = new CommandHandler(store);
  });
  afterAll(async () => {
    await db.destroy();
    await store.close();
    await database.drop();
  });

  it('leaves the working orders exactly as applying the events one by one does', async () => {
    const [dayOrder, gtc] = [await place('AAA', 'DAY', true), await place('BBB', 'GTC', true), await place('BBB', 'GTC', false)];
    await commands.handle(orderStreamId(gtc), orderDecider, { type: 'CancelOrder', data: { orderId: gtc, reason: 'requested', at: AT } });
    const log = (await store.readAll()).filter((e) => e.streamId.startsWith('order-'));

    await db.transaction((tx) => saga().applyBatch!(log, tx));
    const batched = await rows();
    await db.query('truncate paper_working_orders');
    for (const event of log) await db.transaction((tx) => saga().applyBatch!([event], tx));
    const oneByOne = await rows();

    expect(batched).toEqual(oneByOne);
    expect(batched.map((r: { order_id: string; working: boolean }) => [r.order_id, r.working])).toEqual([[dayOrder, true]]);
    expect(new Date(batched[0].expires_at).toISOString()).toBe('2024-03-04T21:00:00.000Z');
    await db.query('truncate paper_working_orders');
  });

  it('accepts an order placed in an earlier batch, and one whose row a re-applied placement finds already written', async () => {
    const [earlier, rewritten] = [await place('DDD', 'GTC', true), await place('DDD', 'GTC', true)];
    const [earlierPlaced, earlierAccepted] = await orderEvents(earlier);
    const rewrittenEvents = await orderEvents(rewritten);

    await db.transaction((tx) => saga().applyBatch!([earlierPlaced, rewrittenEvents[0]], tx));
    expect((await rows()).map((r: { working: boolean }) => r.working)).toEqual([false, false]);
    await db.transaction((tx) => saga().applyBatch!([earlierAccepted, ...rewrittenEvents], tx));

    expect((await rows()).map((r: { order_id: string; working: boolean }) => [r.order_id, r.working])).toEqual([[earlier, true], [rewritten, true]]);
    await db.query('truncate paper_working_orders');
  });

  it('a bar inside a batch reaches the orders accepted before it and not those after it', async () => {
    const before = await place('CCC', 'GTC', true);
    const after = await place('CCC', 'GTC', true);
    const bar = { time: '2024-03-04T14:01:00.000Z', open: '99', high: '99', low: '99', close: '99', volume: '1000' };
    await store.appendToStream(marketStreamId('CCC'), [{ id: randomUUID(), type: 'MarketBarsRecorded', data: { symbol: 'CCC', timeframe: '1m', bars: [bar], receivedAt: AT } }]);
    const [barEvent] = await store.readStream(marketStreamId('CCC'));

    await db.transaction(async (tx) => saga().applyBatch!([...(await orderEvents(before)), barEvent, ...(await orderEvents(after))], tx));

    expect(await status(before)).toBe('filled');
    expect(await status(after)).toBe('accepted');
  });
});
