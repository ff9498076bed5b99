import { Decimal } from 'decimal.js';
import { InvalidSignalError } from './errors.js';
import {
  MAX_METADATA_BYTES, MAX_METADATA_DEPTH, SIGNAL_SIDES, SIGNAL_SOURCES, type JsonValue, type RecordSignal, type SignalData, type SignalMetadata,
} from './signal.events.js';

const DECIMAL_TEXT = /^\d+(\.\d{1,18})?$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.trim() || value.length > 128) throw new InvalidSignalError(field, 'must be a non-empty string of at most 128 characters');
  return value;
}

function isoTime(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) throw new InvalidSignalError(field, 'must be an ISO-8601 time with a zone');
  return new Date(value).toISOString();
}

function decimal(value: unknown, field: string, max?: number): string {
  if (typeof value !== 'string' || !DECIMAL_TEXT.test(value)) throw new InvalidSignalError(field, 'must be a non-negative decimal string');
  const d = new Decimal(value);
  if (max !== undefined && d.gt(max)) throw new InvalidSignalError(field, `must be at most ${max}`);
  if (d.toFixed(0).length > 20) throw new InvalidSignalError(field, 'is too large');
  return d.toFixed();
}

function depth(value: JsonValue): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depth));
}

/** Only plain JSON survives: the stored copy is what JSON round-trips to, bounded in bytes and depth. */
function metadataOf(value: unknown): SignalMetadata {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidSignalError('metadata', 'must be a JSON object');
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    throw new InvalidSignalError('metadata', 'must be JSON-serialisable');
  }
  if (new TextEncoder().encode(json).length > MAX_METADATA_BYTES) throw new InvalidSignalError('metadata', `must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
  const copy = JSON.parse(json) as SignalMetadata;
  if (depth(copy) > MAX_METADATA_DEPTH) throw new InvalidSignalError('metadata', `must nest at most ${MAX_METADATA_DEPTH} levels`);
  return copy;
}

export function checkRecordSignal({ data }: RecordSignal): SignalData {
  if (!SIGNAL_SIDES.includes(data.side)) throw new InvalidSignalError('side', `must be one of ${SIGNAL_SIDES.join(', ')}`);
  if (!SIGNAL_SOURCES.includes(data.source)) throw new InvalidSignalError('source', `must be one of ${SIGNAL_SOURCES.join(', ')}`);
  const price = data.price === undefined || data.price === null ? null : decimal(data.price, 'price');
  if (price === '0') throw new InvalidSignalError('price', 'must be greater than 0');
  return {
    signalId: text(data.signalId, 'signalId'),
    accountId: text(data.accountId, 'accountId'),
    symbol: text(data.symbol, 'symbol'),
    side: data.side,
    strategy: text(data.strategy, 'strategy'),
    strength: decimal(data.strength, 'strength', 1),
    price,
    time: isoTime(data.time, 'time'),
    metadata: metadataOf(data.metadata),
    source: data.source,
    receivedAt: isoTime(data.receivedAt, 'receivedAt'),
  };
}
