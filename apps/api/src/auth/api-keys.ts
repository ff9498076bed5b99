import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashApiKey, recordIssuedKey, type IssuedKey } from '#projections/api-keys';

const KEY_PATTERN = /^tk_[A-Za-z0-9_-]{43}$/;
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

// The key format and its hash belong to the api_keys read model; re-exported for the API's callers.
export { hashApiKey, newApiKey } from '#projections/api-keys';

/**
 * Resolves keys to accounts from the api_keys read model, with a short in-process cache so the
 * hot read paths do not query for every request. A rotation in this process forgets the account's
 * entries at once; other instances stop accepting a revoked key within the TTL. Unknown keys are
 * not cached: a key issued on another instance must work there on the next request.
 */
@Injectable()
export class ApiKeys {
  private readonly cache = new Map<string, { accountId: string; expiresAt: number }>();

  constructor(private readonly db: DataSource) {}

  async accountFor(key: string): Promise<string | null> {
    if (!KEY_PATTERN.test(key)) return null;
    const keyHash = hashApiKey(key);
    const now = Date.now();
    const cached = this.cache.get(keyHash);
    if (cached && cached.expiresAt > now) return cached.accountId;
    const rows: { account_id: string }[] = await this.db.query('select account_id from api_keys where key_hash = $1 and revoked_at is null', [keyHash]);
    if (!rows.length) {
      this.cache.delete(keyHash);
      return null;
    }
    this.cache.delete(keyHash);
    this.cache.set(keyHash, { accountId: rows[0].account_id, expiresAt: now + CACHE_TTL_MS });
    if (this.cache.size > CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return rows[0].account_id;
  }

  /** Called right after the event that issued the key is appended: see recordIssuedKey. */
  async issued(key: IssuedKey): Promise<void> {
    await this.db.transaction((tx) => recordIssuedKey(tx, key));
    this.forgetAccount(key.accountId);
  }

  forgetAccount(accountId: string): void {
    for (const [hash, entry] of this.cache) if (entry.accountId === accountId) this.cache.delete(hash);
  }
}
