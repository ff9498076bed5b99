import pg from 'pg';
import { PreparingClient } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';

describe('PreparingClient', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createTestDatabase('prepared');
    pool = new pg.Pool({ connectionString: db.url, max: 1, Client: PreparingClient });
    await pool.query('create table quotes (symbol text primary key, price numeric not null)');
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const prepared = async () =>
    (await pool.query<{ statement: string }>('select statement from pg_prepared_statements order by statement')).rows.map((r) => r.statement);

  it('plans a parameterised statement once per connection and reuses it with other values', async () => {
    const insert = 'insert into quotes (symbol, price) values ($1, $2)';
    await pool.query(insert, ['AAPL', '190.5']);
    await pool.query(insert, ['MSFT', '410']);
    await pool.query({ text: 'select price::text as price from quotes where symbol = $1', values: ['MSFT'] });
    const { rows } = await pool.query({ text: 'select price::text as price from quotes where symbol = $1', values: ['AAPL'] });
    expect(rows).toEqual([{ price: '190.5' }]);
    expect(await prepared()).toEqual([insert, 'select price::text as price from quotes where symbol = $1']);
  });

  it('leaves statements without parameters, and utility statements, unnamed', async () => {
    await pool.query('select count(*) from quotes');
    await pool.query('begin');
    await pool.query('lock table quotes in share mode');
    await pool.query('commit');
    expect(await prepared()).not.toContain('select count(*) from quotes');
    expect((await prepared()).some((s) => s.startsWith('lock'))).toBe(false);
  });

  it('plans statements with array parameters per call, with the array in hand', async () => {
    const { rows } = await pool.query('select symbol from quotes where symbol = any($1) order by symbol', [['AAPL', 'MSFT']]);
    await pool.query('select symbol from quotes s join unnest($1::text[]) k(id) on s.symbol = k.id', [['AAPL']]);
    expect(rows).toEqual([{ symbol: 'AAPL' }, { symbol: 'MSFT' }]);
    expect((await prepared()).filter((s) => s.includes('any(') || s.includes('unnest('))).toEqual([]);
  });

  it('reports a failing statement as pg would, and the connection stays usable', async () => {
    await expect(pool.query('insert into quotes (symbol, price) values ($1, $2)', ['AAPL', '1'])).rejects.toMatchObject({ code: '23505' });
    const { rows } = await pool.query('select count(*)::int as n from quotes where price > $1', ['0']);
    expect(rows).toEqual([{ n: 2 }]);
  });
});
