import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { RecordedEvent } from '#eventstore';
import { accountDecider, type AccountCommand, type AccountEvent, type AccountState } from '#libs/trading';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { portfolioProjection } from './portfolio.projection.js';

const recorded = (type: string, data: unknown): RecordedEvent =>
  ({ id: randomUUID(), type, data, streamId: 'x-1', revision: 0n, position: { commit: 0n, prepare: 0n }, metadata: {}, createdAt: new Date() });

describe('portfolio projection (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let state: AccountState = accountDecider.initialState;

  /** Decides with the real account decider, so the projection sees the events the product appends. */
  const run = async (command: AccountCommand) => {
    const events: AccountEvent[] = accountDecider.decide(command, state);
    state = events.reduce(accountDecider.evolve, state);
    await db.transaction(async (tx) => {
      for (const event of events) await portfolioProjection.apply(recorded(event.type, event.data), tx);
    });
  };
  const bars = (symbol: string, ...closes: [string, string][]) =>
    db.transaction((tx) => portfolioProjection.apply(recorded('MarketBarsRecorded', {
      symbol, timeframe: '1m', receivedAt: '', bars: closes.map(([time, close]) => ({ time, open: close, high: close, low: close, close, volume: '1' })),
    }), tx));
  const account = () => db.query(`select trim_scale(cash)::text as cash, trim_scale(reserved_cash)::text as reserved, trim_scale(net_deposits)::text as deposits from portfolio_accounts`);
  const history = () => db.query(`select time, trim_scale(equity)::text as equity from portfolio_snapshots order by time`)
    .then((rows: { time: Date; equity: string }[]) => rows.map((r) => [r.time.toISOString(), r.equity]));

  beforeAll(async () => {
    database = await createTestDatabase('portfolio_projection');
    await runMigrations(database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('follows cash, reservations, positions and equity through deposits, fills, releases and prices', async () => {
    const settings = { allowShort: false, maxOrderNotional: null, maxPositionQuantity: {} };
    await run({ type: 'OpenAccount', data: { accountId: 'a', name: 'desk', openingDeposit: '0', settings, apiKeyHash: 'h', at: '2024-01-02T09:00:00.000Z' } });
    await run({ type: 'DepositFunds', data: { accountId: 'a', transferId: 't1', amount: '10000', at: '2024-01-02T09:01:00.000Z' } });
    expect(await account()).toEqual([{ cash: '10000', reserved: '0', deposits: '10000' }]);

    await run({ type: 'ReserveForOrder', data: { accountId: 'a', orderId: 'o1', symbol: 'AAPL', side: 'buy', quantity: '10', price: '100', estimatedFee: '1', at: '2024-01-02T09:02:00.000Z' } });
    expect(await account()).toEqual([{ cash: '10000', reserved: '1001', deposits: '10000' }]);

    // A partial fill at 99 shrinks the reservation pro rata (6 of 10 left: 600.6).
    await run({ type: 'SettleFill', data: { accountId: 'a', orderId: 'o1', fillId: 'f1', symbol: 'AAPL', side: 'buy', quantity: '4', price: '99', fee: '0.4', at: '2024-01-02T09:03:00.000Z' } });
    expect(await account()).toEqual([{ cash: '9603.6', reserved: '600.6', deposits: '10000' }]);
    expect(await db.query(`select symbol, trim_scale(quantity)::text as q, trim_scale(cost_basis)::text as basis, trim_scale(average_cost)::text as avg from portfolio_positions`))
      .toEqual([{ symbol: 'AAPL', q: '4', basis: '396.4', avg: '99.1' }]);

    await run({ type: 'ReleaseReservation', data: { accountId: 'a', orderId: 'o1', reason: 'cancelled', at: '2024-01-02T09:04:00.000Z' } });
    expect(await account()).toEqual([{ cash: '9603.6', reserved: '0', deposits: '10000' }]);
    expect(await db.query('select count(*)::int as n from portfolio_reservations')).toEqual([{ n: 0 }]);

    await bars('AAPL', ['2024-01-02T09:05:00.000Z', '101'], ['2024-01-02T09:06:00.000Z', '102.5']);
    // A backfill older than the last snapshot marks nothing in history (old prices, today's holdings).
    await bars('AAPL', ['2024-01-01T15:00:00.000Z', '50']);
    await run({ type: 'WithdrawFunds', data: { accountId: 'a', transferId: 't2', amount: '100', at: '2024-01-02T09:07:00.000Z' } });
    expect(await db.query(`select symbol, trim_scale(price)::text as price from portfolio_marks`)).toEqual([{ symbol: 'AAPL', price: '102.5' }]);
    expect(await history()).toEqual([
      ['2024-01-02T09:00:00.000Z', '0'],
      ['2024-01-02T09:01:00.000Z', '10000'],
      ['2024-01-02T09:03:00.000Z', '10000'], // no price seen yet: the position counts at cost, 9603.6 + 396.4
      ['2024-01-02T09:05:00.000Z', '10007.6'], // 9603.6 + 4 × 101
      ['2024-01-02T09:06:00.000Z', '10013.6'],
      ['2024-01-02T09:07:00.000Z', '9913.6'], // after withdrawing 100, marked at 102.5
    ]);
  });
});
