import type { OrderState } from '#libs/trading';

export interface OrderView {
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: string;
  type: string;
  quantity: string;
  limitPrice: string | null;
  stopPrice: string | null;
  timeInForce: string;
  status: string;
  filledQuantity: string;
  averageFillPrice: string | null;
  reason: string | null;
  placedAt: string;
}

export interface FillView {
  fillId: string;
  orderId: string;
  symbol: string;
  side: string;
  price: string;
  quantity: string;
  fee: string;
  liquidity: string;
  at: string;
}

/** Columns as the views name them; numerics as text so no value passes through a float. */
export const ORDER_COLUMNS = `seq::text as seq, order_id as "orderId", client_order_id as "clientOrderId", symbol, side, type,
  quantity::text as quantity, limit_price::text as "limitPrice", stop_price::text as "stopPrice", time_in_force as "timeInForce",
  status, filled_quantity::text as "filledQuantity", average_fill_price::text as "averageFillPrice", reason, placed_at as "placedAt"`;

export const FILL_COLUMNS = `seq::text as seq, fill_id as "fillId", order_id as "orderId", symbol, side, price::text as price,
  quantity::text as quantity, fee::text as fee, liquidity, at`;

type Row<T> = Omit<T, 'placedAt' | 'at'> & { seq: string; placedAt?: Date; at?: Date };

export const orderFromRow = ({ seq: _seq, placedAt, ...row }: Row<OrderView>): OrderView => ({ ...row, placedAt: placedAt!.toISOString() });
export const fillFromRow = ({ seq: _seq, at, ...row }: Row<FillView>): FillView => ({ ...row, at: at!.toISOString() });

/** The write side's view of an order, for answers given before the read model has caught up. */
export function orderFromState(state: Exclude<OrderState, { status: 'none' }>): OrderView {
  const { order } = state;
  return {
    orderId: order.orderId, clientOrderId: order.clientOrderId, symbol: order.symbol, side: order.side, type: order.type,
    quantity: order.quantity, limitPrice: order.limitPrice, stopPrice: order.stopPrice, timeInForce: order.timeInForce,
    status: state.status, filledQuantity: state.filledQuantity, averageFillPrice: state.averageFillPrice,
    reason: 'reason' in state ? state.reason : null, placedAt: order.placedAt,
  };
}

/** Newest first; one extra row tells whether another page exists. */
export function page<R extends { seq: string }, V>(rows: R[], limit: number, view: (row: R) => V): { items: V[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { items: shown.map(view), nextCursor: more ? shown[shown.length - 1].seq : null };
}
