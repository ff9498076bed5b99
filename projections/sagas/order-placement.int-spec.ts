import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CommandHandler, PostgresEventStore, StreamNotFoundError } from '#eventstore';
import {
  accountDecider, accountStreamId, orderStreamId, reservationRequest, type OpenAccountState, type OrderSpec,
} from '#libs/trading';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { onAccount } from './account-lane.js';
import { brokerSettingsFrom } from './broker-settings.js';
import { orderPlacementSaga, placeOrder } from './order-placement.saga.js';

const at = '2024-03-04T14:00:00.000Z';
const settings = { allowShort: false, maxOrderNotional: null, maxPositionQuantity: {} };
const broker = brokerSettingsFrom();
const noPrice = async () => null;
const clock = () => new Date(at);

describe('order placement (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let db: DataSource;
  /** A process of its own: its own command cache and placements in flight, as after a restart or on another instance. */
  const process = () => ({ commands: new CommandHandler(store), clock, broker });
  const types = async (streamId: string) => (await store.readStream(streamId).catch((error) => {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  })).map((e) => e.type);
  const account = async (accountId: string) => (await new CommandHandler(store).load(accountStreamId(accountId), accountDecider)).state as OpenAccountState;
  const limitBuy = (accountId: string, orderId: string, quantity: string, limitPrice = '100'): OrderSpec => ({
    orderId, accountId, clientOrderId: orderId, symbol: 'AAPL', side: 'buy', type: 'limit', quantity, limitPrice, stopPrice: null, timeInForce: 'GTC', placedAt: at,
  });
  const openAccount = (accountId: string, deposit: string) => new CommandHandler(store).handle(accountStreamId(accountId), accountDecider, {
    type: 'OpenAccount', data: { accountId, name: accountId, openingDeposit: deposit, settings, apiKeyHash: 'h', at },
  });

  beforeAll(async () => {
    database = await createTestDatabase('order_placement');
    await runMigrations(database.url);
    store = new PostgresEventStore({ connectionString: database.url });
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await store.close();
    await database.drop();
  });

  it('reserves, then writes the order accepted in one append', async () => {
    await openAccount('acc-ok', '10000');
    const state = await placeOrder(process(), limitBuy('acc-ok', 'ok-1', '10'), noPrice);
    expect(state).toMatchObject({ status: 'accepted', order: { quantity: '10', limitPrice: '100' } });
    expect(await types(orderStreamId('ok-1'))).toEqual(['OrderPlaced', 'OrderAccepted']);
    // 10 × 100 plus the fee estimate at 10 bps: 1,001.
    expect(await account('acc-ok')).toMatchObject({ reservedCash: '1001' });
  });

  it('writes a refused order rejected with its reason, holding no cash', async () => {
    await openAccount('acc-poor', '100');
    expect(await placeOrder(process(), limitBuy('acc-poor', 'poor-1', '10'), noPrice)).toMatchObject({ status: 'rejected', reason: 'INSUFFICIENT_BUYING_POWER' });
    const market: OrderSpec = { ...limitBuy('acc-poor', 'poor-2', '1'), type: 'market', limitPrice: null };
    expect(await placeOrder(process(), market, noPrice)).toMatchObject({ status: 'rejected', reason: 'NO_MARKET_PRICE' });
    expect(await types(orderStreamId('poor-1'))).toEqual(['OrderPlaced', 'OrderRejected']);
    expect(await types(accountStreamId('acc-poor'))).toEqual(['AccountOpened']);
  });

  it('writes the order of a reservation whose process died before writing it, once', async () => {
    await openAccount('acc-crash', '10000');
    const order = limitBuy('acc-crash', 'crash-1', '3', '50');
    const request = reservationRequest(order, null, broker, at);
    if (!('command' in request)) throw new Error('expected a reservation');
    await onAccount(process().commands, request.command, `reserve:${order.orderId}`); // ...and the process dies here
    expect(await types(orderStreamId(order.orderId))).toEqual([]);

    const reserved = (await store.readStream(accountStreamId('acc-crash'))).filter((e) => e.type === 'OrderFundsReserved');
    const saga = orderPlacementSaga(process());
    await db.transaction((tx) => saga.applyBatch!(reserved, tx));
    await db.transaction((tx) => saga.applyBatch!(reserved, tx)); // redelivered
    const written = await store.readStream(orderStreamId(order.orderId));
    expect(written.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderAccepted']);
    expect(written[0].data).toEqual(order);
  });

  it('passes over a reservation recorded before reservations carried their order', async () => {
    const { nextExpectedRevision } = await store.appendToStream(accountStreamId('acc-legacy'), [{ id: randomUUID(), type: 'OrderFundsReserved', data: {
      accountId: 'acc-legacy', orderId: 'legacy-1', symbol: 'AAPL', side: 'buy', quantity: '1', price: '10', estimatedFee: '0', reservedCash: '10', at,
    } }]);
    const recorded = await store.readStream(accountStreamId('acc-legacy'), { fromRevision: nextExpectedRevision });
    await db.transaction((tx) => orderPlacementSaga(process()).applyBatch!(recorded, tx));
    expect(await types(orderStreamId('legacy-1'))).toEqual([]);
  });

  it('gives back the cash a retry reserved for an order already written rejected; the rejection stands', async () => {
    await openAccount('acc-retry', '100');
    const order = limitBuy('acc-retry', 'retry-1', '10');
    expect(await placeOrder(process(), order, noPrice)).toMatchObject({ status: 'rejected' });
    await new CommandHandler(store).handle(accountStreamId('acc-retry'), accountDecider, { type: 'DepositFunds', data: { accountId: 'acc-retry', transferId: 't1', amount: '5000', at } });

    expect(await placeOrder(process(), order, noPrice)).toMatchObject({ status: 'rejected', reason: 'INSUFFICIENT_BUYING_POWER' });
    expect(await types(accountStreamId('acc-retry'))).toEqual(['AccountOpened', 'FundsDeposited', 'OrderFundsReserved', 'OrderReservationReleased']);
    expect(await account('acc-retry')).toMatchObject({ cash: '5100', reservedCash: '0' });
    expect(await types(orderStreamId(order.orderId))).toEqual(['OrderPlaced', 'OrderRejected']);
  });

  it('makes one order of concurrent duplicates with different terms, written with the terms its cash covers', async () => {
    await openAccount('acc-dup', '100000');
    for (let round = 0; round < 5; round++) {
      const orderId = `dup-${round}`;
      const outcomes = await Promise.all([
        placeOrder(process(), limitBuy('acc-dup', orderId, '1'), noPrice),
        placeOrder(process(), limitBuy('acc-dup', orderId, '50'), noPrice),
      ]);
      const written = await store.readStream(orderStreamId(orderId));
      expect(written.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderAccepted']);
      const reservations = (await store.readStream(accountStreamId('acc-dup'))).filter((e) => e.type === 'OrderFundsReserved' && (e.data as { orderId: string }).orderId === orderId);
      expect(reservations).toHaveLength(1);
      const { quantity } = written[0].data as OrderSpec;
      expect((reservations[0].data as { quantity: string }).quantity).toBe(quantity);
      for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 'accepted', order: { quantity } });
    }
    // The first request reserved for 1 and stalls; a duplicate asking for 50 finds that reservation and writes its terms.
    const first = limitBuy('acc-dup', 'dup-stalled', '1');
    const request = reservationRequest(first, null, broker, at);
    if (!('command' in request)) throw new Error('expected a reservation');
    await onAccount(process().commands, request.command, `reserve:${first.orderId}`);
    expect(await placeOrder(process(), limitBuy('acc-dup', 'dup-stalled', '50'), noPrice)).toMatchObject({ status: 'accepted', order: { quantity: '1' } });
  });
});
