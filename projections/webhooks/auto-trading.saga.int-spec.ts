import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CommandHandler, PostgresEventStore, type RecordedEvent } from '#eventstore';
import { signalStreamId } from '#libs/signals';
import { accountDecider, accountStreamId, DEFAULT_PAPER_BROKER_CONFIG } from '#libs/trading';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { autoTradingSaga, clientOrderIdFor, orderIdFor } from './auto-trading.saga.js';

const AT = '2024-03-04T14:00:00.000Z';
const broker = { ...DEFAULT_PAPER_BROKER_CONFIG, reserveAllowanceBps: '50' };

describe('auto-trading saga batches (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let db: DataSource;
  let commands: CommandHandler;

  const record = async (accountId: string, alert: string): Promise<string> => {
    const signalId = `${alert}-${randomUUID()}`;
    await store.appendToStream(signalStreamId(signalId), [{ id: randomUUID(), type: 'SignalRecorded', data: {
      signalId, accountId, symbol: 'AAPL', side: 'buy', strategy: 's', strength: '1', price: '100', time: AT, source: 'webhook', receivedAt: AT,
      metadata: { webhookId: `wh-${accountId}`, order: { sizing: { mode: 'fixed_quantity', quantity: '1' }, type: 'limit', timeInForce: 'GTC', limitPrice: '100' } },
    } }]);
    return signalId;
  };
  const signalEvents = async (ids: string[]): Promise<RecordedEvent[]> =>
    (await store.readAll({ filter: { eventTypes: ['SignalRecorded'] } })).filter((e) => ids.includes((e.data as { signalId: string }).signalId));
  const reservedInLogOrder = async (accountId: string): Promise<string[]> =>
    (await db.query(`select data->>'orderId' as id from events where type = 'OrderFundsReserved' and stream_id = $1 order by revision`, [accountStreamId(accountId)]))
      .map((r: { id: string }) => r.id);
  const reservationAppends = async (accountId: string): Promise<number> =>
    (await db.query(`select count(distinct tx_id)::int as n from events where type = 'OrderFundsReserved' and stream_id = $1`, [accountStreamId(accountId)]))[0].n;

  beforeAll(async () => {
    database = await createTestDatabase('auto_trading');
    await runMigrations(database.url);
    store = new PostgresEventStore({ connectionString: database.url });
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    commands = new CommandHandler(store);
    for (const accountId of ['acc-a', 'acc-b']) {
      await commands.handle(accountStreamId(accountId), accountDecider, { type: 'OpenAccount', data: {
        accountId, name: accountId, openingDeposit: '100000', apiKeyHash: 'h', at: AT, settings: { allowShort: false, maxOrderNotional: null, maxPositionQuantity: {} },
      } });
    }
  });
  afterAll(async () => {
    await db.destroy();
    await store.close();
    await database.drop();
  });

  it("acts on two accounts' signals at once, places one account's run together, reserves it in signal order, and records the batch in one insert", async () => {
    const a = [await record('acc-a', 'a1'), await record('acc-a', 'a2'), await record('acc-a', 'a3')];
    const b = await record('acc-b', 'b1');
    const steps: string[] = [];
    let bStarted!: () => void;
    const bHasStarted = new Promise<void>((resolve) => (bStarted = resolve));
    // The same handler, noting when each placement starts and ends; a1 waits until b1 has started,
    // which only happens if acc-b is served while acc-a's first signal is still in hand. a3's
    // placement is held back longest, so the order placements finish in is not the signals' order.
    const observed = Object.create(commands) as CommandHandler;
    observed.handle = (async (streamId: string, decider: never, command: { type: string; data: { clientOrderId?: string } }, options: never) => {
      if (command.type !== 'PlaceOrder') return commands.handle(streamId, decider, command as never, options);
      const signal = command.data.clientOrderId!.replace(/^wh-/, '').slice(0, 2);
      steps.push(`start ${signal}`);
      if (signal === 'b1') bStarted();
      if (signal === 'a1') await Promise.race([bHasStarted, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      if (signal === 'a2') await new Promise((resolve) => setTimeout(resolve, 50));
      const result = await commands.handle(streamId, decider, command as never, options);
      steps.push(`end ${signal}`);
      return result;
    }) as CommandHandler['handle'];
    const saga = autoTradingSaga({ commands: observed, clock: () => new Date('2024-03-04T14:00:00.250Z'), broker });

    await db.transaction(async (tx) => saga.applyBatch!(await signalEvents([...a, b]), tx));

    expect(steps.indexOf('start b1')).toBeLessThan(steps.indexOf('end a1'));
    // acc-a's fixed-quantity signals are one run: all three placed before any placement returns ...
    const firstEnd = steps.findIndex((step) => step.startsWith('end'));
    expect(['start a1', 'start a2', 'start a3'].map((step) => steps.indexOf(step)).every((i) => i >= 0 && i < firstEnd)).toBe(true);
    expect(steps.indexOf('end a2')).toBeGreaterThan(steps.indexOf('end a3'));
    // ... and their risk checks queued in signal order, decided and appended together.
    expect(await reservedInLogOrder('acc-a')).toEqual(a.map((id) => orderIdFor('acc-a', id)));
    expect(await reservationAppends('acc-a')).toBe(1);
    const rows = await db.query(`select signal_id, outcome, latency_ms, xmin::text as tx, cmin::text as statement from webhook_signals order by account_id, signal_id`);
    expect(rows.map((r: { signal_id: string; outcome: string; latency_ms: number }) => [r.signal_id, r.outcome, r.latency_ms])).toEqual([...a, b].map((id) => [id, 'ordered', 250]));
    expect(new Set(rows.map((r: { tx: string; statement: string }) => `${r.tx}/${r.statement}`)).size).toBe(1);
  });

  it('a batch redelivered after its transaction was lost places no order twice and writes each row once', async () => {
    const ids = [await record('acc-a', 'c1'), await record('acc-b', 'c2'), await record('acc-a', 'c3')];
    const events = await signalEvents(ids);
    const saga = autoTradingSaga({ commands, clock: () => new Date('2024-03-04T14:00:01.000Z'), broker });
    // The orders are placed, then the process dies before the rows and the checkpoint commit.
    await expect(db.transaction(async (tx) => {
      await saga.applyBatch!(events, tx);
      throw new Error('killed before commit');
    })).rejects.toThrow('killed before commit');
    expect(await db.query('select count(*)::int as n from webhook_signals where signal_id = any($1)', [ids])).toEqual([{ n: 0 }]);

    await db.transaction(async (tx) => saga.applyBatch!(events, tx));
    await db.transaction(async (tx) => saga.applyBatch!(events, tx));
    const placed = await db.query(`select data->>'clientOrderId' as id, count(*)::int as n from events where type = 'OrderPlaced' and data->>'clientOrderId' = any($1) group by 1 order by 1`,
      [ids.map(clientOrderIdFor)]);
    expect(placed).toEqual(ids.map(clientOrderIdFor).sort().map((id) => ({ id, n: 1 })));
    expect(await db.query('select outcome, count(*)::int as n from webhook_signals where signal_id = any($1) group by 1', [ids])).toEqual([{ outcome: 'ordered', n: 3 }]);
  });
});
