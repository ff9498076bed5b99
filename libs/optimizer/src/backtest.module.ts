// Trial module that runs one backtest per trial; loaded by worker threads (and in-process for
// threads: 0). The series is parsed once per thread and shared by every fold range, and the
// backtest library memoises indicators per series object, so a grid computes each SMA period once
// per thread instead of once per trial.
import { loadCsvFile, runBacktest, strategies, syntheticSeries, type BacktestOptions, type OhlcvSeries, type StrategyDefinition } from '#libs/backtest';
import type { TrialReporter } from './pruner.js';
import type { Params } from './space.js';
import type { TrialOutcome } from './types.js';
import type { Range } from './walk-forward.js';

export type SeriesSource =
  | { csvFile: string }
  | { synthetic: { bars: number; seed: number; stepMs?: number } };

export type TrialBacktestOptions = Omit<BacktestOptions, 'onProgress' | 'lean'>;

export interface BacktestContext {
  source: SeriesSource;
  range?: Range;
  strategy: string;
  options?: TrialBacktestOptions;
  /** report equity at the engine's progress steps (needed by a pruner, costs a little otherwise) */
  pruning?: boolean;
}

export interface State {
  series: OhlcvSeries;
  strategy: StrategyDefinition;
  options: TrialBacktestOptions;
  pruning: boolean;
}

const sources = new Map<string, OhlcvSeries>();
const ranges = new Map<string, OhlcvSeries>();

export function loadSource(source: SeriesSource): OhlcvSeries {
  const key = JSON.stringify(source);
  let series = sources.get(key);
  if (!series) {
    series = 'csvFile' in source ? loadCsvFile(source.csvFile) : syntheticSeries(source.synthetic.bars, source.synthetic.seed, source.synthetic.stepMs);
    sources.set(key, series);
  }
  return series;
}

// Views, not copies; one object per (source, range) so the indicator cache is hit across tasks.
export function seriesFor(source: SeriesSource, range?: Range): OhlcvSeries {
  const full = loadSource(source);
  if (!range) return full;
  const key = JSON.stringify([source, range]);
  let s = ranges.get(key);
  if (!s) {
    const [from, to] = range;
    s = {
      time: full.time.subarray(from, to), open: full.open.subarray(from, to), high: full.high.subarray(from, to),
      low: full.low.subarray(from, to), close: full.close.subarray(from, to), volume: full.volume.subarray(from, to),
      length: Math.max(0, Math.min(to, full.length) - from),
    };
    ranges.set(key, s);
  }
  return s;
}

export function setup(context: BacktestContext): State {
  const strategy = strategies[context.strategy];
  if (!strategy) throw new Error(`unknown strategy ${context.strategy}`);
  return { series: seriesFor(context.source, context.range), strategy, options: context.options ?? {}, pruning: context.pruning ?? false };
}

export function evaluate(state: State, params: Params, reporter: TrialReporter): TrialOutcome {
  let last = NaN;
  const onProgress = state.pruning ? (step: number, equity: number) => { last = equity; return reporter.report(step, equity); } : undefined;
  const { stats: full } = runBacktest(state.series, state.strategy, params, { ...state.options, lean: true, onProgress });
  // Alpha and beta are left out of the trial table: they are computed lazily (a logarithm per bar,
  // about half a trial's cost on minute bars) and copying the stats to the main thread would force
  // them. Rerun the chosen parameters with runBacktest to read them.
  const { beta: _beta, alphaPct: _alpha, ...stats } = full;
  // value is filled in by the objective on the calling thread (objectives.ts) for complete trials.
  return reporter.pruned ? { state: 'pruned', value: last, attrs: { stats } } : { state: 'complete', value: null, attrs: { stats } };
}
