import { DataSource } from 'typeorm';
import type { RecordedEvent } from '#eventstore';
import { runMigrations } from '#libs/platform';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { apiKeysProjection, recordIssuedKey } from './api-keys.projection.js';

let seq = 0n;
const recorded = (type: string, revision: bigint, data: Record<string, unknown>): RecordedEvent => ({
  id: `00000000-0000-4000-8000-${(++seq).toString().padStart(12, '0')}`, type, streamId: `account-${String(data.accountId)}`, revision,
  position: { commit: seq, prepare: seq }, data, metadata: {}, createdAt: new Date(),
});
const opened = (accountId: string, apiKeyHash: string) =>
  recorded('AccountOpened', 0n, { accountId, name: 'n', openingDeposit: '0', settings: {}, apiKeyHash, openedAt: '2024-01-01T00:00:00.000Z' });
const rotated = (accountId: string, apiKeyHash: string, revision: bigint, at: string) => recorded('ApiKeyRotated', revision, { accountId, apiKeyHash, at });

describe('api-keys projection', () => {
  let database: TestDatabase;
  let db: DataSource;
  const apply = (event: RecordedEvent) => db.transaction((tx) => apiKeysProjection.apply(event, tx));
  const keys = (accountId: string) =>
    db.query(`select key_hash, revision::int, revoked_at is null as active, revoked_at from api_keys where account_id = $1 order by revision`, [accountId]);

  beforeAll(async () => {
    database = await createTestDatabase('api_keys');
    await runMigrations(database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('keeps only the latest key active, revoked at the time of the rotation', async () => {
    await apply(opened('a1', 'h0'));
    await apply(rotated('a1', 'h1', 3n, '2024-01-02T00:00:00.000Z'));
    await apply(rotated('a1', 'h2', 7n, '2024-01-03T00:00:00.000Z'));
    expect(await keys('a1')).toEqual([
      { key_hash: 'h0', revision: 0, active: false, revoked_at: new Date('2024-01-02T00:00:00.000Z') },
      { key_hash: 'h1', revision: 3, active: false, revoked_at: new Date('2024-01-03T00:00:00.000Z') },
      { key_hash: 'h2', revision: 7, active: true, revoked_at: null },
    ]);
  });

  it('converges when the request path wrote the rows first and in the wrong order', async () => {
    await db.transaction((tx) => recordIssuedKey(tx, { keyHash: 'k2', accountId: 'a2', revision: 2n, at: '2024-01-03T00:00:00.000Z' }));
    await db.transaction((tx) => recordIssuedKey(tx, { keyHash: 'k1', accountId: 'a2', revision: 1n, at: '2024-01-02T00:00:00.000Z' }));
    await apply(opened('a2', 'k0'));
    await apply(rotated('a2', 'k1', 1n, '2024-01-02T00:00:00.000Z'));
    await apply(rotated('a2', 'k2', 2n, '2024-01-03T00:00:00.000Z'));
    expect(await keys('a2')).toEqual([
      { key_hash: 'k0', revision: 0, active: false, revoked_at: new Date('2024-01-02T00:00:00.000Z') },
      { key_hash: 'k1', revision: 1, active: false, revoked_at: new Date('2024-01-03T00:00:00.000Z') },
      { key_hash: 'k2', revision: 2, active: true, revoked_at: null },
    ]);
  });

  it('leaves other accounts alone', async () => {
    await apply(opened('a3', 'm0'));
    await apply(rotated('a4', 'x1', 1n, '2024-01-05T00:00:00.000Z'));
    expect(await keys('a3')).toEqual([{ key_hash: 'm0', revision: 0, active: true, revoked_at: null }]);
  });
});
