import type { AccountCommand, ReleaseReason } from './account.events.js';
import type { OrderEvent } from './order.events.js';

const releaseReasons: Partial<Record<OrderEvent['type'], ReleaseReason>> = {
  OrderCancelled: 'cancelled',
  OrderExpired: 'expired',
  OrderRejected: 'rejected',
};

/**
 * What an order's lifecycle asks of its account: every fill is settled (its fillId makes a
 * redelivery a no-op), and an order that can no longer fill gives back what it still holds
 * (releasing twice finds nothing held the second time). A filled order needs no release: its
 * last settlement empties the reservation.
 */
export function settlementCommands(event: OrderEvent): AccountCommand[] {
  if (event.type === 'OrderPartiallyFilled' || event.type === 'OrderFilled') {
    const { accountId, orderId, fillId, symbol, side, quantity, price, fee, at } = event.data;
    return [{ type: 'SettleFill', data: { accountId, orderId, fillId, symbol, side, quantity, price, fee, at } }];
  }
  const reason = releaseReasons[event.type];
  if (reason === undefined) return [];
  const { accountId, orderId, at } = event.data as { accountId: string; orderId: string; at: string };
  return [{ type: 'ReleaseReservation', data: { accountId, orderId, reason, at } }];
}
