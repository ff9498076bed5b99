export interface RefreshedCacheOptions<V> {
  /** How long an entry may answer at most: a change made on another instance shows within it. */
  ttlMs: number;
  /** An entry in use is read again this long after it was cached, in the background, while it still answers. */
  refreshAfterMs: number;
  maxEntries: number;
  /** Whether a read that found nothing is cached too (null answers). */
  cacheAbsent: boolean;
  read: (key: string) => Promise<V | null>;
  /** Milliseconds on a clock that only moves forward. */
  now?: () => number;
}

/**
 * A read-through cache for the hot lookups of the request path (API keys, webhooks), in memory.
 *
 * An entry in use never makes a request wait: past `refreshAfterMs` it is read again in the
 * background while it still answers. Entries that all expired together used to send every
 * caller's next request to the database at once, every TTL, behind the projections' transactions
 * on the same pool: Submit Order's 80-160 ms stalls. An idle entry past its TTL waits for the read,
 * so nothing older than the TTL is ever answered. Concurrent reads of a key are one read, and a
 * read that started before `forget` caches nothing.
 *
 * Written here rather than taken from lru-cache: its stale-while-revalidate answers a stale entry
 * however old it is, and the TTL bound above is what lets a revoked key stop working in time.
 */
export class RefreshedCache<V> {
  private readonly entries = new Map<string, { value: V | null; refreshAt: number; expiresAt: number }>();
  private readonly reads = new Map<string, Promise<V | null>>();
  /** Moves on every forget: a read that started before it must not cache what it found. */
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: RefreshedCacheOptions<V>) {
    this.now = options.now ?? (() => performance.now());
  }

  get(key: string): Promise<V | null> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= now) return this.read(key);
    if (entry.refreshAt <= now) this.read(key).catch(() => undefined);
    return Promise.resolve(entry.value);
  }

  /** Drops the entries `which` picks, and keeps reads now in flight from caching. */
  forget(which: (key: string, value: V | null) => boolean): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (which(key, entry.value)) this.entries.delete(key);
  }

  private read(key: string): Promise<V | null> {
    const running = this.reads.get(key);
    if (running) return running;
    const read = this.readAndKeep(key).finally(() => this.reads.delete(key));
    this.reads.set(key, read);
    return read;
  }

  private async readAndKeep(key: string): Promise<V | null> {
    const generation = this.generation;
    const value = await this.options.read(key);
    this.entries.delete(key);
    if (generation !== this.generation || (value === null && !this.options.cacheAbsent)) return value;
    const now = this.now();
    this.entries.set(key, { value, refreshAt: now + this.options.refreshAfterMs, expiresAt: now + this.options.ttlMs });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
