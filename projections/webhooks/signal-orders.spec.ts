import { atMost } from './signal-orders.js';

describe('atMost', () => {
  it('runs at most n works at once, the rest in call order, and frees the slot of a failed work', async () => {
    const run = atMost(2);
    const started: string[] = [];
    const finish = new Map<string, (fail: boolean) => void>();
    const work = (name: string) => () => {
      started.push(name);
      return new Promise<string>((resolve, reject) => finish.set(name, (fail) => (fail ? reject(new Error(name)) : resolve(name))));
    };
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    const results = ['a', 'b', 'c', 'd'].map((name) => run(work(name)));
    await flush();
    expect(started).toEqual(['a', 'b']);

    finish.get('a')!(true);
    await flush();
    expect(started).toEqual(['a', 'b', 'c']);
    await expect(results[0]).rejects.toThrow('a');

    finish.get('c')!(false);
    await flush();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    const late = run(work('e'));
    await flush();
    expect(started).toEqual(['a', 'b', 'c', 'd']);

    finish.get('b')!(false);
    finish.get('d')!(false);
    await flush();
    finish.get('e')!(false);
    expect(await Promise.all([results[1], results[2], results[3], late])).toEqual(['b', 'c', 'd', 'e']);
  });
});
