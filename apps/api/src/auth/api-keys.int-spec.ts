import { DataSource } from 'typeorm';
import { newApiKey, recordIssuedKey } from '#projections/api-keys';
import { runMigrations } from '../../../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { ApiKeys, hashApiKey } from './api-keys.js';

describe('ApiKeys (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let clock = 0;
  let reads = 0;
  /** The real database, its reads of api_keys counted. */
  let counted: DataSource;

  const issue = async (accountId: string, revision: bigint, at: string) => {
    const key = newApiKey();
    await db.transaction((tx) => recordIssuedKey(tx, { keyHash: hashApiKey(key), accountId, revision, at }));
    return key;
  };
  const keys = () => new ApiKeys(counted, () => clock);

  beforeAll(async () => {
    database = await createTestDatabase('api_keys_cache');
    await runMigrations(database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    counted = new Proxy(db, {
      get: (target, property, receiver) => (property === 'query'
        ? (...args: Parameters<DataSource['query']>) => (reads++, target.query(...args))
        : Reflect.get(target, property, receiver)),
    });
  });
  beforeEach(() => {
    clock = 0;
    reads = 0;
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('reads a key once for many requests at once, then answers it from memory', async () => {
    const key = await issue('acc-many', 0n, '2024-03-04T14:00:00.000Z');
    const apiKeys = keys();
    expect(await Promise.all(Array.from({ length: 20 }, () => apiKeys.accountFor(key)))).toEqual(Array(20).fill('acc-many'));
    clock = 2_000;
    expect(await apiKeys.accountFor(key)).toBe('acc-many');
    expect(reads).toBe(1);
  });

  it('reads a key in use again in the background before it expires, so no request waits for it', async () => {
    const key = await issue('acc-busy', 0n, '2024-03-04T14:00:00.000Z');
    const apiKeys = keys();
    await apiKeys.accountFor(key);
    for (const at of [3_100, 6_200, 9_300, 12_400]) { // each past the refresh point of the read before, none past its expiry
      clock = at;
      // Answered from memory (past the refresh point, before the expiry), one read started behind it.
      expect(await Promise.all([apiKeys.accountFor(key), apiKeys.accountFor(key)])).toEqual(['acc-busy', 'acc-busy']);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(reads).toBe(5);
  });

  it('stops accepting a key revoked by another instance within the TTL', async () => {
    const old = await issue('acc-rotated', 0n, '2024-03-04T14:00:00.000Z');
    const apiKeys = keys();
    expect(await apiKeys.accountFor(old)).toBe('acc-rotated');
    await issue('acc-rotated', 1n, '2024-03-04T14:05:00.000Z'); // another instance rotates the key
    clock = 4_000;
    expect(await apiKeys.accountFor(old)).toBe('acc-rotated'); // still inside the TTL; the background read finds it revoked
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await apiKeys.accountFor(old)).toBeNull();
    const idle = keys();
    clock = 0;
    const other = await issue('acc-idle', 0n, '2024-03-04T14:00:00.000Z');
    expect(await idle.accountFor(other)).toBe('acc-idle');
    await issue('acc-idle', 1n, '2024-03-04T14:05:00.000Z');
    clock = 5_000; // expired: the request waits for the read
    expect(await idle.accountFor(other)).toBeNull();
  });

  it('does not cache what a read found if the account rotated its key while the read was out', async () => {
    const key = await issue('acc-race', 0n, '2024-03-04T14:00:00.000Z');
    const apiKeys = keys();
    const read = apiKeys.accountFor(key);
    apiKeys.forgetAccount('acc-race'); // a rotation in this process, while the read is in flight
    expect(await read).toBe('acc-race');
    await apiKeys.accountFor(key);
    expect(reads).toBe(2);
  });
});
