import { BadRequestException, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { SignalData } from '#libs/signals';
import { isoMillis, signalByIdQuery, signalJson, signalPageQuery, type SignalTextRow } from '#projections/signals';
import type { ListSignalsQuery, SignalView } from './signal.dto.js';

const DEFAULT_PAGE = 50;

export const viewOf = ({ accountId: _accountId, ...signal }: SignalData): SignalView => signal;

/**
 * The cursor is the (time, signal_id) of the last row served; it is opaque to clients so the
 * key can change without breaking them. Times are millisecond ISO strings, as recorded.
 */
const encodeCursor = (row: SignalTextRow) => Buffer.from(`${isoMillis(row[6])}|${row[0]}`).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  const [time, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (rest.length || !id || Number.isNaN(Date.parse(time))) throw new BadRequestException({ code: 'INVALID_CURSOR', message: 'cursor is not one this API issued' });
  return [time, id];
}

/** One indexed query per request: no count, no joins, `limit + 1` rows to know whether a next page exists. */
@Injectable()
export class SignalsReadModel {
  /**
   * TypeORM's query() cannot name a statement; its pg pool can, so PostgreSQL parses and plans
   * each page shape once per connection rather than on every request (CPU it shares with us).
   */
  private readonly pool: Pool;

  constructor(db: DataSource) {
    this.pool = (db.driver as unknown as { master: Pool }).master;
  }

  /** The page as JSON text ({ items, nextCursor }), concatenated from the rows' text: nothing is parsed and serialised again. */
  async list(accountId: string, { cursor, limit = DEFAULT_PAGE, ...filter }: ListSignalsQuery): Promise<string> {
    const { name, sql, params } = signalPageQuery(accountId, { ...filter, after: cursor === undefined ? undefined : decodeCursor(cursor), limit: limit + 1 });
    const { rows } = await this.pool.query<SignalTextRow>({ name, text: sql, values: params, rowMode: 'array' });
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? `"${encodeCursor(page[page.length - 1])}"` : 'null';
    return `{"items":[${page.map(signalJson).join(',')}],"nextCursor":${nextCursor}}`;
  }

  async get(accountId: string, signalId: string): Promise<SignalView | null> {
    const { name, sql, params } = signalByIdQuery(accountId, signalId);
    const { rows: [row] } = await this.pool.query<SignalTextRow>({ name, text: sql, values: params, rowMode: 'array' });
    return row ? (JSON.parse(signalJson(row)) as SignalView) : null;
  }
}
