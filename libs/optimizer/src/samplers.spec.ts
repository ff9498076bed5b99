import { GridSampler, gridValues } from './grid.js';
import { bandwidths, buildEstimator } from './parzen.js';
import { createRng } from './prng.js';
import { RandomSampler } from './random.js';
import { inProcess, optimize } from './study.js';
import { logGaussMass, ndtr, ndtri } from './truncnorm.js';

const parzen = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false };

describe('grid sampler', () => {
  it('given fast < slow, when enumerating 2..5 x 2..5, then only the 6 admissible pairs run in lexicographic order', async () => {
    const space = [
      { name: 'fast', type: 'int' as const, low: 2, high: 5 },
      { name: 'slow', type: 'int' as const, low: 2, high: 5 },
    ];
    const sampler = new GridSampler(space, { constraint: (p) => (p.fast as number) < (p.slow as number) });
    const study = await optimize({ sampler, evaluator: inProcess((p) => (p.slow as number) - (p.fast as number)) });
    expect(study.trials.map((t) => [t.params.fast, t.params.slow])).toEqual([[2, 3], [2, 4], [2, 5], [3, 4], [3, 5], [4, 5]]);
    expect(study.best?.params).toEqual({ fast: 2, slow: 5 });
  });

  it('enumerates stepped floats, log-spaced floats and categoricals', () => {
    expect(gridValues({ name: 'q', type: 'float', low: 0.1, high: 0.5, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(gridValues({ name: 'l', type: 'float', low: 1, high: 100, log: true }, 3).map((v) => Math.round(v as number))).toEqual([1, 10, 100]);
    expect(gridValues({ name: 'n', type: 'int', low: 10, high: 30, step: 7 })).toEqual([10, 17, 24]);
    expect(new GridSampler([{ name: 'c', type: 'categorical', choices: ['x', 'y'] }]).total).toBe(2);
  });
});

describe('random sampler', () => {
  const space = [
    { name: 'n', type: 'int' as const, low: 1, high: 4 },
    { name: 'lr', type: 'float' as const, low: 1e-3, high: 1e3, log: true },
    { name: 'c', type: 'categorical' as const, choices: ['a', 'b'] },
  ];

  it('given a seed, then draws are reproducible and cover the integer end points evenly', () => {
    const numbers = Array.from({ length: 4000 }, (_, i) => i);
    const draws = new RandomSampler(space, { seed: 3 }).ask([], numbers);
    expect(new RandomSampler(space, { seed: 3 }).ask([], numbers)).toEqual(draws);
    expect(new RandomSampler(space, { seed: 4 }).ask([], numbers)).not.toEqual(draws);
    const counts = [1, 2, 3, 4].map((v) => draws.filter((d) => d.n === v).length);
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
    // log-uniform: about half the draws fall below the geometric midpoint 1
    const belowOne = draws.filter((d) => (d.lr as number) < 1).length;
    expect(Math.abs(belowOne - 2000)).toBeLessThan(150);
  });

  it('given a constraint, then every draw satisfies it', () => {
    const draws = new RandomSampler(space, { seed: 1, constraint: (p) => p.n === 2 && p.c === 'b' }).ask([], [0, 1, 2, 3, 4]);
    expect(draws.every((d) => d.n === 2 && d.c === 'b')).toBe(true);
  });
});

describe('Parzen estimator', () => {
  it('computes Optuna bandwidths: farther neighbour, end points ignored, clipped to range/(n+2)', () => {
    expect(bandwidths([0.2, 0.5, 0.9], 0, 1, parzen).map((s) => +s.toFixed(12))).toEqual([0.3, 0.3, 0.4]);
    // two close points: magic clip raises sigma to 1 / min(100, 1 + 3) = 0.25
    expect(bandwidths([0.3, 0.32], 0, 1, parzen)).toEqual([0.25, 0.25]);
    const raw = bandwidths([0.3, 0.32], 0, 1, { ...parzen, considerMagicClip: false });
    expect(raw[0]).toBeCloseTo(0.02, 12); // first point: distance to its right neighbour only
    expect(raw[1]).toBeCloseTo(0.18, 12); // farther of 0.3 and the prior mean 0.5
    const ends = bandwidths([0.3, 0.32], 0, 1, { ...parzen, considerMagicClip: false, considerEndpoints: true });
    expect(ends[0]).toBeCloseTo(0.3, 12); // the lower bound 0 now counts as a neighbour
  });

  it('has a normalised density (float) and mass (int), and samples inside the bounds', () => {
    const pf = { name: 'x', type: 'float' as const, low: -2, high: 3 };
    const f = buildEstimator(pf, [-1.5, 0, 2.5], [1, 1, 1], parzen);
    let integral = 0;
    for (let x = -2 + 0.0005; x < 3; x += 0.001) integral += Math.exp(f.logPdf(x)) * 0.001;
    expect(integral).toBeCloseTo(1, 3);
    const pi = { name: 'k', type: 'int' as const, low: 1, high: 20 };
    const g = buildEstimator(pi, [3, 4, 18], [1, 1, 1], parzen);
    let mass = 0;
    for (let k = 1; k <= 20; k++) mass += Math.exp(g.logPdf(k));
    expect(mass).toBeCloseTo(1, 6);
    const rng = createRng(1);
    for (let i = 0; i < 500; i++) {
      const x = f.sample(rng), k = g.sample(rng);
      expect(x).toBeGreaterThanOrEqual(-2);
      expect(x).toBeLessThanOrEqual(3);
      expect(Number.isInteger(k) && k >= 1 && k <= 20).toBe(true);
    }
  });

  it('weights a categorical choice by its observations plus the prior', () => {
    const c = buildEstimator({ name: 'c', type: 'categorical', choices: ['a', 'b', 'c'] }, [1, 1], [1, 1], parzen);
    const p = [0, 1, 2].map((i) => Math.exp(c.logPdf(i)));
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    // rows: (1/3 + [x=1]) / 2 for the two kernels, uniform for the prior; mixture weights 1/3 each
    expect(p[1]).toBeCloseTo((2 * ((1 / 3 + 1) / 2) + 1 / 3) / 3, 12);
  });
});

describe('normal helpers', () => {
  it('match reference values of the normal CDF, its inverse and tail masses', () => {
    expect(ndtr(1.96)).toBeCloseTo(0.9750021, 6);
    expect(ndtri(0.975)).toBeCloseTo(1.959964, 6);
    expect(ndtri(1e-10)).toBeCloseTo(-6.361341, 4);
    // log Phi mass in [-40, -39]: log(phi(39)/39) to leading order, about -764.07
    expect(logGaussMass(-40, -39)).toBeCloseTo(-0.5 * 39 * 39 - Math.log(39) - 0.5 * Math.log(2 * Math.PI), 1);
    expect(logGaussMass(39, 40)).toBeCloseTo(logGaussMass(-40, -39), 9);
  });
});
