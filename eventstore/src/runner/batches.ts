const TICK = Symbol('tick');
const nextTick = () => new Promise<typeof TICK>((resolve) => setImmediate(() => resolve(TICK)));

/**
 * Groups what an async iterator already holds into batches of up to `max`, without waiting for
 * more: a busy stream is applied many events per transaction, an idle one event by event with
 * no added latency.
 */
export async function* inBatches<T>(source: AsyncIterator<T>, maxOf: number | (() => number)): AsyncGenerator<T[]> {
  const limit = typeof maxOf === 'number' ? () => maxOf : maxOf;
  let pending = source.next();
  for (;;) {
    const first = await pending;
    if (first.done) return;
    const batch = [first.value];
    const max = limit();
    pending = source.next();
    while (batch.length < max) {
      const next = await Promise.race([pending, nextTick()]);
      if (next === TICK) break;
      if (next.done) {
        yield batch;
        return;
      }
      batch.push(next.value);
      pending = source.next();
    }
    yield batch;
  }
}
