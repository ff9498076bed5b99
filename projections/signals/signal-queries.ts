/**
 * A signal as PostgreSQL's own text of each column, read with `rowMode: 'array'`. PostgreSQL used
 * to render each row as JSON (row_to_json, to_char): that cost it about three times the scan
 * (0.18 against 0.06 ms of backend CPU for a page of 50), while concatenating the JSON from text
 * costs Node little more than parsing the rendered rows did.
 */
export type SignalTextRow = [
  signalId: string, symbol: string, side: string, strategy: string, strength: string, price: string | null,
  /** to_json of the UTC timestamp: ISO 8601 whatever the session's DateStyle, e.g. `"2024-06-01T00:00:00.25"`. */
  time: string,
  metadata: string, source: string, receivedAt: string,
];

const COLUMNS = `signals.signal_id, signals.symbol, signals.side, signals.strategy, signals.strength::text, signals.price::text,
  to_json(signals.time at time zone 'UTC')::text, signals.metadata::text, signals.source, to_json(signals.received_at at time zone 'UTC')::text`;

/** The API's time format, milliseconds truncated as recorded: `"2024-06-01T00:00:00.25"` gives `2024-06-01T00:00:00.250Z`. */
export function isoMillis(jsonTime: string): string {
  // Most times carry exactly three decimals (`"YYYY-MM-DDTHH:MM:SS.mmm"`, 25 characters): one slice.
  if (jsonTime.length === 25 && jsonTime.charCodeAt(20) === 46) return `${jsonTime.slice(1, 24)}Z`;
  const dot = jsonTime.indexOf('.');
  return dot < 0 ? `${jsonTime.slice(1, -1)}.000Z` : `${jsonTime.slice(1, dot)}.${`${jsonTime.slice(dot + 1, -1)}00`.slice(0, 3)}Z`;
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
/** A JSON string: most ids, symbols and strategies need no escape, and the test is cheaper than JSON.stringify. */
const text = (value: string) => (NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`);

/**
 * The API's JSON of one signal, in its field order. Numerics are digits only; side and source are
 * the decider's enums (signal.rules.ts refuses anything else); free text is escaped.
 */
export function signalJson([signalId, symbol, side, strategy, strength, price, time, metadata, source, receivedAt]: SignalTextRow): string {
  return `{"signalId":${text(signalId)},"symbol":${text(symbol)},"side":"${side}","strategy":${text(strategy)},"strength":"${strength}",`
    + `"price":${price === null ? 'null' : `"${price}"`},"time":"${isoMillis(time)}","metadata":${metadata},"source":"${source}",`
    + `"receivedAt":"${isoMillis(receivedAt)}"}`;
}

export interface SignalPageFilter {
  symbol?: string;
  strategy?: string;
  side?: string;
  /** Inclusive. */
  from?: string;
  /** Exclusive. */
  to?: string;
  /** (time, signal_id) of the last row of the previous page. */
  after?: [string, string];
  limit: number;
}

/**
 * One account's signals, newest first: a range scan on one of the (account_id[, symbol |
 * strategy], time desc, signal_id desc) indexes that stops after `limit` rows.
 */
export function signalPageQuery(accountId: string, filter: SignalPageFilter): { name: string; sql: string; params: unknown[] } {
  const params: unknown[] = [accountId];
  const where = ['signals.account_id = $1'];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.symbol) where.push(`signals.symbol = ${param(filter.symbol)}`);
  if (filter.strategy) where.push(`signals.strategy = ${param(filter.strategy)}`);
  if (filter.side) where.push(`signals.side = ${param(filter.side)}`);
  if (filter.from) where.push(`signals.time >= ${param(filter.from)}`);
  if (filter.to) where.push(`signals.time < ${param(filter.to)}`);
  if (filter.after) where.push(`(signals.time, signals.signal_id) < (${param(filter.after[0])}, ${param(filter.after[1])})`);
  const sql = `select ${COLUMNS} from signals where ${where.join(' and ')} order by signals.time desc, signals.signal_id desc limit ${param(filter.limit)}`;
  // The text depends only on which filters are present: one name per shape, usable as a prepared statement.
  const shape = (['symbol', 'strategy', 'side', 'from', 'to', 'after'] as const).map((key) => (filter[key] ? key[0] + key[1] : '')).join('');
  return { name: `signal_page_${shape}`, sql, params };
}

export function signalByIdQuery(accountId: string, signalId: string): { name: string; sql: string; params: unknown[] } {
  return { name: 'signal_by_id', sql: `select ${COLUMNS} from signals where signals.signal_id = $1 and signals.account_id = $2`, params: [signalId, accountId] };
}
