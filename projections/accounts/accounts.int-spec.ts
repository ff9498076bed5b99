import { DataSource } from 'typeorm';
import type { RecordedEvent } from '#eventstore';
import { runMigrations } from '#libs/platform';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { applyInTransactions, replayBothWays } from '../orders/trading-session.fixture.js';
import { accountsProjection } from './accounts.projection.js';

let seq = 0n;
const event = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: `00000000-0000-4000-8000-${(++seq).toString().padStart(12, '0')}`, type, streamId: `account-${String(data.accountId)}`, revision: seq,
  position: { commit: seq, prepare: seq }, data, metadata: {}, createdAt: new Date(),
});
const settings = { allowShort: false, maxOrderNotional: null, maxPositionQuantity: { AAPL: '10' } };
const at = (day: number) => `2024-01-0${day}T00:00:00.000Z`;

describe('accounts projection', () => {
  let database: TestDatabase;
  let db: DataSource;
  const apply = async (...events: RecordedEvent[]) => {
    for (const e of events) await db.transaction((tx) => accountsProjection.apply(e, tx));
  };
  const account = async (id: string) => {
    const [row] = await db.query(
      `select name, settings, cash::text, updated_at,
              (select coalesce(sum(cash), 0)::text from account_reservations r where r.account_id = a.account_id) as reserved
         from accounts a where account_id = $1`, [id]);
    return row;
  };

  beforeAll(async () => {
    database = await createTestDatabase('accounts_projection');
    await runMigrations(database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('follows cash through transfers and settings changes', async () => {
    await apply(
      event('AccountOpened', { accountId: 'a1', name: 'desk', openingDeposit: '1000', settings, apiKeyHash: 'h', openedAt: at(1) }),
      event('FundsDeposited', { accountId: 'a1', transferId: 't1', amount: '500.25', cashAfter: '1500.25', at: at(2) }),
      event('FundsWithdrawn', { accountId: 'a1', transferId: 't2', amount: '200', cashAfter: '1300.25', at: at(3) }),
      event('AccountSettingsChanged', { accountId: 'a1', settings: { ...settings, allowShort: true }, at: at(4) }),
    );
    expect(await account('a1')).toEqual({
      name: 'desk', settings: { ...settings, allowShort: true }, cash: '1300.25', reserved: '0', updated_at: new Date(at(4)),
    });
  });

  it('holds cash per open order until its fills or release', async () => {
    await apply(
      event('AccountOpened', { accountId: 'a2', name: 'trader', openingDeposit: '10000', settings, apiKeyHash: 'h2', openedAt: at(1) }),
      event('OrderFundsReserved', { accountId: 'a2', orderId: 'o1', reservedCash: '1001', at: at(2) }),
      event('OrderFundsReserved', { accountId: 'a2', orderId: 'o2', reservedCash: '500', at: at(2) }),
    );
    expect(await account('a2')).toMatchObject({ cash: '10000', reserved: '1501' });
    await apply(event('FillSettled', { accountId: 'a2', orderId: 'o1', cashAfter: '9499.5', reservation: { quantity: '5', cash: '500.5' }, at: at(3) }));
    expect(await account('a2')).toMatchObject({ cash: '9499.5', reserved: '1000.5' });
    await apply(
      event('FillSettled', { accountId: 'a2', orderId: 'o1', cashAfter: '8999', reservation: { quantity: '0', cash: '0' }, at: at(4) }),
      event('OrderReservationReleased', { accountId: 'a2', orderId: 'o2', releasedCash: '500', at: at(5) }),
    );
    expect(await account('a2')).toMatchObject({ cash: '8999', reserved: '0' });
    expect(await db.query(`select count(*)::int as n from account_reservations where account_id = 'a2'`)).toEqual([{ n: 0 }]);
  });

  it('settles a fill of an order that reserved nothing without touching reservations', async () => {
    await apply(
      event('AccountOpened', { accountId: 'a3', name: 'x', openingDeposit: '50', settings, apiKeyHash: 'h3', openedAt: at(1) }),
      event('FillSettled', { accountId: 'a3', orderId: 'o9', cashAfter: '60', reservation: null, at: at(2) }),
    );
    expect(await account('a3')).toMatchObject({ cash: '60', reserved: '0' });
  });

  describe('applyBatch', () => {
    const { tables } = accountsProjection;
    const reset = () => db.query(`truncate ${tables.join(', ')}`);
    const batch = (events: RecordedEvent[]) => applyInTransactions(db, [events], accountsProjection.applyBatch!);
    const reserved = (orderId: string, reservedCash: string, accountId = 'b1') =>
      event('OrderFundsReserved', { accountId, orderId, symbol: 'AAPL', side: 'buy', quantity: '1', price: reservedCash, estimatedFee: '0', reservedCash, at: at(2) });
    const reservations = () => db.query('select account_id, order_id, cash::text from account_reservations order by account_id, order_id');

    it('holds a run of reservations in one statement, keeping an order\'s first reservation as one by one does', async () => {
      await reset();
      await apply(event('AccountOpened', { accountId: 'b1', name: 'desk', openingDeposit: '5000', settings, apiKeyHash: 'hb1', openedAt: at(1) }));
      const statements = await batch([reserved('o1', '100.50'), reserved('o2', '0'), reserved('o1', '999'), reserved('o3', '12.345', 'b2')]);
      expect(statements).toBe(1);
      expect(await reservations()).toEqual([
        { account_id: 'b1', order_id: 'o1', cash: '100.50' },
        { account_id: 'b1', order_id: 'o2', cash: '0' },
        { account_id: 'b2', order_id: 'o3', cash: '12.345' },
      ]);
    });

    it('applies a release between two runs in log order', async () => {
      await reset();
      await batch([
        reserved('o4', '10'),
        event('OrderReservationReleased', { accountId: 'b1', orderId: 'o4', reason: 'cancelled', releasedQuantity: '1', releasedCash: '10', at: at(3) }),
        reserved('o5', '20'),
      ]);
      expect(await reservations()).toEqual([{ account_id: 'b1', order_id: 'o5', cash: '20' }]);
    });

    it.each([21, 22, 23])('leaves every row as applying the events one by one does (session %i)', async (seed) => {
      const { types, handles, oneByOne, batched } = await replayBothWays(db, accountsProjection, seed);
      expect(types).toEqual(handles);
      expect(oneByOne.rows.accounts.length).toBeGreaterThan(2);
      expect(batched.rows).toEqual(oneByOne.rows);
      expect(batched.statements).toBeLessThan(oneByOne.statements);
    });
  });
});
