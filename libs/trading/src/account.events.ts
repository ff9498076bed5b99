import type { Map as ImmutableMap } from 'immutable';
import type { DomainEvent } from '#eventstore';
import type { OrderRejectionReason } from './errors.js';
import type { IdSet } from './id-set.js';
import type { OrderSpec } from './order.events.js';
import type { Side } from './side.js';

export const accountStreamId = (accountId: string): string => `account-${accountId}`;

export type { Side };

/**
 * Risk limits, all optional (null = no limit). maxOrderNotional caps quantity × reference price
 * of one order. maxPositionQuantity caps the absolute position a symbol can reach once every
 * open order on it fills, per symbol; the key '*' applies to symbols not listed. Quantities
 * rather than notionals, because a notional cap would move with the price of the day.
 */
export interface AccountSettings {
  allowShort: boolean;
  maxOrderNotional: string | null;
  maxPositionQuantity: Record<string, string>;
}

export type ReleaseReason = 'cancelled' | 'expired' | 'rejected' | 'filled';

// ---- commands (amounts are decimal strings; `at` is ISO-8601 and comes from the caller) ----

export interface OpenAccount {
  type: 'OpenAccount';
  data: { accountId: string; name: string; openingDeposit: string; settings: AccountSettings; apiKeyHash: string; at: string };
}
/** transferId makes a redelivered deposit or withdrawal a no-op. */
export interface DepositFunds {
  type: 'DepositFunds';
  data: { accountId: string; transferId: string; amount: string; at: string };
}
export interface WithdrawFunds {
  type: 'WithdrawFunds';
  data: { accountId: string; transferId: string; amount: string; at: string };
}
export interface ChangeAccountSettings {
  type: 'ChangeAccountSettings';
  data: { accountId: string; settings: AccountSettings; at: string };
}
export interface RotateApiKey {
  type: 'RotateApiKey';
  data: { accountId: string; apiKeyHash: string; at: string };
}
/**
 * price is what the caller reserves at: the limit price for limit orders, the latest market
 * price × (1 + slippage allowance) for market and stop orders.
 */
export interface ReserveForOrder {
  type: 'ReserveForOrder';
  /** `order`: the order the cash is set aside for (its id, symbol, side and quantity), written once the reservation stands (by the request, or after a crash by the saga). */
  data: { accountId: string; order: OrderSpec; price: string; estimatedFee: string; at: string };
}
export interface SettleFill {
  type: 'SettleFill';
  data: { accountId: string; orderId: string; fillId: string; symbol: string; side: Side; quantity: string; price: string; fee: string; at: string };
}
export interface ReleaseReservation {
  type: 'ReleaseReservation';
  data: { accountId: string; orderId: string; reason: ReleaseReason; at: string };
}

export type AccountCommand =
  | OpenAccount
  | DepositFunds
  | WithdrawFunds
  | ChangeAccountSettings
  | RotateApiKey
  | ReserveForOrder
  | SettleFill
  | ReleaseReservation;

// ---- events ----

/** A position after a fill. costBasis is signed: paid (incl. opening fees) for longs, negative net proceeds for shorts. */
export interface PositionSnapshot {
  quantity: string;
  costBasis: string;
  averageCost: string;
  realizedPnl: string;
}

/** What remains set aside for an open order: quantity still to fill and cash still held for it. */
export interface Reservation {
  orderId: string;
  symbol: string;
  side: Side;
  quantity: string;
  price: string;
  cash: string;
  order: OrderSpec;
}

export type AccountOpened = DomainEvent<'AccountOpened', {
  accountId: string; name: string; openingDeposit: string; settings: AccountSettings; apiKeyHash: string; openedAt: string;
}>;
export type FundsDeposited = DomainEvent<'FundsDeposited', { accountId: string; transferId: string; amount: string; cashAfter: string; at: string }>;
export type FundsWithdrawn = DomainEvent<'FundsWithdrawn', { accountId: string; transferId: string; amount: string; cashAfter: string; at: string }>;
export type AccountSettingsChanged = DomainEvent<'AccountSettingsChanged', { accountId: string; settings: AccountSettings; at: string }>;
export type ApiKeyRotated = DomainEvent<'ApiKeyRotated', { accountId: string; apiKeyHash: string; at: string }>;
export type OrderFundsReserved = DomainEvent<'OrderFundsReserved', {
  accountId: string; orderId: string; symbol: string; side: Side; quantity: string; price: string; estimatedFee: string;
  reservedCash: string; at: string; order: OrderSpec;
}>;
/**
 * Carries its results (cash after, position after, what stays reserved) so projections apply it
 * without redoing the accounting, and so the numbers a replay shows are the numbers decided.
 */
export type FillSettled = DomainEvent<'FillSettled', {
  accountId: string; orderId: string; fillId: string; symbol: string; side: Side; quantity: string; price: string; fee: string;
  cashDelta: string; cashAfter: string; realizedPnl: string; position: PositionSnapshot;
  reservation: { quantity: string; cash: string } | null; at: string;
}>;
export type OrderReservationReleased = DomainEvent<'OrderReservationReleased', {
  accountId: string; orderId: string; reason: ReleaseReason; releasedQuantity: string; releasedCash: string; at: string;
}>;

export type AccountEvent =
  | AccountOpened
  | FundsDeposited
  | FundsWithdrawn
  | AccountSettingsChanged
  | ApiKeyRotated
  | OrderFundsReserved
  | FillSettled
  | OrderReservationReleased;

export type { OrderRejectionReason };

// ---- state ----

/**
 * Sets of handled ids (transfers, orders, fills) make every command idempotent under
 * at-least-once delivery; they grow with the account's history (see IdSet for why not records).
 */
export interface OpenAccountState {
  status: 'open';
  accountId: string;
  name: string;
  cash: string;
  settings: AccountSettings;
  apiKeyHash: string;
  /**
   * Open orders' reservations by order id. A persistent map (immutable.js): each reservation makes a
   * new version in O(log n) while older states (the command cache, a group's earlier decisions) stay
   * as they were; copying a record per reservation made a busy account O(resting orders) per order.
   */
  reservations: ImmutableMap<string, Reservation>;
  /** Sum of every reservation's cash, kept as they change (see withReservation). */
  reservedCash: string;
  /** Per symbol, the quantity still open on reservations of each side. */
  openQuantity: Record<string, { buy: string; sell: string }>;
  positions: Record<string, PositionSnapshot>;
  transferIds: IdSet;
  reservedOrderIds: IdSet;
  fillIds: IdSet;
}

export type AccountState = { status: 'none' } | OpenAccountState;
