import type { DomainEvent } from '#eventstore';
import type { Side } from './side.js';

export const orderStreamId = (orderId: string): string => `order-${orderId}`;

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const TIMES_IN_FORCE = ['GTC', 'IOC', 'DAY'] as const;
export type TimeInForce = (typeof TIMES_IN_FORCE)[number];
export type Liquidity = 'maker' | 'taker';

/** What the trader asked for, as placed; limitPrice and stopPrice are null when the type has none. */
export interface OrderSpec {
  orderId: string;
  accountId: string;
  clientOrderId: string;
  symbol: string;
  side: Side;
  type: OrderType;
  quantity: string;
  limitPrice: string | null;
  stopPrice: string | null;
  timeInForce: TimeInForce;
  placedAt: string;
}

// ---- commands ----

/**
 * The account's risk check, taken before the order is written: the order is placed together with
 * its verdict. reason is a machine-readable code, usually an OrderRejectionReason.
 */
export type RiskVerdict = { outcome: 'accepted'; at: string } | { outcome: 'rejected'; reason: string; message?: string; at: string };

export interface PlaceOrder {
  type: 'PlaceOrder';
  data: Omit<OrderSpec, 'limitPrice' | 'stopPrice'> & { limitPrice?: string | null; stopPrice?: string | null; verdict: RiskVerdict };
}
export interface TriggerOrder { type: 'TriggerOrder'; data: { orderId: string; price: string; at: string } }
export interface FillOrder {
  type: 'FillOrder';
  data: { orderId: string; fillId: string; price: string; quantity: string; fee: string; liquidity: Liquidity; at: string };
}
export interface CancelOrder { type: 'CancelOrder'; data: { orderId: string; reason: string; at: string } }
export interface ExpireOrder { type: 'ExpireOrder'; data: { orderId: string; at: string } }

export type OrderCommand = PlaceOrder | TriggerOrder | FillOrder | CancelOrder | ExpireOrder;

// ---- events ----

/** Both fill events carry the running totals, so a read model never re-aggregates fills. */
export interface FillData {
  orderId: string;
  accountId: string;
  symbol: string;
  side: Side;
  fillId: string;
  price: string;
  quantity: string;
  fee: string;
  liquidity: Liquidity;
  filledQuantity: string;
  remainingQuantity: string;
  averageFillPrice: string;
  at: string;
}

export type OrderPlaced = DomainEvent<'OrderPlaced', OrderSpec>;
export type OrderAccepted = DomainEvent<'OrderAccepted', { orderId: string; accountId: string; at: string }>;
export type OrderRejected = DomainEvent<'OrderRejected', { orderId: string; accountId: string; reason: string; message: string; at: string }>;
export type OrderTriggered = DomainEvent<'OrderTriggered', { orderId: string; accountId: string; price: string; at: string }>;
export type OrderPartiallyFilled = DomainEvent<'OrderPartiallyFilled', FillData>;
export type OrderFilled = DomainEvent<'OrderFilled', FillData>;
export type OrderCancelled = DomainEvent<'OrderCancelled', {
  orderId: string; accountId: string; reason: string; filledQuantity: string; remainingQuantity: string; at: string;
}>;
export type OrderExpired = DomainEvent<'OrderExpired', { orderId: string; accountId: string; filledQuantity: string; remainingQuantity: string; at: string }>;

export type OrderEvent =
  | OrderPlaced
  | OrderAccepted
  | OrderRejected
  | OrderTriggered
  | OrderPartiallyFilled
  | OrderFilled
  | OrderCancelled
  | OrderExpired;

// ---- state ----

/** Progress of a placed order. fillIds make FillOrder idempotent; lastFillAt lets the broker ignore stale prices. */
export interface OrderProgress {
  order: OrderSpec;
  filledQuantity: string;
  filledNotional: string;
  averageFillPrice: string | null;
  fillIds: string[];
  lastFillAt: string | null;
  triggeredAt: string | null;
  triggerPrice: string | null;
}

/**
 * pending: placed, its verdict not yet folded (OrderPlaced is always appended together with
 * OrderAccepted or OrderRejected, so no stored order stays pending). accepted: working. triggered: a stop
 * whose price was reached, now working as market or limit. The last four are terminal.
 */
export type OrderState =
  | { status: 'none' }
  | ({ status: 'pending' } & OrderProgress)
  | ({ status: 'accepted' } & OrderProgress)
  | ({ status: 'triggered' } & OrderProgress)
  | ({ status: 'partially_filled' } & OrderProgress)
  | ({ status: 'filled' } & OrderProgress)
  | ({ status: 'cancelled'; reason: string } & OrderProgress)
  | ({ status: 'rejected'; reason: string } & OrderProgress)
  | ({ status: 'expired' } & OrderProgress);

export type OrderStatus = OrderState['status'];
export type WorkingOrderState = Extract<OrderState, { status: 'accepted' | 'triggered' | 'partially_filled' }>;
export type OpenOrderState = WorkingOrderState | Extract<OrderState, { status: 'pending' }>;

export const isOpenOrder = (state: OrderState): state is OpenOrderState =>
  state.status === 'pending' || state.status === 'accepted' || state.status === 'triggered' || state.status === 'partially_filled';
export const isWorkingOrder = (state: OrderState): state is WorkingOrderState =>
  state.status === 'accepted' || state.status === 'triggered' || state.status === 'partially_filled';
