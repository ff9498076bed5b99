import type { ReserveForOrder, Side } from '../src/account.events.js';
import type { OrderSpec } from '../src/order.events.js';

/** A test reservation in flat terms: the order it holds cash for is a limit order at `price`. */
export interface FlatReservation {
  accountId: string;
  orderId: string;
  symbol: string;
  side: Side;
  quantity: string;
  price: string;
  estimatedFee: string;
  at: string;
}

export const orderReserved = (r: Omit<FlatReservation, 'estimatedFee'>): OrderSpec => ({
  orderId: r.orderId, accountId: r.accountId, clientOrderId: r.orderId, symbol: r.symbol, side: r.side, type: 'limit',
  quantity: r.quantity, limitPrice: r.price, stopPrice: null, timeInForce: 'GTC', placedAt: r.at,
});

/** ReserveForOrder as the placement path sends it, with its order. */
export const reserveFor = (r: FlatReservation): ReserveForOrder =>
  ({ type: 'ReserveForOrder', data: { accountId: r.accountId, order: orderReserved(r), price: r.price, estimatedFee: r.estimatedFee, at: r.at } });
