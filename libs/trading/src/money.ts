import { Decimal as BaseDecimal } from 'decimal.js';
import { TradingError } from './errors.js';

/**
 * Decimal arithmetic for cash, prices and quantities. decimal.js defaults to 20 significant
 * digits, which silently rounds a 15-digit notional times an 8-decimal price; 60 digits keeps
 * every product and sum we form exact, so rounding happens only where a rule below says so.
 */
export const Decimal = BaseDecimal.clone({ precision: 60, rounding: BaseDecimal.ROUND_HALF_UP, toExpNeg: -60, toExpPos: 60 });
export type Decimal = InstanceType<typeof Decimal>;

/** Cash (balances, notionals, fees, PnL) is kept to 8 decimals, rounded half-up when it hits the account. */
export const CASH_SCALE = 8;
/** Derived prices (average cost, average fill price) are quoted to 8 decimals, half-up. */
export const PRICE_SCALE = 8;
/** Bounds on input: beyond them a value is a typo or an attack, not a trade. */
export const MAX_INTEGER_DIGITS = 20;
export const MAX_SCALE = 18;

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

export class InvalidDecimalError extends TradingError {
  override readonly name = 'InvalidDecimalError';
  readonly code = 'INVALID_DECIMAL';
  readonly kind = 'invalid';
  constructor(readonly field: string, readonly value: unknown, reason: string) {
    super(`${field} ${reason} (got ${JSON.stringify(value)})`);
  }
}

/**
 * Reads a decimal string. Numbers are refused on purpose: a float that reached the domain has
 * already lost precision (0.1 + 0.2), so callers convert at the edge (see canonicalDecimal).
 */
export function parseDecimal(value: unknown, field: string): Decimal {
  if (typeof value !== 'string' || !DECIMAL_TEXT.test(value)) throw new InvalidDecimalError(field, value, 'must be a decimal string');
  const decimal = new Decimal(value);
  if (decimal.decimalPlaces() > MAX_SCALE) throw new InvalidDecimalError(field, value, `has more than ${MAX_SCALE} decimals`);
  if (decimal.abs().trunc().toFixed().length > MAX_INTEGER_DIGITS) throw new InvalidDecimalError(field, value, `has more than ${MAX_INTEGER_DIGITS} integer digits`);
  return decimal;
}

export function parsePositive(value: unknown, field: string): Decimal {
  const decimal = parseDecimal(value, field);
  if (decimal.lte(0)) throw new InvalidDecimalError(field, value, 'must be greater than 0');
  return decimal;
}

export function parseNonNegative(value: unknown, field: string): Decimal {
  const decimal = parseDecimal(value, field);
  if (decimal.isNegative() && !decimal.isZero()) throw new InvalidDecimalError(field, value, 'must not be negative');
  return decimal;
}

/** A cash amount rounded to CASH_SCALE, half-up (away from zero on .5). */
export const roundCash = (value: Decimal): Decimal => value.toDecimalPlaces(CASH_SCALE, Decimal.ROUND_HALF_UP);

/** Cash set aside for a buy rounds up, so a reservation never covers less than it promised. */
export const roundCashUp = (value: Decimal): Decimal => value.toDecimalPlaces(CASH_SCALE, Decimal.ROUND_UP);

export const roundPrice = (value: Decimal): Decimal => value.toDecimalPlaces(PRICE_SCALE, Decimal.ROUND_HALF_UP);

/** The canonical string stored in events: plain notation, no trailing zeros, never "-0". */
export const toDecimalString = (value: Decimal): string => (value.isZero() ? '0' : value.toFixed());

export const dec = (value: string): Decimal => new Decimal(value);

export function sum(values: Iterable<Decimal>): Decimal {
  let total = new Decimal(0);
  for (const value of values) total = total.plus(value);
  return total;
}
