import type { EntityManager } from 'typeorm';
import { inLanes, Lanes, oneQueryAtATime } from './lanes.js';

/** A promise settled from outside, to hold one item's act until the test lets it go. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Lanes whose act on 'a1' waits for the gate; `started` lists the items acted on, in order. */
function heldOnA1() {
  const lanes = new Lanes();
  const held = gate();
  const started: string[] = [];
  const act = async (item: string) => {
    started.push(item);
    if (item === 'a1') await held.promise;
    return item;
  };
  const run = (items: string[]) => lanes.run(items, (item) => item[0], act);
  return { held, started, run };
}

describe('lanes', () => {
  it('acts on one key in order and on different keys at once, answering in input order', async () => {
    const log: string[] = [];
    const results = await inLanes(['a1', 'b1', 'a2', 'b2'], (item) => item[0], async (item) => {
      log.push(`start ${item}`);
      await settle();
      log.push(`end ${item}`);
      return item.toUpperCase();
    });
    expect(results).toEqual(['A1', 'B1', 'A2', 'B2']);
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it("makes a later batch's items of a key wait for that key's earlier batch, and lets other keys go at once", async () => {
    const { held, started, run } = heldOnA1();
    const first = run(['a1']);
    const second = run(['a2', 'b1']);
    await settle();
    expect(started).toEqual(['a1', 'b1']);
    held.open();
    expect(await first).toEqual(['a1']);
    expect(await second).toEqual(['a2', 'b1']);
    expect(started).toEqual(['a1', 'b1', 'a2']);
  });

  it("fails a later batch's items of a key whose earlier lane failed, without acting on them, and starts clean once both settled", async () => {
    const { held, started, run } = heldOnA1();
    const first = run(['a1']);
    const second = run(['a2', 'b1']);
    held.fail(new Error('outage'));
    await expect(first).rejects.toThrow('outage');
    await expect(second).rejects.toThrow('outage');
    expect(started).toEqual(['a1', 'b1']);
    // The redelivered batch finds no failed lane left behind.
    expect(await run(['a3', 'a4'])).toEqual(['a3', 'a4']);
  });
});

describe('oneQueryAtATime', () => {
  it('reads one query at a time in the order asked, and fails every read queued after one that failed', async () => {
    const asked: string[] = [];
    let running = 0;
    const db = {
      query: async (sql: string) => {
        running++;
        expect(running).toBe(1);
        asked.push(sql);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (sql === 'fails') throw new Error('connection lost');
        return [sql];
      },
    } as unknown as EntityManager;
    const reads = oneQueryAtATime(db);
    const outcomes = await Promise.allSettled(['a', 'b', 'fails', 'c'].map((sql) => reads.query(sql)));
    expect(asked).toEqual(['a', 'b', 'fails']);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([['a'], ['b'], 'connection lost', 'connection lost']);
  });
});
