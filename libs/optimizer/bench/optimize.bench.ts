// npm run bench:optimize [-- --quick]   (--quick skips the 525,600-bar grid)
// Wall times on this machine; other agents share the 2 cores, so expect noise.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { backtestPool, inProcess, optimize, optimizeStrategy, TpeSampler, type Params } from '#libs/optimizer';

const fixture = fileURLToPath(new URL('../../backtest/fixtures/GOOG.csv', import.meta.url)).replace('/dist/', '/');
const goog = { csvFile: existsSync(fixture) ? fixture : '/work/shared/data/GOOG.csv' };
const grid100 = [
  { name: 'fast', type: 'int' as const, low: 1, high: 100 },
  { name: 'slow', type: 'int' as const, low: 1, high: 100 },
];
const THREADS = 2;
const ms = (t0: number) => performance.now() - t0;
const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);

async function gridBench(label: string, source: Parameters<typeof optimizeStrategy>[0]['source'], again = true) {
  let t0 = performance.now();
  const pool = backtestPool(THREADS);
  const cold = await optimizeStrategy({ strategy: 'sma-cross', source, space: grid100, sampler: 'grid', constraint: null, pool });
  const coldMs = ms(t0);
  line(`${label}: 100x100 grid, ${THREADS} threads, incl. pool start`, `${(coldMs / 1000).toFixed(2)} s (${cold.trials.length} backtests, best ${JSON.stringify(cold.best?.params)} sharpe ${cold.best?.value?.toFixed(3)})`);
  if (again) {
    t0 = performance.now();
    await optimizeStrategy({ strategy: 'sma-cross', source, space: grid100, sampler: 'grid', constraint: null, pool });
    line(`${label}: same grid again on the warm pool`, `${(ms(t0) / 1000).toFixed(2)} s`);
  }
  await pool.close();
}

async function tpeBacktestBench() {
  let t0 = performance.now();
  const s = await optimizeStrategy({ strategy: 'sma-cross', source: goog, sampler: 'tpe', seed: 1, nTrials: 100 });
  line('GOOG: 100 TPE trials sma-cross, in-process, cold', `${ms(t0).toFixed(0)} ms (CSV parse + JIT; best sharpe ${s.best?.value?.toFixed(3)})`);
  t0 = performance.now();
  await optimizeStrategy({ strategy: 'sma-cross', source: goog, sampler: 'tpe', seed: 2, nTrials: 100 });
  line('GOOG: 100 TPE trials sma-cross, in-process, series loaded', `${ms(t0).toFixed(0)} ms`);
  const pool = backtestPool(THREADS);
  // Warm the threads like the in-process run was (series parsed, backtest code JIT-compiled).
  await optimizeStrategy({ strategy: 'sma-cross', source: goog, sampler: 'tpe', seed: 3, nTrials: 100, pool });
  t0 = performance.now();
  await optimizeStrategy({ strategy: 'sma-cross', source: goog, sampler: 'tpe', seed: 1, nTrials: 100, pool });
  line(`GOOG: 100 TPE trials sma-cross, ${THREADS} threads (warm pool)`, `${ms(t0).toFixed(0)} ms`);
  await pool.close();
}

// Sampler cost alone: a free objective over the sma-cross space, one trial per batch as Optuna does.
async function tpeOverhead(n: number) {
  const space = [
    { name: 'fast', type: 'int' as const, low: 2, high: 100 },
    { name: 'slow', type: 'int' as const, low: 5, high: 200 },
    { name: 'longOnly', type: 'categorical' as const, choices: [false, true] },
  ];
  const f = (p: Params) => -(((p.fast as number) - 20) ** 2) - (((p.slow as number) - 80) ** 2) / 10 + (p.longOnly ? 1 : 0);
  const stamps: number[] = [];
  const t0 = performance.now();
  await optimize({ sampler: new TpeSampler(space, { seed: 1 }), evaluator: inProcess(f), nTrials: n, batchSize: 1, onProgress: () => stamps.push(performance.now()) });
  const total = ms(t0);
  const tail = (stamps[n - 1] - stamps[n - 1 - Math.min(100, n - 11)]) / Math.min(100, n - 11);
  line(`TPE overhead per trial, study of ${n} trials`, `${(total / n).toFixed(3)} ms mean, ${tail.toFixed(3)} ms at the end`);
}

console.log(`optimizer bench ${new Date().toISOString()} node ${process.version}, ${THREADS} threads, GOOG from ${goog.csvFile}`);
await gridBench('GOOG daily (2,148 bars)', goog);
await tpeBacktestBench();
await tpeOverhead(100);
await tpeOverhead(1000);
if (!process.argv.includes('--quick')) await gridBench('synthetic minute bars (525,600)', { synthetic: { bars: 525_600, seed: 1, stepMs: 60_000 } }, false);
