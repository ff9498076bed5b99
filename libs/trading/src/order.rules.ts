import { InvalidOrderError, TradingError } from './errors.js';
import { parseNonNegative, parsePositive, toDecimalString, type Decimal } from './money.js';
import { ORDER_TYPES, TIMES_IN_FORCE, type OrderSpec, type PlaceOrder } from './order.events.js';

const PRICES_BY_TYPE = {
  market: { limit: false, stop: false },
  limit: { limit: true, stop: false },
  stop: { limit: false, stop: true },
  stop_limit: { limit: true, stop: true },
} as const;

/** Decimal errors surface as INVALID_ORDER so clients see one code for every malformed order. */
export function orderDecimal(value: unknown, field: string, positive = true): Decimal {
  try {
    return positive ? parsePositive(value, field) : parseNonNegative(value, field);
  } catch (error) {
    if (error instanceof TradingError) throw new InvalidOrderError(error.message);
    throw error;
  }
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.trim() || value.length > 128) throw new InvalidOrderError(`${field} must be a non-empty string of at most 128 characters`);
  return value;
}

/** The order as it will be placed, or InvalidOrderError: checked before the account is asked, and again by the decider. */
export function checkPlaceOrder({ data }: { data: Omit<PlaceOrder['data'], 'verdict'> }): OrderSpec {
  if (data.side !== 'buy' && data.side !== 'sell') throw new InvalidOrderError(`side must be buy or sell`);
  if (!ORDER_TYPES.includes(data.type)) throw new InvalidOrderError(`type must be one of ${ORDER_TYPES.join(', ')}`);
  if (!TIMES_IN_FORCE.includes(data.timeInForce)) throw new InvalidOrderError(`timeInForce must be one of ${TIMES_IN_FORCE.join(', ')}`);
  const needs = PRICES_BY_TYPE[data.type];
  const price = (value: string | null | undefined, field: string, required: boolean): string | null => {
    const given = value !== undefined && value !== null;
    if (required && !given) throw new InvalidOrderError(`a ${data.type} order needs ${field}`);
    if (!required && given) throw new InvalidOrderError(`a ${data.type} order takes no ${field}`);
    return given ? toDecimalString(orderDecimal(value, field)) : null;
  };
  return {
    orderId: text(data.orderId, 'orderId'),
    accountId: text(data.accountId, 'accountId'),
    clientOrderId: text(data.clientOrderId, 'clientOrderId'),
    symbol: text(data.symbol, 'symbol'),
    side: data.side,
    type: data.type,
    quantity: toDecimalString(orderDecimal(data.quantity, 'quantity')),
    limitPrice: price(data.limitPrice, 'limitPrice', needs.limit),
    stopPrice: price(data.stopPrice, 'stopPrice', needs.stop),
    timeInForce: data.timeInForce,
    placedAt: text(data.placedAt, 'placedAt'),
  };
}
