import type { Projection, RecordedEvent } from '#eventstore';
import type { AccountOpened, ApiKeyRotated } from '#libs/trading';
import type { EntityManager } from 'typeorm';

export interface IssuedKey {
  keyHash: string;
  accountId: string;
  /** Account stream revision of the AccountOpened / ApiKeyRotated event that issued the key. */
  revision: bigint;
  at: string;
}

/**
 * Records a key and revokes every key the account had before it. Written twice for each key: by
 * the request that issued it (so the new key works on the next request, and the old one stops)
 * and by this projection (so a rebuild restores the table). Both writes commute: ordering by
 * stream revision rather than arrival, a key issued earlier is revoked even when its row lands
 * after the newer one, and the per-account lock keeps two concurrent writers from each missing
 * the other's uncommitted row.
 */
export async function recordIssuedKey(tx: EntityManager, key: IssuedKey): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended('api_keys:' || $1, 0))`, [key.accountId]);
  await tx.query(
    `with issued as (
       insert into api_keys (key_hash, account_id, revision, created_at, revoked_at)
       values ($1, $2, $3, $4, (select min(created_at) from api_keys where account_id = $2 and revision > $3))
       on conflict (key_hash) do nothing
     )
     update api_keys set revoked_at = $4
      where account_id = $2 and revision < $3 and (revoked_at is null or revoked_at > $4)`,
    [key.keyHash, key.accountId, key.revision.toString(), key.at],
  );
}

/**
 * Rebuilding this read model empties api_keys first: every client gets 401 until the replay has
 * passed its key (the in-process cache bridges a few seconds). Rebuild it at a quiet time.
 */
export const apiKeysProjection: Projection = {
  name: 'api-keys',
  handles: ['AccountOpened', 'ApiKeyRotated'],
  tables: ['api_keys'],
  async apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
    const { type, data } = event as unknown as AccountOpened | ApiKeyRotated;
    const at = type === 'AccountOpened' ? data.openedAt : data.at;
    await recordIssuedKey(tx, { keyHash: data.apiKeyHash, accountId: data.accountId, revision: event.revision, at });
  },
};
