import { AppendSizeExceededError, MAX_APPEND_BYTES, MAX_APPEND_EVENTS, WrongExpectedVersionError } from '../errors.js';
import { streamCategory, type AppendResult, type EventData, type ExpectedRevision } from '../types.js';

/** One append, encoded once when it is made, ready to go out alone or inside a combined batch. */
export interface PreparedAppend {
  streamId: string;
  category: string;
  expected: ExpectedRevision;
  ids: string[];
  types: string[];
  data: string[];
  meta: string[];
  bytes: number;
}

export interface AppendOutcome {
  outcome: 'appended' | 'duplicate' | 'wrong_expected_revision';
  revision: string;
  tx_id: string | null;
  global_position: string | null;
}

export const APPEND_SQL = 'select outcome, revision, tx_id::text as tx_id, global_position from es_append($1, $2, $3, $4, $5, $6, $7)';

export const APPEND_MANY_SQL =
  'select outcome, revision, tx_id::text as tx_id, global_position from es_append_many($1, $2, $3, $4, $5, $6, $7, $8)';

export function prepareAppend(streamId: string, events: EventData[], expected: ExpectedRevision): PreparedAppend {
  if (!events.length) throw new RangeError('an append needs at least one event');
  const data = events.map((e) => JSON.stringify(e.data ?? null));
  const meta = events.map((e) => JSON.stringify(e.metadata ?? {}));
  let bytes = 0;
  for (let i = 0; i < data.length; i++) bytes += data[i]!.length + meta[i]!.length;
  if (events.length > MAX_APPEND_EVENTS || bytes > MAX_APPEND_BYTES) throw new AppendSizeExceededError(streamId, events.length, bytes);
  return { streamId, category: streamCategory(streamId), expected, ids: events.map((e) => e.id), types: events.map((e) => e.type), data, meta, bytes };
}

export const appendParams = (a: PreparedAppend): unknown[] => [a.streamId, a.category, a.expected.toString(), a.ids, a.types, a.data, a.meta];

/** Parameters of es_append_many: per-append arrays, then the events of all appends end to end. */
export function appendManyParams(batch: PreparedAppend[]): unknown[] {
  const ids: string[] = [];
  const types: string[] = [];
  const data: string[] = [];
  const meta: string[] = [];
  for (const a of batch) {
    ids.push(...a.ids);
    types.push(...a.types);
    data.push(...a.data);
    meta.push(...a.meta);
  }
  return [batch.map((a) => a.streamId), batch.map((a) => a.category), batch.map((a) => a.expected.toString()), batch.map((a) => a.ids.length), ids, types, data, meta];
}

/** The caller's result, or the error a refused append raises. */
export function toAppendResult(append: PreparedAppend, row: AppendOutcome): AppendResult {
  if (row.outcome === 'wrong_expected_revision') {
    const actual = BigInt(row.revision);
    throw new WrongExpectedVersionError(append.streamId, append.expected, actual < 0n ? 'no_stream' : actual);
  }
  const position = { commit: BigInt(row.tx_id!), prepare: BigInt(row.global_position!) };
  return { nextExpectedRevision: BigInt(row.revision), position, ...(row.outcome === 'duplicate' && { duplicate: true }) };
}
