import { DataSource } from 'typeorm';
import type { RecordedEvent } from '#eventstore';
import { runMigrations } from '#libs/platform';
import type { SignalData } from '#libs/signals';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import type { Pool } from 'pg';
import { isoMillis, signalJson, signalPageQuery, type SignalPageFilter, type SignalTextRow } from './signal-queries.js';
import { signalsProjection } from './signals.projection.js';

let seq = 0n;
const recorded = (over: Partial<SignalData> = {}): RecordedEvent => {
  const data: SignalData = {
    signalId: `s${++seq}`, accountId: 'a1', symbol: 'BTCUSD', side: 'buy', strategy: 'sma-cross', strength: '0.75', price: '64000.5',
    time: '2024-03-01T14:30:00.000Z', metadata: { tf: '1h', tags: ['tv'] }, source: 'api', receivedAt: '2024-03-01T14:30:01.250Z', ...over,
  };
  return { id: crypto.randomUUID(), type: 'SignalRecorded', streamId: `signal-${data.signalId}`, revision: 0n, position: { commit: seq, prepare: seq }, data, metadata: {}, createdAt: new Date() };
};

const pool = (db: DataSource) => (db.driver as unknown as { master: Pool }).master;

describe('signals projection', () => {
  let database: TestDatabase;
  let db: DataSource;
  const apply = (events: RecordedEvent[]) => db.transaction(async (tx) => signalsProjection.applyBatch!(events, tx));

  beforeAll(async () => {
    database = await createTestDatabase('signals_projection');
    await runMigrations(database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('stores each signal once with its decimals and times exact', async () => {
    const event = recorded({ signalId: 'one', price: null, strength: '0.123456789012345678' });
    await apply([event, event]);
    expect(await db.query(`select account_id, symbol, side, strategy, strength::text, price, time, metadata, source, received_at from signals where signal_id = 'one'`)).toEqual([{
      account_id: 'a1', symbol: 'BTCUSD', side: 'buy', strategy: 'sma-cross', strength: '0.123456789012345678', price: null,
      time: new Date('2024-03-01T14:30:00.000Z'), metadata: { tf: '1h', tags: ['tv'] }, source: 'api', received_at: new Date('2024-03-01T14:30:01.250Z'),
    }]);
  });

  it('writes a batch in one statement, a signal delivered twice (in the batch, then redelivered) once, event by event alike', async () => {
    const [a, b] = [recorded({ signalId: 'batch-a', accountId: 'batch' }), recorded({ signalId: 'batch-b', accountId: 'batch', price: null })];
    await apply([a, b, a]);
    await db.transaction(async (tx) => signalsProjection.apply(b, tx));
    const rows = await db.query(`select signal_id, price, xmin::text as tx, cmin::text as statement from signals where account_id = 'batch' order by signal_id`);
    expect(rows.map((r: { signal_id: string; price: string | null }) => [r.signal_id, r.price])).toEqual([['batch-a', '64000.5'], ['batch-b', null]]);
    expect(new Set(rows.map((r: { tx: string; statement: string }) => `${r.tx}/${r.statement}`)).size).toBe(1);
  });

  it("answers an account's newest page, filtered or not, from an index without sorting", async () => {
    const symbols = ['BTCUSD', 'ETHUSD', 'AAPL', 'MSFT'];
    const events = Array.from({ length: 20_000 }, (_, i) => recorded({
      accountId: `acct${i % 10}`, symbol: symbols[Math.floor(i / 10) % 4], strategy: `strategy${Math.floor(i / 10) % 7}`, side: (['buy', 'sell', 'close'] as const)[i % 3],
      time: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    }));
    for (let i = 0; i < events.length; i += 2000) await apply(events.slice(i, i + 2000));
    await db.query('analyze signals');
    const plan = async (filter: Partial<SignalPageFilter>) => {
      const { sql, params } = signalPageQuery('acct7', { after: ['2024-01-10T00:00:00.000Z', 'zzz'], limit: 51, ...filter });
      const rows: { 'QUERY PLAN': string }[] = await db.query(`explain ${sql}`, params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    const shapes: [Partial<SignalPageFilter>, string][] = [
      [{}, 'signals_by_account'], [{ after: undefined }, 'signals_by_account'], [{ side: 'buy', from: '2024-01-02T00:00:00Z' }, 'signals_by_account'],
      [{ symbol: 'AAPL' }, 'signals_by_account_symbol'], [{ strategy: 'strategy3' }, 'signals_by_account_strategy'],
    ];
    for (const [filter, index] of shapes) {
      const text = await plan(filter);
      expect({ filter, text }).toEqual({ filter, text: expect.stringContaining(`Index Scan using ${index} on signals`) });
      expect(text).not.toMatch(/Sort|Seq Scan/);
    }
  });

  it('pages newest first through rows that share a time', async () => {
    await apply(['x3', 'x1', 'x2', 'x0'].map((signalId, i) => recorded({ signalId, accountId: 'tied', time: i < 3 ? '2024-06-01T00:00:00.000Z' : '2024-05-01T00:00:00.000Z' })));
    const page = async (after?: [string, string]) => {
      const { sql, params } = signalPageQuery('tied', { after, limit: 2 });
      return (await pool(db).query<SignalTextRow>({ text: sql, values: params, rowMode: 'array' })).rows;
    };
    const first = await page();
    const last = first[first.length - 1];
    const second = await page([isoMillis(last[6]), last[0]]);
    expect([...first, ...second].map((r) => [r[0], isoMillis(r[6])])).toEqual([
      ['x3', '2024-06-01T00:00:00.000Z'], ['x2', '2024-06-01T00:00:00.000Z'], ['x1', '2024-06-01T00:00:00.000Z'], ['x0', '2024-05-01T00:00:00.000Z'],
    ]);
    expect(JSON.parse(signalJson(first[0]))).toEqual({
      signalId: 'x3', symbol: 'BTCUSD', side: 'buy', strategy: 'sma-cross', strength: '0.75', price: '64000.5', time: '2024-06-01T00:00:00.000Z',
      metadata: { tf: '1h', tags: ['tv'] }, source: 'api', receivedAt: '2024-03-01T14:30:01.250Z',
    });
  });

  it('renders free text, nulls and sub-millisecond times as the API sends them, whatever the session DateStyle', async () => {
    await apply([
      recorded({ signalId: 'q"\\1', accountId: 'text', strategy: 'mean "reversion"\n\\ 東京', price: null, strength: '0.1000', time: '2024-02-29T23:59:59.9999Z', receivedAt: '2024-03-01T00:00:00Z', metadata: { note: 'a "b"' } }),
      recorded({ signalId: 'q2', accountId: 'text', time: '2024-02-29T23:59:59.05+02:00' }),
    ]);
    const client = await pool(db).connect();
    try {
      await client.query("set datestyle = 'SQL, DMY'; set timezone = 'America/New_York'");
      const { sql, params } = signalPageQuery('text', { limit: 10 });
      const { rows } = await client.query<SignalTextRow>({ text: sql, values: params, rowMode: 'array' });
      expect(rows.map((r) => JSON.parse(signalJson(r)))).toEqual([
        {
          signalId: 'q"\\1', symbol: 'BTCUSD', side: 'buy', strategy: 'mean "reversion"\n\\ 東京', strength: '0.1000', price: null,
          time: '2024-02-29T23:59:59.999Z', metadata: { note: 'a "b"' }, source: 'api', receivedAt: '2024-03-01T00:00:00.000Z',
        },
        expect.objectContaining({ signalId: 'q2', time: '2024-02-29T21:59:59.050Z' }),
      ]);
    } finally {
      await client.query('reset datestyle; reset timezone');
      client.release();
    }
  });
});
