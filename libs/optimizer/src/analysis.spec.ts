import { GridSampler } from './grid.js';
import { heatmap } from './heatmap.js';
import { objectiveValue, scoreOutcome, type ScoredStats } from './objectives.js';
import { inProcess } from './study.js';
import type { Trial } from './types.js';
import { walkForward, walkForwardFolds, type Range } from './walk-forward.js';

const stats = (over: Partial<ScoredStats> = {}): ScoredStats =>
  ({ sharpe: 1.2, sortino: 1.9, calmar: 0.7, returnPct: 35, sqn: 2.1, trades: 12, ...over });

describe('objectives', () => {
  it('reads Sharpe, Sortino, Calmar, return and SQN from stats, or a custom function', () => {
    const s = stats();
    expect(['sharpe', 'sortino', 'calmar', 'return', 'sqn'].map((o) => objectiveValue(o as 'sharpe', s))).toEqual([1.2, 1.9, 0.7, 35, 2.1]);
    expect(objectiveValue((x) => x.returnPct / x.trades, s)).toBeCloseTo(35 / 12, 12);
  });

  it('given fewer trades than the minimum, then the trial is infeasible by the shortfall', () => {
    const under = scoreOutcome({ state: 'complete', value: null, attrs: { stats: stats({ trades: 3 }) } }, 'sharpe', 10);
    expect(under).toMatchObject({ state: 'infeasible', value: 1.2, violation: 7 });
    expect(scoreOutcome({ state: 'complete', value: null, attrs: { stats: stats() } }, 'sharpe', 10)).toMatchObject({ state: 'complete', value: 1.2 });
    expect(scoreOutcome({ state: 'complete', value: null, attrs: { stats: stats({ sharpe: NaN }) } }, 'sharpe')).toMatchObject({ state: 'failed', value: null });
    expect(scoreOutcome({ state: 'pruned', value: 9000, attrs: { stats: stats() } }, 'sharpe')).toMatchObject({ state: 'pruned', value: 9000 });
  });
});

describe('heatmap', () => {
  it('keeps the best completed value per (x, y) over the other parameters', () => {
    const t = (n: number, a: number, b: number, c: string, value: number, state: Trial['state'] = 'complete'): Trial =>
      ({ number: n, params: { a, b, c }, state, value });
    const map = heatmap([t(0, 10, 1, 'p', 0.5), t(1, 10, 1, 'q', 0.9), t(2, 5, 1, 'p', 0.1), t(3, 5, 2, 'p', 2, 'infeasible'), t(4, 10, 2, 'q', -1)], 'a', 'b');
    expect(map.x.values).toEqual([5, 10]);
    expect(map.y.values).toEqual([1, 2]);
    expect(map.z).toEqual([[0.1, 0.9], [null, -1]]);
    expect(heatmap([t(0, 10, 1, 'p', 0.5), t(1, 10, 1, 'q', 0.9)], 'a', 'b', 'minimize').z).toEqual([[0.5]]);
  });
});

describe('walk-forward', () => {
  it('tiles rolling and anchored folds over the series', () => {
    const rolling = walkForwardFolds(1000, { folds: 4 });
    expect(rolling.map((f) => [f.train, f.test])).toEqual([
      [[0, 432], [432, 574]], [[142, 574], [574, 716]], [[284, 716], [716, 858]], [[426, 858], [858, 1000]],
    ]);
    const anchored = walkForwardFolds(1000, { folds: 2, mode: 'anchored', trainBars: 600, testBars: 200 });
    expect(anchored.map((f) => [f.train, f.test])).toEqual([[[0, 600], [600, 800]], [[0, 800], [800, 1000]]]);
    expect(() => walkForwardFolds(10, { folds: 5, trainBars: 8, testBars: 1 })).toThrow('too short');
  });

  it('optimises each train fold and reports its best params out of sample on the test fold', async () => {
    // The optimum drifts with time: x* = centre of the window / 100.
    const f = (x: number, [a, b]: Range) => -((x - (a + b) / 200) ** 2);
    const evaluatorFor = (range: Range) => inProcess((p) => f(p.x as number, range));
    const space = [{ name: 'x', type: 'int' as const, low: 0, high: 10 }];
    const result = await walkForward({ folds: walkForwardFolds(1000, { folds: 4 }), evaluatorFor, samplerFor: () => new GridSampler(space) });
    expect(result.folds.map((r) => r.params?.x)).toEqual([2, 4, 5, 6]);
    expect(result.folds.map((r) => r.inSample?.value)).toEqual([-(0.16 ** 2), -(0.42 ** 2), -(0.0 ** 2), -(0.42 ** 2)].map((v) => expect.closeTo(v, 9)));
    expect(result.folds[0].outOfSample?.value).toBeCloseTo(-((2 - 5.03) ** 2), 9);
    expect(result.meanOutOfSample).toBeLessThan(result.meanInSample);
    expect(result.efficiency).toBeCloseTo(result.meanOutOfSample / result.meanInSample, 12);
    expect(result.folds.every((r) => r.trials.length === 11)).toBe(true);
  });
});
