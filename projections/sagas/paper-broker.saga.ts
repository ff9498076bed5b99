import type { CommandHandler, Projection, RecordedEvent } from '#eventstore';
import type { Bar, MarketBarsRecorded } from '#libs/market-data';
import { executeOrder, isWorkingOrder, orderDecider, orderStreamId, type BrokerSettings, type OrderCommand, type OrderState } from '#libs/trading';
import type { EntityManager } from 'typeorm';
import { stderrLog, unlessRefused, type Log } from './tolerate.js';
import { TERMINAL, WorkingOrderChanges } from './working-orders.js';

export interface PaperBrokerDeps {
  commands: CommandHandler;
  broker: BrokerSettings;
  log?: Log;
}

/**
 * The paper venue. It keeps its own list of working orders (paper_working_orders, written in the
 * same transaction as its checkpoint), so which orders a price update reaches depends only on the
 * log order of events, never on another projection's lag: an order accepted before a bar was
 * appended sees that bar. A market order accepted while a price is already known therefore fills
 * on the NEXT update, at its open plus slippage; bars whose time is before the order was placed
 * never fill it (executeOrder ignores them), so a late backfill cannot fill an order in the past.
 * A batch writes its order events' row changes together, up to each bar, which then sees exactly
 * the orders the log put before it.
 */
export function paperBrokerSaga({ commands, broker, log = stderrLog }: PaperBrokerDeps): Projection {
  const apply = async (orderId: string, command: OrderCommand, time: string): Promise<OrderState | undefined> =>
    (await unlessRefused(log, `${command.type} ${orderId}`, () =>
      // One command of each type per order per update time: the id survives a redelivery that
      // re-plans from a state where only the first of two commands (trigger, fill) had landed.
      commands.handle(orderStreamId(orderId), orderDecider, command, { commandId: `broker:${orderId}:${command.type}:${time}` }),
    ))?.state;

  async function execute(orderId: string, symbol: string, bars: Bar[]): Promise<void> {
    let { state } = await commands.load(orderStreamId(orderId), orderDecider);
    for (const bar of bars) {
      if (!isWorkingOrder(state)) return;
      for (const command of executeOrder(state, { kind: 'bar', symbol, ...bar }, broker)) {
        state = (await apply(orderId, command, bar.time)) ?? (await commands.load(orderStreamId(orderId), orderDecider)).state;
      }
    }
  }

  async function onBars(event: RecordedEvent, tx: EntityManager): Promise<void> {
    const { symbol, bars } = event.data as MarketBarsRecorded['data'];
    const working: { order_id: string }[] = await tx.query('select order_id from paper_working_orders where symbol = $1 and working order by seq', [symbol]);
    if (!working.length) return;
    const inTimeOrder = [...bars].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    for (const { order_id } of working) await execute(order_id, symbol, inTimeOrder);
  }

  async function applyBatch(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const changes = new WorkingOrderChanges(broker.sessionEndUtc);
    for (const event of events) {
      if (event.type !== 'MarketBarsRecorded') {
        changes.note(event);
        continue;
      }
      await changes.write(tx);
      await onBars(event, tx);
    }
    await changes.write(tx);
  }

  return {
    name: 'paper-broker',
    handles: ['OrderPlaced', 'OrderAccepted', ...TERMINAL, 'MarketBarsRecorded'],
    tables: ['paper_working_orders'],
    // Fills come on price updates, not on placement: 20 ms more before a bar fills is nothing next to a bar's
    // interval, and its order events then write their working orders in a few statements a second, not hundreds.
    spaced: true,
    applyBatch,
    apply: (event, tx) => applyBatch([event], tx),
  };
}

/**
 * DAY orders on a symbol that stopped trading see no update to expire them; the worker's timer
 * calls this. The expiry is dated at the session end, so every run (and every instance) issues the
 * same command; an order that filled meanwhile refuses it, which is fine.
 */
export async function expireDueOrders(db: Pick<EntityManager, 'query'>, commands: CommandHandler, now: Date, log: Log = stderrLog): Promise<number> {
  const due: { order_id: string; expires_at: Date }[] = await db.query(
    'select order_id, expires_at from paper_working_orders where working and expires_at <= $1 order by expires_at limit 500',
    [now],
  );
  for (const { order_id, expires_at } of due) {
    const at = new Date(expires_at).toISOString();
    await unlessRefused(log, `ExpireOrder ${order_id}`, () =>
      commands.handle(orderStreamId(order_id), orderDecider, { type: 'ExpireOrder', data: { orderId: order_id, at } }, { commandId: `expire:${order_id}` }),
    );
  }
  return due.length;
}
