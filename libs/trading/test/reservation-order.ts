import type { ReserveForOrder } from '../src/account.events.js';
import type { OrderSpec } from '../src/order.events.js';

/** The limit order a test reservation is for: a reservation always carries the order it holds cash for. */
export const orderReserved = (r: Pick<ReserveForOrder['data'], 'accountId' | 'orderId' | 'symbol' | 'side' | 'quantity' | 'price' | 'at'>): OrderSpec => ({
  orderId: r.orderId, accountId: r.accountId, clientOrderId: r.orderId, symbol: r.symbol, side: r.side, type: 'limit',
  quantity: r.quantity, limitPrice: r.price, stopPrice: null, timeInForce: 'GTC', placedAt: r.at,
});

/** ReserveForOrder as the placement path sends it, with its order. */
export const reserveFor = (data: Omit<ReserveForOrder['data'], 'order'>): ReserveForOrder => ({ type: 'ReserveForOrder', data: { ...data, order: orderReserved(data) } });
