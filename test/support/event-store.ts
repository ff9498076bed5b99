import { PostgresEventStore, type PostgresEventStoreOptions } from '../../eventstore/src/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { runMigrations } from './migrate.js';

export interface StoreSuite {
  db: TestDatabase;
  store: PostgresEventStore;
}

/**
 * For the describe block it is called in: a migrated database of the suite's own and a
 * PostgresEventStore on it, made before the first test, closed and dropped after the last.
 */
export function useEventStore(label: string, options: Omit<PostgresEventStoreOptions, 'connectionString' | 'pool'> = {}): StoreSuite {
  const suite = {} as StoreSuite;
  beforeAll(async () => {
    suite.db = await createTestDatabase(label);
    await runMigrations(suite.db.url);
    suite.store = new PostgresEventStore({ connectionString: suite.db.url, ...options });
  });
  afterAll(async () => {
    await suite.store?.close();
    await suite.db?.drop();
  });
  return suite;
}
