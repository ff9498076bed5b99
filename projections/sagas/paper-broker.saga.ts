import type { CommandHandler, Projection, RecordedEvent } from '#eventstore';
import type { Bar, MarketBarsRecorded } from '#libs/market-data';
import {
  executeOrder, isWorkingOrder, orderDecider, orderStreamId, sessionEnd,
  type BrokerSettings, type OrderCommand, type OrderSpec, type OrderState,
} from '#libs/trading';
import type { EntityManager } from 'typeorm';
import { stderrLog, unlessRefused, type Log } from './tolerate.js';

export interface PaperBrokerDeps {
  commands: CommandHandler;
  broker: BrokerSettings;
  log?: Log;
}

const TERMINAL = ['OrderRejected', 'OrderFilled', 'OrderCancelled', 'OrderExpired'];

/**
 * The paper venue. It keeps its own list of working orders (paper_working_orders, written in the
 * same transaction as its checkpoint), so which orders a price update reaches depends only on the
 * log order of events, never on another projection's lag: an order accepted before a bar was
 * appended sees that bar. A market order accepted while a price is already known therefore fills
 * on the NEXT update, at its open plus slippage; bars whose time is before the order was placed
 * never fill it (executeOrder ignores them), so a late backfill cannot fill an order in the past.
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

  return {
    name: 'paper-broker',
    handles: ['OrderPlaced', 'OrderAccepted', ...TERMINAL, 'MarketBarsRecorded'],
    tables: ['paper_working_orders'],
    async apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
      if (event.type === 'OrderPlaced') {
        const order = event.data as OrderSpec;
        const expiresAt = order.timeInForce === 'DAY' ? sessionEnd(order.placedAt, broker.sessionEndUtc) : null;
        await tx.query('insert into paper_working_orders (order_id, symbol, expires_at) values ($1, $2, $3) on conflict do nothing', [order.orderId, order.symbol, expiresAt]);
      } else if (event.type === 'OrderAccepted') {
        await tx.query('update paper_working_orders set working = true where order_id = $1', [(event.data as { orderId: string }).orderId]);
      } else if (TERMINAL.includes(event.type)) {
        await tx.query('delete from paper_working_orders where order_id = $1', [(event.data as { orderId: string }).orderId]);
      } else if (event.type === 'MarketBarsRecorded') {
        const { symbol, bars } = event.data as MarketBarsRecorded['data'];
        const working: { order_id: string }[] = await tx.query('select order_id from paper_working_orders where symbol = $1 and working order by seq', [symbol]);
        if (!working.length) return;
        const inTimeOrder = [...bars].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
        for (const { order_id } of working) await execute(order_id, symbol, inTimeOrder);
      }
    },
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
