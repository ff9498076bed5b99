import type { EntityManager } from 'typeorm';

/**
 * Acts on items with one key strictly one after another, in the given order, and on different
 * keys at once; answers in input order. A lane stops at its first failure (a later item of that
 * key never overtakes an earlier one), and every lane settles before the first failure is thrown,
 * so nothing of a failed batch still runs while the runner redelivers it.
 */
export const inLanes = <T, R>(items: readonly T[], keyOf: (item: T) => string, act: (item: T) => Promise<R>): Promise<R[]> =>
  new Lanes().run(items, keyOf, act);

/**
 * inLanes for a pipelined saga, whose next batch starts acting while this one is still at work: a
 * key's items wait for that key's lane of the earlier batches, and fail with it, so one account's
 * signals still act in log order across batches. A lane is forgotten once it settles, so a batch
 * redelivered after a failure starts on clean lanes (the runner waits for every batch in flight first).
 */
export class Lanes {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T, R>(items: readonly T[], keyOf: (item: T) => string, act: (item: T) => Promise<R>): Promise<R[]> {
    const lanes = new Map<string, number[]>();
    items.forEach((item, index) => {
      const key = keyOf(item);
      const lane = lanes.get(key);
      if (lane) lane.push(index);
      else lanes.set(key, [index]);
    });
    const results = new Array<R>(items.length);
    const running = [...lanes].map(([key, lane]) => {
      const earlier = this.tails.get(key);
      const tail = (async () => {
        await earlier;
        for (const index of lane) results[index] = await act(items[index]);
      })();
      this.tails.set(key, tail);
      const forget = () => {
        if (this.tails.get(key) === tail) this.tails.delete(key);
      };
      tail.then(forget, forget);
      return tail;
    });
    const settled = await Promise.allSettled(running);
    const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return results;
  }
}

/**
 * A batch's reads, one query at a time in the order they were asked, so their answers come back in
 * that order (a saga that reserves in signal order relies on it). A read that fails fails every
 * read queued after it, as inside a transaction: a later signal never acts ahead of an earlier one
 * whose read failed; the batch is redelivered.
 */
export function oneQueryAtATime(db: EntityManager): Pick<EntityManager, 'query'> {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    query: <T>(sql: string, parameters?: unknown[]) => {
      const run = tail.then(() => db.query<T>(sql, parameters));
      tail = run;
      return run;
    },
  } as Pick<EntityManager, 'query'>;
}
