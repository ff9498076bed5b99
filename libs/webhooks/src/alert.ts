import { canonicalDecimal } from '#libs/market-data';
import { Decimal } from 'decimal.js';

export type AlertAction = 'buy' | 'sell' | 'close';
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A TradingView-shaped alert after validation; amounts are canonical decimal strings. */
export interface Alert {
  secret: string | null;
  symbol: string;
  action: AlertAction;
  quantity: string | null;
  percentOfEquity: string | null;
  price: string | null;
  orderType: 'market' | 'limit' | null;
  strategy: string | null;
  alertId: string | null;
  /** When the strategy fired, ISO-8601 UTC; null when the producer did not say. */
  time: string | null;
  /** exchange, interval, comment and the producer's own metadata object: kept on the signal, never acted on. */
  metadata: { [key: string]: Json };
}

/** 400: the body is not a JSON object at all. 422: it is one, but not a valid alert. */
export class AlertError extends Error {
  override readonly name = 'AlertError';
  constructor(readonly code: 'MALFORMED_ALERT' | 'INVALID_ALERT', readonly status: 400 | 422, message: string, readonly field?: string) {
    super(message);
  }
}

const invalid = (field: string, reason: string) => new AlertError('INVALID_ALERT', 422, `${field} ${reason}`, field);
export const MAX_ALERT_METADATA_BYTES = 2048;
const SYMBOL = /^[A-Z0-9][A-Z0-9._/-]{0,31}$/;
const EXCHANGE = /^[A-Z0-9_]{1,32}$/;
const PRINTABLE_ID = /^[\x21-\x7e]{1,128}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const KNOWN_FIELDS = new Set([
  'secret', 'symbol', 'ticker', 'action', 'quantity', 'contracts', 'percent', 'price', 'orderType', 'strategy',
  'alertId', 'id', 'time', 'exchange', 'interval', 'comment', 'metadata',
]);

/**
 * TradingView posts the alert message as text/plain unless it parses as JSON; both arrive here.
 * A Buffer or string must hold one JSON object; an already-parsed body must be one.
 */
export function alertPayload(body: unknown): Record<string, unknown> {
  let value = body;
  if (Buffer.isBuffer(value) || typeof value === 'string') {
    const text = value.toString().trim();
    if (!text) throw new AlertError('MALFORMED_ALERT', 400, 'the body is empty');
    try {
      value = JSON.parse(text);
    } catch {
      throw new AlertError('MALFORMED_ALERT', 400, 'the body is not JSON');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new AlertError('MALFORMED_ALERT', 400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

function optionalText(payload: Record<string, unknown>, field: string, max: number): string | null {
  const value = payload[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !value.trim() || value.length > max) throw invalid(field, `must be a non-empty string of at most ${max} characters`);
  return value.trim();
}

/** One of two spellings TradingView templates use (`symbol`/`ticker`, `quantity`/`contracts`); both at once must agree. */
function either(payload: Record<string, unknown>, a: string, b: string): [string, unknown] {
  const [x, y] = [payload[a], payload[b]];
  if (x !== undefined && y !== undefined && x !== y) throw invalid(a, `and ${b} disagree`);
  return x !== undefined ? [a, x] : [b, y];
}

function positiveDecimal(field: string, value: unknown, max?: number): string | null {
  if (value === undefined || value === null) return null;
  const text = canonicalDecimal(value);
  if (text === null || new Decimal(text).lte(0)) throw invalid(field, 'must be a decimal number greater than 0');
  if (max !== undefined && new Decimal(text).gt(max)) throw invalid(field, `must be at most ${max}`);
  return text;
}

function symbolOf(payload: Record<string, unknown>): { symbol: string; exchange: string | null } {
  const [field, value] = either(payload, 'symbol', 'ticker');
  if (typeof value !== 'string') throw invalid('symbol', 'is required (symbol or ticker)');
  // "BINANCE:BTCUSDT": orders and prices are keyed by the bare symbol; the exchange stays on the signal.
  const parts = value.trim().toUpperCase().split(':');
  const [exchange, symbol] = parts.length === 2 ? parts : [null, parts[0]];
  if (parts.length > 2 || !SYMBOL.test(symbol) || (exchange !== null && !EXCHANGE.test(exchange))) {
    throw invalid(field, 'must be a symbol such as AAPL or EXCHANGE:SYMBOL');
  }
  return { symbol, exchange };
}

function timeOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'number' ? value : typeof value === 'string' && ISO_TIME.test(value) ? Date.parse(value) : NaN;
  // Epoch milliseconds or ISO-8601 with a zone; anything outside 2000-2100 is a template mistake.
  if (!Number.isInteger(ms) || ms < Date.UTC(2000, 0, 1) || ms > Date.UTC(2100, 0, 1)) throw invalid('time', 'must be ISO-8601 with a zone or epoch milliseconds');
  return new Date(ms).toISOString();
}

function metadataOf(payload: Record<string, unknown>, exchange: string | null): Alert['metadata'] {
  const metadata: Alert['metadata'] = {};
  if (exchange !== null) metadata.exchange = exchange;
  for (const field of ['interval', 'comment']) {
    const value = optionalText(payload, field, 128);
    if (value !== null) metadata[field] = value;
  }
  const extra = payload.metadata;
  if (extra !== undefined) {
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) throw invalid('metadata', 'must be a JSON object');
    if (Buffer.byteLength(JSON.stringify(extra)) > MAX_ALERT_METADATA_BYTES) throw invalid('metadata', `must be at most ${MAX_ALERT_METADATA_BYTES} bytes as JSON`);
    metadata.producer = extra as Json;
  }
  return metadata;
}

/** Unknown fields are refused, not ignored: a misspelt `quantitty` must not trade the default size. */
export function parseAlert(payload: Record<string, unknown>): Alert {
  const unknown = Object.keys(payload).find((key) => !KNOWN_FIELDS.has(key));
  if (unknown !== undefined) throw invalid(unknown.slice(0, 64), 'is not a known alert field');
  const action = typeof payload.action === 'string' ? payload.action.trim().toLowerCase() : '';
  if (action !== 'buy' && action !== 'sell' && action !== 'close') throw invalid('action', 'must be buy, sell or close');
  const { symbol, exchange } = symbolOf(payload);
  const quantity = positiveDecimal('quantity', either(payload, 'quantity', 'contracts')[1]);
  const percentOfEquity = positiveDecimal('percent', payload.percent, 100);
  if (quantity !== null && percentOfEquity !== null) throw invalid('quantity', 'and percent exclude each other');
  const price = positiveDecimal('price', payload.price);
  const orderType = payload.orderType === undefined || payload.orderType === null ? null : String(payload.orderType).toLowerCase();
  if (orderType !== null && orderType !== 'market' && orderType !== 'limit') throw invalid('orderType', 'must be market or limit');
  if (orderType === 'limit' && price === null) throw invalid('price', 'is required for a limit order');
  const [, alertIdValue] = either(payload, 'alertId', 'id');
  const alertId = alertIdValue === undefined || alertIdValue === null ? null : String(alertIdValue);
  if (alertId !== null && (!PRINTABLE_ID.test(alertId) || (typeof alertIdValue !== 'string' && typeof alertIdValue !== 'number'))) {
    throw invalid('alertId', 'must be 1-128 printable characters');
  }
  return {
    secret: optionalText(payload, 'secret', 256),
    symbol,
    action,
    quantity,
    percentOfEquity,
    price,
    orderType,
    strategy: optionalText(payload, 'strategy', 64),
    alertId,
    time: timeOf(payload.time),
    metadata: metadataOf(payload, exchange),
  };
}
