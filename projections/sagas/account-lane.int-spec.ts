import { CommandHandler, PostgresEventStore, type EventStore } from '#eventstore';
import {
  accountDecider, accountStreamId, buyingPower, OrderRejectedError, orderStreamId,
  type OpenAccountState, type OrderSpec, type ReserveForOrder,
} from '#libs/trading';
import { brokerSettingsFrom } from './broker-settings.js';
import { placeOrder } from './order-placement.saga.js';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { onAccount } from './account-lane.js';
import { reserveFor } from '../../libs/trading/test/reservation-order.js';

const at = '2024-03-04T14:00:00.000Z';
const settings = { allowShort: false, maxOrderNotional: null, maxPositionQuantity: {} };
const noPrice = async () => null;

describe('account lane (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const appends = { count: 0 };
  let counted: EventStore;
  beforeAll(async () => {
    database = await createTestDatabase('account_lane');
    await runMigrations(database.url);
    store = new PostgresEventStore({ connectionString: database.url });
    counted = new Proxy(store, {
      get: (target, key, receiver) => (key === 'appendToStream'
        ? (...args: Parameters<EventStore['appendToStream']>) => (appends.count++, target.appendToStream(...args))
        : Reflect.get(target, key, receiver)),
    });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  async function openAccount(commands: CommandHandler, accountId: string, deposit: string) {
    await commands.handle(accountStreamId(accountId), accountDecider, { type: 'OpenAccount', data: { accountId, name: accountId, openingDeposit: deposit, settings, apiKeyHash: 'h', at } });
    appends.count = 0;
  }
  const reserve = (accountId: string, orderId: string): ReserveForOrder =>
    reserveFor({ accountId, orderId, symbol: 'AAPL', side: 'buy', quantity: '1', price: '99', estimatedFee: '1', at });

  it('decides a burst on one account in groups: 50 reservations that 10 can afford, in a handful of appends', async () => {
    const commands = new CommandHandler(counted);
    await openAccount(commands, 'burst', '1000');
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => onAccount(commands, reserve('burst', `o${i}`), `reserve:o${i}`)));
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(accepted).toHaveLength(10);
    expect(refused.map((e) => e instanceof OrderRejectedError && e.code)).toEqual(Array(40).fill('INSUFFICIENT_BUYING_POWER'));
    for (const r of accepted) expect(buyingPower(r.value.state as OpenAccountState).isNegative()).toBe(false);
    expect(appends.count).toBeLessThanOrEqual(3);
    const stored = await store.readStream(accountStreamId('burst'));
    expect(stored.filter((e) => e.type === 'OrderFundsReserved')).toHaveLength(10);
    const { state } = await new CommandHandler(store).load(accountStreamId('burst'), accountDecider);
    expect([(state as OpenAccountState).cash, (state as OpenAccountState).reservedCash, buyingPower(state as OpenAccountState).toFixed()]).toEqual(['1000', '1000', '0']);
  });

  it('answers a command sent twice in one group once, and appends it once', async () => {
    const commands = new CommandHandler(counted);
    await openAccount(commands, 'twice', '1000');
    const [first, second, other] = await Promise.all([
      onAccount(commands, reserve('twice', 'o1'), 'reserve:o1'),
      onAccount(commands, reserve('twice', 'o1'), 'reserve:o1'),
      onAccount(commands, reserve('twice', 'o2'), 'reserve:o2'),
    ]);
    expect(second.events).toEqual(first.events);
    expect(first.events.map((e) => e.type)).toEqual(['OrderFundsReserved']);
    expect(other.events.map((e) => e.type)).toEqual(['OrderFundsReserved']);
    expect(appends.count).toBe(1);
    const stored = await store.readStream(accountStreamId('twice'));
    expect(stored.map((e) => [e.type, e.metadata.commandId])).toEqual([['AccountOpened', undefined], ['OrderFundsReserved', 'reserve:o1'], ['OrderFundsReserved', 'reserve:o2']]);
  });

  it('answers a placement this process already wrote without reading or appending again', async () => {
    const reads = { count: 0 };
    const readCounted = new Proxy(counted, {
      get: (target, key, receiver) => (key === 'readStream'
        ? (...args: Parameters<EventStore['readStream']>) => (reads.count++, target.readStream(...args))
        : Reflect.get(target, key, receiver)),
    });
    const commands = new CommandHandler(readCounted);
    await openAccount(commands, 'placing', '1000');
    const deps = { commands, clock: () => new Date(at), broker: brokerSettingsFrom() };
    const spec: OrderSpec = { orderId: 'order-peek', accountId: 'placing', clientOrderId: 'c1', symbol: 'AAPL', side: 'buy', type: 'limit',
      quantity: '1', limitPrice: '99', stopPrice: null, timeInForce: 'GTC', placedAt: at };
    expect((await placeOrder(deps, spec, noPrice)).status).toBe('accepted');
    expect(appends.count).toBe(2); // the reservation, then the order with its verdict
    reads.count = appends.count = 0;
    expect((await placeOrder(deps, spec, noPrice)).status).toBe('accepted'); // a retried request
    expect([reads.count, appends.count]).toEqual([0, 0]);
    // Another process, with nothing cached, finds the same outcome and stores nothing new.
    expect((await placeOrder({ ...deps, commands: new CommandHandler(readCounted) }, spec, noPrice)).status).toBe('accepted');
    expect((await store.readStream(orderStreamId(spec.orderId))).map((e) => e.type)).toEqual(['OrderPlaced', 'OrderAccepted']);
    expect((await store.readStream(accountStreamId('placing'))).map((e) => e.type)).toEqual(['AccountOpened', 'OrderFundsReserved']);
  });
});
