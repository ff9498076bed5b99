import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CommandHandler, PostgresEventStore, ProjectionRunner, type Projection } from '#eventstore';
import { marketStreamId, type Bar } from '#libs/market-data';
import { accountDecider, accountStreamId, checkPlaceOrder, DEFAULT_PAPER_BROKER_CONFIG, orderDecider, orderStreamId, type OrderState } from '#libs/trading';
import { marketBarsProjection } from '#projections/market-bars';
import { ordersProjection } from '#projections/orders';
import { portfolioProjection } from '#projections/portfolio';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { expireDueOrders, latestPriceFrom, placeOrder, tradingSagas } from './index.js';

const T0 = Date.parse('2024-03-04T14:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const bar = (minutes: number, open: string, high: string, low: string, close: string, volume = '1000'): Bar => ({ time: iso(minutes), open, high, low, close, volume });

let runners: ProjectionRunner[] = [];
async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached in time; last value ${JSON.stringify(value)} ${JSON.stringify(runners.map((r) => r.status()))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('trading sagas and read models (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let db: DataSource;
  let commands: CommandHandler;
  let sagas: Projection[];
  const now = iso(1);
  const broker = { ...DEFAULT_PAPER_BROKER_CONFIG, reserveAllowanceBps: '50', sessionEndUtc: '21:00' };

  const orderState = async (orderId: string): Promise<OrderState> => (await commands.load(orderStreamId(orderId), orderDecider)).state;
  const postBars = (symbol: string, bars: Bar[]) =>
    store.appendToStream(marketStreamId(symbol), [{ id: randomUUID(), type: 'MarketBarsRecorded', data: { symbol, timeframe: '1m', bars, receivedAt: now } }]);
  /** As POST /orders places it: the account's reservation, then the order with its verdict. */
  const place = async (accountId: string, clientOrderId: string, spec: Record<string, unknown>) => {
    const orderId = randomUUID();
    const order = checkPlaceOrder({ data: {
      orderId, accountId, clientOrderId, symbol: 'AAPL', side: 'buy', type: 'limit', quantity: '10', timeInForce: 'GTC', placedAt: now, ...spec,
    } as never });
    await placeOrder({ commands, clock: () => new Date(now), broker }, order, latestPriceFrom(db));
    return orderId;
  };

  beforeAll(async () => {
    database = await createTestDatabase('trading_sagas');
    await runMigrations(database.url);
    store = new PostgresEventStore({ connectionString: database.url, subscription: { pollMs: 20 } });
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    commands = new CommandHandler(store);
    sagas = tradingSagas({ commands, clock: () => new Date(now), broker });
    runners = [marketBarsProjection, ordersProjection, portfolioProjection, ...sagas].map((p) => new ProjectionRunner(p, store, db, { retryMs: 50 }));
    for (const runner of runners) runner.start();
    await Promise.all(runners.map((r) => r.waitUntilLive()));
    await commands.handle(accountStreamId('acc-1'), accountDecider, { type: 'OpenAccount', data: {
      accountId: 'acc-1', name: 'desk', openingDeposit: '10000', apiKeyHash: 'h', at: iso(0),
      settings: { allowShort: false, maxOrderNotional: null, maxPositionQuantity: {} },
    } });
  });
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.stop()));
    await db.destroy();
    await store.close();
    await database.drop();
  });

  it('accepts a placed order, fills it on the next bar, settles the fill and projects order, fills and portfolio', async () => {
    await postBars('AAPL', [bar(0, '100', '100', '100', '100')]);
    const orderId = await place('acc-1', 'limit-1', { limitPrice: '100' });
    expect(await until(() => orderState(orderId), (s) => s.status !== 'pending')).toMatchObject({ status: 'accepted' });

    // Opens below the limit: filled at the open as a maker, fee 10 bps of 995 = 0.995.
    await postBars('AAPL', [bar(2, '99.5', '100', '99', '99.8')]);
    const account = await until(() => commands.load(accountStreamId('acc-1'), accountDecider).then((r) => r.state), (s) => s.status === 'open' && s.fillIds.size > 0);
    expect(account).toMatchObject({ cash: '9004.005', reservedCash: '0', positions: { AAPL: { quantity: '10', costBasis: '995.995', averageCost: '99.5995', realizedPnl: '0' } } });

    const row = await until(() => db.query(`select status, filled_quantity::text as filled, average_fill_price::text as avg from orders where order_id = $1`, [orderId]), (r) => r[0]?.status === 'filled');
    expect(row).toEqual([{ status: 'filled', filled: '10', avg: '99.5' }]);
    expect(await db.query(`select fill_id, price::text, quantity::text, fee::text, liquidity from fills where order_id = $1`, [orderId]))
      .toEqual([{ fill_id: `${orderId}:${iso(2)}`, price: '99.5', quantity: '10', fee: '0.995', liquidity: 'maker' }]);

    const portfolio = await until(() => db.query(`select cash::text, trim_scale(reserved_cash)::text as reserved from portfolio_accounts where account_id = 'acc-1'`), (r) => r[0]?.cash === '9004.005');
    expect(portfolio).toEqual([{ cash: '9004.005', reserved: '0' }]);
    expect(await db.query(`select symbol, quantity::text, cost_basis::text, average_cost::text from portfolio_positions`))
      .toEqual([{ symbol: 'AAPL', quantity: '10', cost_basis: '995.995', average_cost: '99.5995' }]);
    expect(await db.query(`select symbol, price::text from portfolio_marks`)).toEqual([{ symbol: 'AAPL', price: '99.8' }]);
    // The fill at the bar's time is marked at that bar's close: 9004.005 + 10 × 99.8.
    const snapshots = await until(() => db.query(`select time, trim_scale(equity)::text as equity from portfolio_snapshots where account_id = 'acc-1' order by time`), (r) => r.length === 2);
    expect(snapshots.map((s: { equity: string }) => s.equity)).toEqual(['10000', '10002.005']);
  });

  it('rejects what the account cannot afford and releases what a cancelled order held', async () => {
    const tooBig = await place('acc-1', 'big', { limitPrice: '1000' });
    expect(await until(() => orderState(tooBig), (s) => s.status !== 'pending')).toMatchObject({ status: 'rejected', reason: 'INSUFFICIENT_BUYING_POWER' });

    const resting = await place('acc-1', 'resting', { limitPrice: '50' });
    await until(() => orderState(resting), (s) => s.status === 'accepted');
    await until(() => db.query(`select trim_scale(reserved_cash)::text as r from portfolio_accounts`), (r) => r[0].r === '500.5');
    await commands.handle(orderStreamId(resting), orderDecider, { type: 'CancelOrder', data: { orderId: resting, reason: 'requested', at: now } });
    await until(() => db.query(`select trim_scale(reserved_cash)::text as r from portfolio_accounts`), (r) => r[0].r === '0');
    const account = await commands.load(accountStreamId('acc-1'), accountDecider);
    expect(account.state).toMatchObject({ cash: '9004.005', reservedCash: '0' });
  });

  it('expires a DAY order at the session end on a quiet symbol', async () => {
    const day = await place('acc-1', 'day', { symbol: 'QUIET', limitPrice: '10', timeInForce: 'DAY' });
    await until(() => db.query(`select working from paper_working_orders where order_id = $1`, [day]), (r) => r[0]?.working === true);
    expect(await expireDueOrders(db.manager, commands, new Date('2024-03-04T20:59:00Z'))).toBe(0);
    expect(await expireDueOrders(db.manager, commands, new Date('2024-03-04T21:00:00Z'))).toBe(1);
    expect(await orderState(day)).toMatchObject({ status: 'expired' });
    await until(() => db.query(`select trim_scale(reserved_cash)::text as r from portfolio_accounts`), (r) => r[0].r === '0');
  });

  it('triggers a stop and fills it in the same bar, in that order, and finishes a half-applied bar on redelivery', async () => {
    const stop = await place('acc-1', 'stop', { symbol: 'TSLA', type: 'stop', stopPrice: '105', quantity: '2' });
    await until(() => db.query(`select working from paper_working_orders where order_id = $1`, [stop]), (r) => r[0]?.working === true);
    // The process died after the trigger of the bar at minute 5 landed but before its fill.
    const brokerSaga = sagas.find((s) => s.name === 'paper-broker')!;
    await commands.handle(orderStreamId(stop), orderDecider, { type: 'TriggerOrder', data: { orderId: stop, price: '105', at: iso(5) } }, { commandId: `broker:${stop}:TriggerOrder:${iso(5)}` });
    const appended = await postBars('TSLA', [bar(5, '104', '106', '103.5', '105.5')]);
    const [barEvent] = await store.readStream(marketStreamId('TSLA'), { fromRevision: appended.nextExpectedRevision });
    await until(() => orderState(stop), (s) => s.status === 'filled');
    await db.transaction((tx) => brokerSaga.apply(barEvent, tx));
    const types = (await store.readStream(orderStreamId(stop))).map((e) => e.type);
    expect(types).toEqual(['OrderPlaced', 'OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    // Triggered at the stop (the bar opened below it), filled there plus 5 bps slippage.
    expect(await orderState(stop)).toMatchObject({ triggerPrice: '105', averageFillPrice: '105.0525', filledQuantity: '2' });
    // 2 × 105.0525 = 210.105 plus 10 bps (0.210105) leaves the account.
    const account = await until(() => commands.load(accountStreamId('acc-1'), accountDecider).then((r) => r.state), (s) => s.status === 'open' && s.positions.TSLA !== undefined);
    expect(account).toMatchObject({ cash: '8793.689895', reservedCash: '0', positions: { TSLA: { quantity: '2', costBasis: '210.315105' } } });
  });

  it('issues nothing twice when every event is delivered to the sagas again', async () => {
    await until(() => Promise.resolve(runners.every((r) => r.status().state === 'live')), Boolean);
    const before = await db.query('select count(*)::int as n from events');
    const all = await store.readAll();
    for (const saga of sagas) {
      for (const event of all) {
        if (saga.handles === 'all' || saga.handles.includes(event.type)) await db.transaction((tx) => saga.apply(event, tx));
      }
    }
    expect(await db.query('select count(*)::int as n from events')).toEqual(before);
    expect(await commands.load(accountStreamId('acc-1'), accountDecider).then((r) => r.state)).toMatchObject({ cash: '8793.689895', reservedCash: '0' });
  });
});
