import pg from 'pg';
import { createTestDatabase } from './database.js';

describe('test database support', () => {
  it('gives each suite its own empty database', async () => {
    const db = await createTestDatabase('smoke');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('select current_database() as name');
    await client.end();
    await db.drop();
    expect(rows[0].name).toBe(db.name);
  });
});
