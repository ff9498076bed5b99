import pg from 'pg';
import { PostgresEventStore } from '../src/index.js';
import { createTestDatabase } from '../../test/support/database.js';
import { runMigrations } from '../../test/support/migrate.js';
import { describeEventStoreContract } from './contract/event-store.contract.js';

describeEventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase('es_contract');
  await runMigrations(db.url);
  const store = new PostgresEventStore({ connectionString: db.url, subscription: { pollMs: 100 } });
  return {
    store,
    async openTransaction() {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('begin');
      return {
        append: async (streamId, events) => void (await store.appendToStream(streamId, events, { client })),
        commit: async () => void (await client.query('commit').finally(() => client.end())),
        rollback: async () => void (await client.query('rollback').finally(() => client.end())),
      };
    },
    async close() {
      await store.close();
      await db.drop();
    },
  };
});
