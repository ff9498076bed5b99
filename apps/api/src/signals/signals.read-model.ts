import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SignalData } from '#libs/signals';
import type { ListSignalsQuery, SignalPage, SignalView } from './signal.dto.js';

const DEFAULT_PAGE = 50;
const COLUMNS = `signal_id, symbol, side, strategy, strength::text, price::text, metadata, source,
  to_char(time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as time,
  to_char(received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as received_at`;

type Row = Omit<SignalView, 'signalId' | 'receivedAt'> & { signal_id: string; received_at: string };
const toView = (r: Row): SignalView => ({
  signalId: r.signal_id, symbol: r.symbol, side: r.side, strategy: r.strategy, strength: r.strength, price: r.price,
  time: r.time, metadata: r.metadata, source: r.source, receivedAt: r.received_at,
});

export const viewOf = ({ accountId: _accountId, ...signal }: SignalData): SignalView => signal;

/**
 * The cursor is the (time, signal_id) of the last row served; it is opaque to clients so the
 * key can change without breaking them. Times are millisecond ISO strings, as recorded.
 */
const encodeCursor = (row: Row) => Buffer.from(`${row.time}|${row.signal_id}`).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  const [time, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (rest.length || !id || Number.isNaN(Date.parse(time))) throw new BadRequestException({ code: 'INVALID_CURSOR', message: 'cursor is not one this API issued' });
  return [time, id];
}

/** One indexed query per request: no count, no joins, `limit + 1` rows to know whether a next page exists. */
@Injectable()
export class SignalsReadModel {
  constructor(private readonly db: DataSource) {}

  async list(accountId: string, q: ListSignalsQuery): Promise<SignalPage> {
    const params: unknown[] = [accountId];
    const where = ['account_id = $1'];
    const add = (condition: (p: (value: unknown) => string) => string) => where.push(condition((value) => `$${params.push(value)}`));
    if (q.symbol) add((p) => `symbol = ${p(q.symbol)}`);
    if (q.strategy) add((p) => `strategy = ${p(q.strategy)}`);
    if (q.side) add((p) => `side = ${p(q.side)}`);
    if (q.from) add((p) => `time >= ${p(q.from)}`);
    if (q.to) add((p) => `time < ${p(q.to)}`);
    if (q.cursor) {
      const [time, id] = decodeCursor(q.cursor);
      add((p) => `(time, signal_id) < (${p(time)}, ${p(id)})`);
    }
    const limit = q.limit ?? DEFAULT_PAGE;
    const rows: Row[] = await this.db.query(
      `select ${COLUMNS} from signals where ${where.join(' and ')} order by time desc, signal_id desc limit ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    return { items: page.map(toView), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }

  async get(accountId: string, signalId: string): Promise<SignalView | null> {
    const [row] = await this.db.query(`select ${COLUMNS} from signals where signal_id = $1 and account_id = $2`, [signalId, accountId]);
    return row ? toView(row) : null;
  }
}
