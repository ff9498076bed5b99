import type { Projection, RecordedEvent } from '#eventstore';
import type { FillData, OrderEvent } from '#libs/trading';
import type { EntityManager } from 'typeorm';

const statusOf: Record<Exclude<OrderEvent['type'], 'OrderPlaced'>, string> = {
  OrderAccepted: 'accepted',
  OrderRejected: 'rejected',
  OrderTriggered: 'triggered',
  OrderPartiallyFilled: 'partially_filled',
  OrderFilled: 'filled',
  OrderCancelled: 'cancelled',
  OrderExpired: 'expired',
};

export const ORDER_EVENT_TYPES = ['OrderPlaced', ...Object.keys(statusOf)] as OrderEvent['type'][];

async function recordFill(tx: EntityManager, status: string, f: FillData): Promise<void> {
  await tx.query(
    `insert into fills (fill_id, order_id, account_id, symbol, side, price, quantity, fee, liquidity, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (fill_id) do nothing`,
    [f.fillId, f.orderId, f.accountId, f.symbol, f.side, f.price, f.quantity, f.fee, f.liquidity, f.at],
  );
  await tx.query(
    'update orders set status = $2, filled_quantity = $3, average_fill_price = $4, updated_at = $5 where order_id = $1',
    [f.orderId, status, f.filledQuantity, f.averageFillPrice, f.at],
  );
}

/** Orders and fills as traders list them; every event carries what its row needs, so no event is re-read. */
export const ordersProjection: Projection = {
  name: 'orders',
  handles: ORDER_EVENT_TYPES,
  tables: ['orders', 'fills'],
  async apply(recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    const event = recorded as unknown as OrderEvent;
    switch (event.type) {
      case 'OrderPlaced': {
        const o = event.data;
        await tx.query(
          `insert into orders (order_id, account_id, client_order_id, symbol, side, type, quantity, limit_price, stop_price,
                               time_in_force, status, placed_at, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $11) on conflict (order_id) do nothing`,
          [o.orderId, o.accountId, o.clientOrderId, o.symbol, o.side, o.type, o.quantity, o.limitPrice, o.stopPrice, o.timeInForce, o.placedAt],
        );
        return;
      }
      case 'OrderPartiallyFilled':
      case 'OrderFilled':
        return recordFill(tx, statusOf[event.type], event.data);
      case 'OrderRejected':
      case 'OrderCancelled':
        await tx.query('update orders set status = $2, reason = $3, updated_at = $4 where order_id = $1', [
          event.data.orderId, statusOf[event.type], event.data.reason, event.data.at,
        ]);
        return;
      default:
        await tx.query('update orders set status = $2, updated_at = $3 where order_id = $1', [event.data.orderId, statusOf[event.type], event.data.at]);
    }
  },
};
