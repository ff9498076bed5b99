import { MedianPruner, median } from './pruner.js';
import { compiledUrl, WorkerPool } from './pool.js';
import { RandomSampler } from './random.js';
import { inProcess, optimize, type Progress } from './study.js';
import { branin } from './testfns.js';
import * as ramp from './testfns.module.js';
import { moduleEvaluator } from './trial-module.js';
import { TpeSampler } from './tpe.js';
import type { Trial } from './types.js';

const xSpace = [{ name: 'x', type: 'float' as const, low: 0, high: 1 }];
const table = (trials: Trial[]) => trials.map((t) => [t.number, t.params, t.state, t.value]);

describe('study loop', () => {
  it('reports progress after every trial with the best so far', async () => {
    const seen: Progress[] = [];
    const study = await optimize({
      sampler: new RandomSampler(xSpace, { seed: 5 }), nTrials: 12, batchSize: 5,
      evaluator: inProcess((p) => p.x as number), onProgress: (p) => seen.push(p),
    });
    expect(seen.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(seen.every((p) => p.total === 12)).toBe(true);
    let best = -Infinity;
    seen.forEach((p, i) => {
      best = Math.max(best, study.trials[i].value as number);
      expect(p.best?.value).toBe(best);
    });
    expect(study.best?.value).toBe(Math.max(...study.trials.map((t) => t.value as number)));
  });

  it('given an abort between batches, then it stops after the running batch and keeps whole batches only', async () => {
    const controller = new AbortController();
    const study = await optimize({
      sampler: new RandomSampler(xSpace, { seed: 1 }), nTrials: 100, batchSize: 8, signal: controller.signal,
      evaluator: inProcess((p) => p.x as number), onProgress: (p) => { if (p.done === 20) controller.abort(); },
    });
    expect(study.cancelled).toBe(true);
    expect(study.trials).toHaveLength(24);
  });

  it('given an abort in the middle of a batch, then that batch is dropped', async () => {
    const controller = new AbortController();
    let calls = 0;
    const study = await optimize({
      sampler: new RandomSampler(xSpace, { seed: 1 }), nTrials: 100, batchSize: 8, signal: controller.signal,
      evaluator: inProcess((p) => { if (++calls === 13) controller.abort(); return p.x as number; }),
    });
    expect(study.cancelled).toBe(true);
    expect(study.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('records a throwing trial as failed and carries on', async () => {
    const study = await optimize({
      sampler: new RandomSampler(xSpace, { seed: 2 }), nTrials: 6,
      evaluator: inProcess((p) => { if ((p.x as number) > 0.5) throw new Error('boom'); return p.x as number; }),
    });
    const failed = study.trials.filter((t) => t.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((t) => (t.params.x as number) > 0.5 && t.error === 'Error: boom')).toBe(true);
    expect(study.trials).toHaveLength(6);
  });
});

describe('median pruner', () => {
  it('prunes a trial whose best value at a checked step is below the median of completed trials at that step', async () => {
    const pruner = new MedianPruner({ nStartupTrials: 4, nWarmupSteps: 3, intervalSteps: 2 });
    const study = await optimize({
      sampler: new RandomSampler(xSpace, { seed: 9 }), nTrials: 40, batchSize: 4, pruner,
      evaluator: moduleEvaluator(ramp, { name: 'ramp' }),
    });
    for (let start = 0; start < 40; start += 4) {
      const done = study.trials.slice(0, start).filter((t) => t.state === 'complete');
      for (const t of study.trials.slice(start, start + 4)) {
        const x = t.params.x as number;
        // ramp values are x * step, so the first checked step (3) decides: prune iff 3x < median(3 x_i)
        const prune = done.length >= 4 && 3 * x < median(done.map((d) => 3 * (d.params.x as number)));
        expect(t.state).toBe(prune ? 'pruned' : 'complete');
        expect(Object.keys(t.intermediate ?? {}).map(Number)).toEqual(prune ? [1, 2, 3] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(t.value).toBeCloseTo(prune ? 3 * x : 10 * x, 12);
      }
    }
    expect(study.trials.filter((t) => t.state === 'pruned').length).toBeGreaterThan(10);
  });
});

describe('worker pool', () => {
  it('resolves the compiled worker next to the source under dist/', () => {
    expect(compiledUrl(import.meta.url, 'worker.js')).toMatch(/\/dist\/libs\/optimizer\/src\/worker\.js$/);
    expect(compiledUrl('file:///x/dist/libs/optimizer/src/pool.js', 'worker.js')).toBe('file:///x/dist/libs/optimizer/src/worker.js');
  });

  it('given a seed, then 1 and 2 threads and in-process give identical TPE trial tables, pruning included', async () => {
    const module = compiledUrl(import.meta.url, 'testfns.module.js');
    const run = async (threads: number) => {
      const pool = threads ? new WorkerPool({ module, context: { name: 'branin' }, threads }) : null;
      try {
        return await optimize({
          sampler: new TpeSampler(branin.space, { seed: 11 }), nTrials: 40, direction: 'minimize',
          evaluator: pool ?? moduleEvaluator(ramp, { name: 'branin' }),
        });
      } finally {
        await pool?.close();
      }
    };
    const [t0, t1, t2] = [await run(0), await run(1), await run(2)];
    expect(table(t1.trials)).toEqual(table(t0.trials));
    expect(table(t2.trials)).toEqual(table(t0.trials));
    expect(t2.best?.value).toBeLessThan(1.5);

    const pruned = async (threads: number) => {
      const pool = new WorkerPool({ module, context: { name: 'ramp' }, threads });
      try {
        const s = await optimize({ sampler: new RandomSampler(xSpace, { seed: 4 }), nTrials: 30, batchSize: 6, pruner: new MedianPruner(), evaluator: pool });
        return s.trials.map((t) => [t.params, t.state, t.value, t.intermediate]);
      } finally {
        await pool.close();
      }
    };
    const p1 = await pruned(1);
    expect(await pruned(2)).toEqual(p1);
    expect(p1.filter((row) => row[1] === 'pruned').length).toBeGreaterThan(5);
  });

  it('given an abort while threads run, then the study stops cancelled', async () => {
    const pool = new WorkerPool({ module: compiledUrl(import.meta.url, 'testfns.module.js'), context: { name: 'branin' }, threads: 2 });
    const controller = new AbortController();
    try {
      const study = await optimize({
        sampler: new RandomSampler(branin.space, { seed: 1 }), nTrials: 10_000, batchSize: 100, signal: controller.signal,
        evaluator: pool, onProgress: (p) => { if (p.done === 300) controller.abort(); },
      });
      expect(study.cancelled).toBe(true);
      expect(study.trials).toHaveLength(300);
    } finally {
      await pool.close();
    }
  });
});
