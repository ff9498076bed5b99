import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RefreshedCache } from '#libs/platform';
import { hashApiKey, recordIssuedKey, type IssuedKey } from '#projections/api-keys';

const KEY_PATTERN = /^tk_[A-Za-z0-9_-]{43}$/;

/** Milliseconds on a clock that only moves forward; tests inject their own. */
export const API_KEY_CLOCK = Symbol('API_KEY_CLOCK');

// The key format and its hash belong to the api_keys read model; re-exported for the API's callers.
export { hashApiKey, newApiKey } from '#projections/api-keys';

/**
 * Resolves keys to accounts from the api_keys read model, with a short in-process cache so the
 * hot read paths do not query for every request (RefreshedCache: a key in use is read again in
 * the background, so no request waits for it). A rotation in this process forgets the account's
 * entries at once; other instances stop accepting a revoked key within the TTL (5 s). Unknown keys
 * are not cached: a key issued on another instance must work there on the next request.
 */
@Injectable()
export class ApiKeys {
  private readonly cache: RefreshedCache<string>;

  constructor(private readonly db: DataSource, @Optional() @Inject(API_KEY_CLOCK) now?: () => number) {
    this.cache = new RefreshedCache({
      ttlMs: 5_000, refreshAfterMs: 3_000, maxEntries: 10_000, cacheAbsent: false, now,
      read: async (keyHash) => {
        const rows: { account_id: string }[] = await this.db.query('select account_id from api_keys where key_hash = $1 and revoked_at is null', [keyHash]);
        return rows[0]?.account_id ?? null;
      },
    });
  }

  accountFor(key: string): Promise<string | null> {
    return KEY_PATTERN.test(key) ? this.cache.get(hashApiKey(key)) : Promise.resolve(null);
  }

  /** Called right after the event that issued the key is appended: see recordIssuedKey. */
  async issued(key: IssuedKey): Promise<void> {
    await this.db.transaction((tx) => recordIssuedKey(tx, key));
    this.forgetAccount(key.accountId);
  }

  forgetAccount(accountId: string): void {
    this.cache.forget((_, account) => account === accountId);
  }
}
