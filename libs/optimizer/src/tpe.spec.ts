import { median } from './pruner.js';
import { RandomSampler } from './random.js';
import { inProcess, optimize } from './study.js';
import { branin, hartmann6, type TestFunction } from './testfns.js';
import { TpeSampler, defaultGamma, defaultWeights, splitTrials } from './tpe.js';
import type { Sampler, Trial } from './types.js';

async function bestValue(f: TestFunction, sampler: Sampler, nTrials: number): Promise<number> {
  const study = await optimize({ sampler, evaluator: inProcess(f.fn), nTrials, direction: 'minimize' });
  return study.best?.value as number;
}

async function medians(f: TestFunction, nTrials: number): Promise<{ tpe: number; random: number }> {
  const tpe: number[] = [], random: number[] = [];
  for (let seed = 1; seed <= 20; seed++) {
    tpe.push(await bestValue(f, new TpeSampler(f.space, { seed }), nTrials));
    random.push(await bestValue(f, new RandomSampler(f.space, { seed }), nTrials));
  }
  return { tpe: median(tpe), random: median(random) };
}

describe('TPE sampler', () => {
  it('given Branin and 60 trials, when compared over 20 seeds, then its median best beats random search', async () => {
    const { tpe, random } = await medians(branin, 60);
    expect(tpe).toBeLessThan(random);
    expect(tpe - branin.minimum).toBeLessThan(0.5);
  });

  it('given 6-d Hartmann and 100 trials, when compared over 20 seeds, then its median best beats random search', async () => {
    const { tpe, random } = await medians(hartmann6, 100);
    expect(tpe).toBeLessThan(random);
    expect(tpe).toBeLessThan(-2.5);
  });

  it('uses Optuna default gamma and weights', () => {
    expect([1, 10, 11, 100, 250, 1000].map(defaultGamma)).toEqual([1, 1, 2, 10, 25, 25]);
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12);
    expect(w.slice(5)).toEqual(new Array(25).fill(1));
  });

  it('splits the best complete trials below, then pruned by depth, then least infeasible', () => {
    const t = (number: number, state: Trial['state'], value: number | null, extra: Partial<Trial> = {}): Trial =>
      ({ number, params: {}, state, value, ...extra });
    const trials = [
      t(0, 'complete', 1), t(1, 'complete', 5), t(2, 'pruned', 9, { intermediate: { 10: 9 } }),
      t(3, 'pruned', 2, { intermediate: { 20: 2 } }), t(4, 'infeasible', 7, { violation: 3 }), t(5, 'complete', 3),
    ];
    const split = (n: number) => splitTrials(trials, n, 'maximize').below.map((x) => x.number);
    expect(split(2)).toEqual([1, 5]);
    expect(split(4)).toEqual([0, 1, 3, 5]);
    expect(split(6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(splitTrials(trials, 1, 'minimize').below.map((x) => x.number)).toEqual([0]);
  });

  it('handles int, stepped, log and categorical parameters within their supports', async () => {
    const space = [
      { name: 'n', type: 'int' as const, low: 2, high: 50, step: 4 },
      { name: 'lr', type: 'float' as const, low: 1e-4, high: 1, log: true },
      { name: 'k', type: 'int' as const, low: 1, high: 1000, log: true },
      { name: 'q', type: 'float' as const, low: 0, high: 1, step: 0.25 },
      { name: 'mode', type: 'categorical' as const, choices: ['a', 'b', 'c'] },
    ];
    // Optimum: n=26, lr=0.01, k=100, q=0.75, mode='b'.
    const f = (p: Record<string, unknown>): number => Math.abs((p.n as number) - 26) / 10 + Math.abs(Math.log10(p.lr as number) + 2)
      + Math.abs(Math.log10(p.k as number) - 2) + Math.abs((p.q as number) - 0.75) + (p.mode === 'b' ? 0 : 1);
    const study = await optimize({ sampler: new TpeSampler(space, { seed: 7 }), evaluator: inProcess(f), nTrials: 120, direction: 'minimize' });
    for (const { params: p } of study.trials) {
      expect(((p.n as number) - 2) % 4).toBe(0);
      expect(p.n).toBeGreaterThanOrEqual(2);
      expect(p.n).toBeLessThanOrEqual(50);
      expect(Number.isInteger(p.k)).toBe(true);
      expect([0, 0.25, 0.5, 0.75, 1]).toContain(p.q);
      expect(p.lr).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr).toBeLessThanOrEqual(1);
    }
    const late = study.trials.slice(60);
    expect(late.filter((x) => x.params.mode === 'b').length).toBeGreaterThan(late.length / 2);
    expect(study.best?.value).toBeLessThan(0.8);
  });
});
