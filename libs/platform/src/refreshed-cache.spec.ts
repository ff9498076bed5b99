import { RefreshedCache } from './refreshed-cache.js';

describe('RefreshedCache', () => {
  let clock = 0;
  let reads: string[] = [];
  let values: Record<string, string | null> = {};
  const cache = (cacheAbsent: boolean) => new RefreshedCache<string>({
    ttlMs: 5_000, refreshAfterMs: 3_000, maxEntries: 2, cacheAbsent, now: () => clock,
    read: async (key) => {
      reads.push(key);
      return values[key] ?? null;
    },
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    clock = 0;
    reads = [];
    values = { a: 'A', b: 'B', c: 'C' };
  });

  it('answers from memory until the refresh point, then answers and reads again in the background', async () => {
    const c = cache(false);
    expect(await Promise.all([c.get('a'), c.get('a'), c.get('a')])).toEqual(['A', 'A', 'A']);
    clock = 2_999;
    values.a = 'A2';
    expect(await c.get('a')).toBe('A');
    clock = 3_000;
    expect(await c.get('a')).toBe('A'); // still the cached answer; the read goes on behind it
    await settle();
    expect(await c.get('a')).toBe('A2');
    expect(reads).toEqual(['a', 'a']);
  });

  it('makes an idle entry past its TTL wait for the read', async () => {
    const c = cache(false);
    await c.get('a');
    values.a = null;
    clock = 5_000;
    expect(await c.get('a')).toBeNull();
  });

  it('caches absent keys only when asked to', async () => {
    const without = cache(false);
    await without.get('x');
    await without.get('x');
    expect(reads).toEqual(['x', 'x']);
    reads = [];
    const withAbsent = cache(true);
    await withAbsent.get('x');
    await withAbsent.get('x');
    expect(reads).toEqual(['x']);
  });

  it('keeps a read that started before forget from caching, and evicts the oldest beyond maxEntries', async () => {
    const c = cache(false);
    const inFlight = c.get('a');
    c.forget((key) => key === 'a');
    expect(await inFlight).toBe('A');
    await c.get('a');
    expect(reads).toEqual(['a', 'a']);
    await c.get('b');
    await c.get('c'); // a is the oldest of three: evicted
    reads = [];
    await c.get('a');
    await c.get('c');
    expect(reads).toEqual(['a']);
  });
});
