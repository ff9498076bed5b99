import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashApiKey, recordIssuedKey, type IssuedKey } from '#projections/api-keys';

const KEY_PATTERN = /^tk_[A-Za-z0-9_-]{43}$/;
/** How long a revoked key may still work on an instance that did not revoke it. */
const CACHE_TTL_MS = 5_000;
/** A key in use is read again this long after it was cached, in the background, before it expires. */
const REFRESH_AFTER_MS = 3_000;
const CACHE_MAX_ENTRIES = 10_000;

/** Milliseconds on a clock that only moves forward; tests inject their own. */
export const API_KEY_CLOCK = Symbol('API_KEY_CLOCK');

// The key format and its hash belong to the api_keys read model; re-exported for the API's callers.
export { hashApiKey, newApiKey } from '#projections/api-keys';

interface Cached {
  accountId: string;
  refreshAt: number;
  expiresAt: number;
}

/**
 * Resolves keys to accounts from the api_keys read model, with a short in-process cache so the
 * hot read paths do not query for every request. A rotation in this process forgets the account's
 * entries at once; other instances stop accepting a revoked key within the TTL. Unknown keys are
 * not cached: a key issued on another instance must work there on the next request.
 *
 * A key in use never makes a request wait for the read model: past REFRESH_AFTER_MS it is read
 * again in the background while its entry still answers. Entries that all expired together used
 * to send every account's next request to the database at once, every five seconds, behind the
 * projections' transactions on the same pool: Submit Order's 80-160 ms stalls.
 */
@Injectable()
export class ApiKeys {
  private readonly cache = new Map<string, Cached>();
  /** One read per key at a time, however many requests ask. */
  private readonly reads = new Map<string, Promise<string | null>>();
  /** Moves on every rotation here: a read that started before it must not cache what it found. */
  private generation = 0;

  constructor(private readonly db: DataSource, @Optional() @Inject(API_KEY_CLOCK) private readonly now: () => number = () => performance.now()) {}

  async accountFor(key: string): Promise<string | null> {
    if (!KEY_PATTERN.test(key)) return null;
    const keyHash = hashApiKey(key);
    const now = this.now();
    const cached = this.cache.get(keyHash);
    if (!cached || cached.expiresAt <= now) return this.read(keyHash);
    if (cached.refreshAt <= now) this.read(keyHash).catch(() => undefined);
    return cached.accountId;
  }

  /** Called right after the event that issued the key is appended: see recordIssuedKey. */
  async issued(key: IssuedKey): Promise<void> {
    await this.db.transaction((tx) => recordIssuedKey(tx, key));
    this.forgetAccount(key.accountId);
  }

  forgetAccount(accountId: string): void {
    this.generation++;
    for (const [hash, entry] of this.cache) if (entry.accountId === accountId) this.cache.delete(hash);
  }

  private read(keyHash: string): Promise<string | null> {
    const running = this.reads.get(keyHash);
    if (running) return running;
    const read = this.lookUp(keyHash).finally(() => this.reads.delete(keyHash));
    this.reads.set(keyHash, read);
    return read;
  }

  private async lookUp(keyHash: string): Promise<string | null> {
    const generation = this.generation;
    const rows: { account_id: string }[] = await this.db.query('select account_id from api_keys where key_hash = $1 and revoked_at is null', [keyHash]);
    this.cache.delete(keyHash);
    if (!rows.length) return null;
    if (generation === this.generation) {
      const now = this.now();
      this.cache.set(keyHash, { accountId: rows[0].account_id, refreshAt: now + REFRESH_AFTER_MS, expiresAt: now + CACHE_TTL_MS });
      if (this.cache.size > CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    }
    return rows[0].account_id;
  }
}
