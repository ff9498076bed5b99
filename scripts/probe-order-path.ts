/**
 * Probe of the Submit Order command path (not a benchmark): orders placed as POST /orders does
 * (placeOrder: the account's reservation, then the order written with its verdict) against a real PostgresEventStore, counting store calls.
 * Usage: npm run build && node dist/scripts/probe-order-path.js [orders] [inFlight]
 */
import { randomUUID } from 'node:crypto';
import { CommandHandler, PostgresEventStore, type EventStore } from '#eventstore';
import { dropDatabase, ensureDatabase, runMigrations } from '#libs/platform';
import { accountDecider, accountStreamId, type OrderSpec } from '#libs/trading';
import { brokerSettingsFrom, placeOrder, type PlacementDeps } from '#projections/sagas';

const server = process.env.PROBE_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const orders = Number(process.argv[2] ?? 1000);
const inFlight = Number(process.argv[3] ?? 50);
const calls = { read: 0, append: 0 };

function counted(store: PostgresEventStore): EventStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'readStream') return (...args: Parameters<EventStore['readStream']>) => (calls.read++, target.readStream(...args));
      if (key === 'appendToStream') return (...args: Parameters<EventStore['appendToStream']>) => (calls.append++, target.appendToStream(...args));
      return Reflect.get(target, key, receiver);
    },
  });
}

async function openAccount(commands: CommandHandler, accountId: string): Promise<void> {
  const settings = { allowShort: false, maxOrderNotional: null, maxPositionQuantity: {} };
  await commands.handle(accountStreamId(accountId), accountDecider, {
    type: 'OpenAccount', data: { accountId, name: accountId, openingDeposit: '1000000000', settings, apiKeyHash: 'h', at: new Date().toISOString() },
  });
}

async function placeOne(deps: PlacementDeps, accountId: string): Promise<void> {
  const orderId = randomUUID();
  const order: OrderSpec = { orderId, accountId, clientOrderId: orderId, symbol: 'AAPL', side: 'buy', type: 'limit', quantity: '1',
    limitPrice: '100', stopPrice: null, timeInForce: 'GTC', placedAt: deps.clock().toISOString() };
  const state = await placeOrder(deps, order, async () => null);
  if (state.status !== 'accepted') throw new Error(`order ended ${state.status}`);
}

async function run(label: string, deps: PlacementDeps, accounts: string[]): Promise<void> {
  calls.read = calls.append = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < orders) await placeOne(deps, accounts[next++ % accounts.length]!);
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${label}: ${orders} orders, ${inFlight} in flight: ${(orders / seconds).toFixed(0)} orders/s, ` +
    `reads/order ${(calls.read / orders).toFixed(2)}, appends/order ${(calls.append / orders).toFixed(2)}`);
}

async function main(): Promise<void> {
  const name = `probe_h1_${process.pid}`;
  const url = await ensureDatabase(server, name);
  await runMigrations(url);
  const store = new PostgresEventStore({ connectionString: url });
  try {
    const commands = new CommandHandler(counted(store));
    const deps: PlacementDeps = { commands, clock: () => new Date(), broker: brokerSettingsFrom() };
    const many = Array.from({ length: 100 }, (_, i) => `probe-${i}`);
    for (const a of [...many, 'probe-one']) await openAccount(commands, a);
    await run('100 accounts', deps, many);
    await run('one account', deps, ['probe-one']);
    await run('one account, deeper book', deps, ['probe-one']);
  } finally {
    await store.close();
    await dropDatabase(server, name);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
