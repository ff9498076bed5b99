import type { AccountSettings, OpenAccountState, ReserveForOrder, Side } from './account.events.js';
import { openQuantityOf } from './account.reservations.js';
import { InvalidCommandError, OrderRejectedError } from './errors.js';
import { CASH_SCALE, Decimal, dec, parseNonNegative, parsePositive, roundCashUp } from './money.js';

export function parseCash(value: unknown, field: string, { positive }: { positive: boolean }): Decimal {
  const amount = positive ? parsePositive(value, field) : parseNonNegative(value, field);
  if (amount.decimalPlaces() > CASH_SCALE) throw new InvalidCommandError(`${field} has more than ${CASH_SCALE} decimals`);
  return amount;
}

export function checkSettings(settings: AccountSettings): void {
  if (typeof settings?.allowShort !== 'boolean') throw new InvalidCommandError('settings.allowShort must be a boolean');
  if (settings.maxOrderNotional !== null) parsePositive(settings.maxOrderNotional, 'settings.maxOrderNotional');
  if (typeof settings.maxPositionQuantity !== 'object' || settings.maxPositionQuantity === null) {
    throw new InvalidCommandError('settings.maxPositionQuantity must be an object of symbol → quantity');
  }
  for (const [symbol, limit] of Object.entries(settings.maxPositionQuantity)) parsePositive(limit, `settings.maxPositionQuantity.${symbol}`);
}

export function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || !value.trim()) throw new InvalidCommandError(`${field} must be a non-empty string`);
}

/** Cash nobody has promised to an open order yet: the only cash a new order or a withdrawal may use. */
export function buyingPower(state: OpenAccountState): Decimal {
  return dec(state.cash).minus(state.reservedCash);
}

/**
 * The pre-trade risk check; returns the cash to set aside. Every limit counts every open order,
 * so orders that pass one at a time cannot together breach it, and because the account stream is
 * appended at its expected revision, two concurrent reservations are decided one after the other.
 * A sell beyond the unreserved long position is a short sale; it needs allowShort and is fully
 * cash-collateralised (quantity short × price + fee), as a cash account would require.
 */
export function reservationFor(state: OpenAccountState, { data }: ReserveForOrder): Decimal {
  const { symbol, side } = data.order;
  const quantity = parsePositive(data.order.quantity, 'quantity');
  const price = parsePositive(data.price, 'price');
  const fee = parseNonNegative(data.estimatedFee, 'estimatedFee');
  const notional = quantity.times(price);
  const { settings } = state;
  if (settings.maxOrderNotional !== null && notional.gt(settings.maxOrderNotional)) {
    throw new OrderRejectedError('MAX_ORDER_NOTIONAL_EXCEEDED', `order notional ${notional.toFixed()} exceeds ${settings.maxOrderNotional}`);
  }
  const openQty = (side: Side) => openQuantityOf(state, symbol, side);
  const position = dec(state.positions[symbol]?.quantity ?? '0');
  const limit = settings.maxPositionQuantity[symbol] ?? settings.maxPositionQuantity['*'];

  let cash: Decimal;
  let worstCase: Decimal;
  if (side === 'buy') {
    cash = roundCashUp(notional.plus(fee));
    worstCase = position.plus(openQty('buy')).plus(quantity);
  } else {
    const unreservedLong = Decimal.max(0, Decimal.max(0, position).minus(openQty('sell')));
    const shortQty = Decimal.max(0, quantity.minus(unreservedLong));
    if (shortQty.gt(0) && !settings.allowShort) {
      throw new OrderRejectedError('SHORT_SELLING_NOT_ALLOWED', `selling ${quantity.toFixed()} ${symbol} needs ${shortQty.toFixed()} more than the unreserved position`);
    }
    cash = shortQty.gt(0) ? roundCashUp(shortQty.times(price).plus(fee)) : new Decimal(0);
    worstCase = position.minus(openQty('sell')).minus(quantity);
  }
  // An order that only shrinks exposure passes even when an older position is above a new limit.
  if (limit !== undefined && worstCase.abs().gt(limit) && worstCase.abs().gt(position.abs())) {
    throw new OrderRejectedError('MAX_POSITION_EXCEEDED', `${symbol} position could reach ${worstCase.toFixed()}, limit ${limit}`);
  }
  const available = buyingPower(state);
  if (cash.gt(available)) {
    throw new OrderRejectedError('INSUFFICIENT_BUYING_POWER', `order needs ${cash.toFixed()}, buying power is ${available.toFixed()}`);
  }
  return cash;
}
