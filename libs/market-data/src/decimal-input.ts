import { Decimal } from 'decimal.js';

/** Largest magnitude and scale accepted for a price or quantity; beyond that it is a typo or an attack. */
export const MAX_DECIMAL_DIGITS = 20;
export const MAX_DECIMAL_SCALE = 10;

const DECIMAL_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * Reads a price or quantity that arrived as a JSON number or a decimal string into its canonical
 * decimal string, or null when it is not a finite plain decimal within bounds (NaN, Infinity,
 * 1e400, "12abc", exponent notation in strings, too many digits).
 */
export function canonicalDecimal(value: unknown): string | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = new Decimal(value).toFixed();
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  if (!DECIMAL_TEXT.test(text)) return null;
  const decimal = new Decimal(text);
  if (decimal.decimalPlaces() > MAX_DECIMAL_SCALE) return null;
  if (decimal.abs().toFixed(0).length > MAX_DECIMAL_DIGITS) return null;
  return decimal.toFixed();
}
