import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { RecordedEvent } from '#eventstore';
import { accountDecider, type AccountCommand, type AccountEvent, type AccountState } from '#libs/trading';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { reserveFor } from '../../libs/trading/test/reservation-order.js';
import { applyInTransactions, replayBothWays } from '../orders/trading-session.fixture.js';
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

    await run(reserveFor({ accountId: 'a', orderId: 'o1', symbol: 'AAPL', side: 'buy', quantity: '10', price: '100', estimatedFee: '1', at: '2024-01-02T09:02:00.000Z' }));
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

  describe('applyBatch', () => {
    const { tables } = portfolioProjection;
    const reset = () => db.query(`truncate ${tables.join(', ')}`);
    const batch = (events: RecordedEvent[]) => applyInTransactions(db, [events], portfolioProjection.applyBatch!);
    const opened = (accountId: string, openingDeposit: string) =>
      recorded('AccountOpened', { accountId, name: accountId, openingDeposit, settings: {}, apiKeyHash: accountId, openedAt: '2024-01-03T09:00:00.000Z' });
    const reserved = (accountId: string, orderId: string, reservedCash: string) =>
      recorded('OrderFundsReserved', { accountId, orderId, symbol: 'AAPL', side: 'buy', quantity: '1', price: reservedCash, estimatedFee: '0', reservedCash, at: '2024-01-03T09:01:00.000Z' });
    const accounts = () => db.query('select account_id, cash::text, reserved_cash::text from portfolio_accounts order by account_id');

    it('holds a run of reservations in one statement and moves each account\'s total by their exact sum', async () => {
      await reset();
      await batch([opened('b1', '1000'), opened('b2', '500')]);
      const statements = await batch([reserved('b1', 'o1', '100.10'), reserved('b2', 'o2', '0.005'), reserved('b1', 'o3', '0.2'), reserved('b1', 'o4', '0')]);
      expect(statements).toBe(1);
      expect(await accounts()).toEqual([
        { account_id: 'b1', cash: '1000', reserved_cash: '100.30' },
        { account_id: 'b2', cash: '500', reserved_cash: '0.005' },
      ]);
      expect(await db.query('select account_id, order_id, cash::text from portfolio_reservations order by account_id, order_id')).toEqual([
        { account_id: 'b1', order_id: 'o1', cash: '100.10' },
        { account_id: 'b1', order_id: 'o3', cash: '0.2' },
        { account_id: 'b1', order_id: 'o4', cash: '0' },
        { account_id: 'b2', order_id: 'o2', cash: '0.005' },
      ]);
    });

    it('fails the whole batch on a second reservation of an order, as one by one does', async () => {
      await reset();
      await batch([opened('b3', '1000')]);
      await expect(batch([reserved('b3', 'o5', '10'), reserved('b3', 'o5', '10')])).rejects.toThrow(/duplicate key/);
      expect(await accounts()).toEqual([{ account_id: 'b3', cash: '1000', reserved_cash: '0' }]);
      expect(await db.query('select count(*)::int as n from portfolio_reservations')).toEqual([{ n: 0 }]);
    });

    it.each([31, 32, 33])('leaves every row as applying the events one by one does (session %i)', async (seed) => {
      const { types, handles, oneByOne, batched } = await replayBothWays(db, portfolioProjection, seed);
      expect(types).toEqual(handles);
      expect(oneByOne.rows.portfolio_snapshots.length).toBeGreaterThan(50);
      expect(batched.rows).toEqual(oneByOne.rows);
      expect(batched.statements).toBeLessThan(oneByOne.statements);
    });
  });
});
