import { fileURLToPath } from 'node:url';
import { heatmap } from './heatmap.js';
import { MedianPruner } from './pruner.js';
import { backtestPool, optimizeStrategy, walkForwardStrategy } from './strategy-study.js';
import type { Trial } from './types.js';

const source = { csvFile: fileURLToPath(new URL('../fixtures/GOOG.csv', import.meta.url)) };
const space = [
  { name: 'fast', type: 'int' as const, low: 5, high: 30, step: 5 },
  { name: 'slow', type: 'int' as const, low: 10, high: 60, step: 10 },
];
const table = (trials: Trial[]) => trials.map((t) => [t.number, t.params, t.state, t.value, t.violation]);

describe('strategy optimisation on GOOG daily', () => {
  it('given a grid with the strategy constraint, then only fast < slow runs, and threads do not change the table', async () => {
    const base = { strategy: 'sma-cross', source, space, sampler: 'grid' as const, objective: 'sharpe' as const, minTrades: 50 };
    const inProcess = await optimizeStrategy(base);
    const threaded = await optimizeStrategy({ ...base, threads: 2 });
    expect(inProcess.trials.every((t) => (t.params.fast as number) < (t.params.slow as number))).toBe(true);
    expect(inProcess.trials).toHaveLength(27); // 36 pairs minus the 9 with fast >= slow
    expect(table(threaded.trials)).toEqual(table(inProcess.trials));
    const infeasible = inProcess.trials.filter((t) => t.state === 'infeasible');
    expect(infeasible.length).toBe(14); // runs with 39..49 trades
    expect((inProcess.best?.attrs?.stats as { trades: number }).trades).toBeGreaterThanOrEqual(50);
    for (const t of infeasible) expect((t.attrs?.stats as { trades: number }).trades).toBe(50 - (t.violation as number));
    const best = inProcess.best as Trial;
    expect(best.value).toBe((best.attrs?.stats as { sharpe: number }).sharpe);
    const map = heatmap(inProcess.trials, 'fast', 'slow');
    expect(map.x.values).toEqual([5, 10, 15, 20, 25, 30]);
    expect(map.y.values).toEqual([10, 20, 30, 40, 50, 60]);
    expect(Math.max(...map.z.flat().filter((v): v is number => v !== null))).toBe(best.value);
  });

  it('given a custom objective and TPE, then 1 and 2 threads give identical tables', async () => {
    const pools = [backtestPool(1), backtestPool(2)];
    try {
      const run = (i: number) => optimizeStrategy({
        strategy: 'sma-cross', source, sampler: 'tpe', seed: 3, nTrials: 30, pool: pools[i],
        objective: (s) => s.returnPct / Math.max(1, -(s.maxDrawdownPct as number)),
      });
      const [one, two] = [await run(0), await run(1)];
      expect(table(two.trials)).toEqual(table(one.trials));
      const s = one.best?.attrs?.stats as { returnPct: number; maxDrawdownPct: number };
      expect(one.best?.value).toBeCloseTo(s.returnPct / Math.max(1, -s.maxDrawdownPct), 12);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
  });

  it('given a median pruner, then losing runs stop early with their equity as value', async () => {
    const study = await optimizeStrategy({
      strategy: 'sma-cross', source, sampler: 'random', seed: 1, nTrials: 40, batchSize: 8,
      pruner: new MedianPruner({ nStartupTrials: 8, nWarmupSteps: 2 }),
    });
    const pruned = study.trials.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(3);
    for (const t of pruned) {
      const steps = Object.keys(t.intermediate ?? {}).map(Number);
      expect(Math.max(...steps)).toBeGreaterThanOrEqual(2);
      expect(t.value).toBe(t.intermediate?.[Math.max(...steps)]);
    }
  });

  it('runs walk-forward: in-sample best per train fold, out-of-sample stats on the test fold', async () => {
    const result = await walkForwardStrategy({
      strategy: 'sma-cross', source, space, sampler: 'grid', objective: 'return', folds: { folds: 3, mode: 'anchored' }, threads: 2,
    });
    expect(result.folds.map((f) => [f.fold.train[0], f.fold.test[1]])).toEqual([[0, 1432], [0, 1790], [0, 2148]]);
    for (const f of result.folds) {
      const best = Math.max(...f.trials.filter((t) => t.state === 'complete').map((t) => t.value as number));
      expect(f.inSample?.value).toBe(best);
      const oos = f.outOfSample?.attrs?.stats as { returnPct: number; start: number };
      expect(f.outOfSample?.value).toBe(oos.returnPct);
      expect(oos.start).toBeGreaterThan(0);
    }
    expect(result.meanOutOfSample).not.toBe(result.meanInSample);
  });
});
