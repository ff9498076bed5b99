import { strategies } from '#libs/backtest';
import * as backtestModule from './backtest.module.js';
import type { BacktestContext, SeriesSource, TrialBacktestOptions } from './backtest.module.js';
import { GridSampler, type GridOptions } from './grid.js';
import { scored, type Objective } from './objectives.js';
import { compiledUrl, WorkerPool } from './pool.js';
import type { MedianPruner } from './pruner.js';
import { RandomSampler } from './random.js';
import type { ParamSpec } from './space.js';
import { optimize, type Evaluator, type Progress, type StudyResult } from './study.js';
import { TpeSampler, type TpeOptions } from './tpe.js';
import { moduleEvaluator } from './trial-module.js';
import type { ParamConstraint, Sampler } from './types.js';
import { walkForward, walkForwardFolds, type Fold, type FoldOptions, type Range, type WalkForwardResult } from './walk-forward.js';

export interface StrategyStudyOptions {
  strategy: string;
  source: SeriesSource;
  range?: Range;
  /** defaults to the strategy's declared space */
  space?: ParamSpec[];
  sampler?: 'grid' | 'random' | 'tpe';
  grid?: GridOptions;
  tpe?: Omit<TpeOptions, 'seed' | 'constraint'>;
  /** defaults to the strategy's isValid (e.g. fast < slow) */
  constraint?: ParamConstraint | null;
  seed?: number;
  nTrials?: number;
  batchSize?: number;
  objective?: Objective;
  minTrades?: number;
  backtest?: TrialBacktestOptions;
  /** 0 runs trials on the calling thread */
  threads?: number;
  /** an open pool to reuse across studies (its thread caches stay warm); `threads` is then ignored */
  pool?: WorkerPool<unknown>;
  pruner?: MedianPruner;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

export function backtestPool(threads: number): WorkerPool<unknown> {
  return new WorkerPool({ module: compiledUrl(import.meta.url, 'backtest.module.js'), context: null, threads });
}

type Common = Omit<StrategyStudyOptions, 'onProgress' | 'range'>;

function makeSampler(o: Common, seed: number): Sampler {
  const def = strategies[o.strategy];
  if (!def) throw new Error(`unknown strategy ${o.strategy}`);
  const space = o.space ?? def.space;
  const constraint = o.constraint === null ? undefined : (o.constraint ?? (def.isValid ? (p) => def.isValid!(p) : undefined));
  switch (o.sampler ?? 'tpe') {
    case 'grid': return new GridSampler(space, { ...o.grid, constraint });
    case 'random': return new RandomSampler(space, { seed, constraint });
    case 'tpe': return new TpeSampler(space, { ...o.tpe, seed, constraint });
  }
}

// Runs `use` with an evaluator factory over ranges, owning the pool when it created one.
async function withEvaluators<T>(o: Common, use: (evaluatorFor: (range?: Range) => Evaluator) => Promise<T>): Promise<T> {
  const threads = o.threads ?? 0;
  const pool = o.pool ?? (threads > 0 ? backtestPool(threads) : null);
  const contextFor = (range?: Range): BacktestContext =>
    ({ source: o.source, range, strategy: o.strategy, options: o.backtest, pruning: o.pruner !== undefined });
  const evaluatorFor = (range?: Range): Evaluator => scored(
    pool ? pool.withContext(contextFor(range)) : moduleEvaluator(backtestModule, contextFor(range)),
    o.objective ?? 'sharpe', o.minTrades ?? 0);
  try {
    return await use(evaluatorFor);
  } finally {
    if (pool && !o.pool) await pool.close();
  }
}

export function optimizeStrategy(o: StrategyStudyOptions): Promise<StudyResult> {
  const sampler = makeSampler(o, o.seed ?? 0);
  return withEvaluators(o, (evaluatorFor) => optimize({
    sampler, evaluator: evaluatorFor(o.range), nTrials: o.nTrials, batchSize: o.batchSize,
    direction: 'maximize', pruner: o.pruner, onProgress: o.onProgress, signal: o.signal,
  }));
}

export interface StrategyWalkForwardOptions extends Omit<StrategyStudyOptions, 'range' | 'onProgress'> {
  folds: FoldOptions;
  onProgress?: (fold: Fold, progress: Progress) => void;
}

export function walkForwardStrategy(o: StrategyWalkForwardOptions): Promise<WalkForwardResult> {
  const folds = walkForwardFolds(backtestModule.loadSource(o.source).length, o.folds);
  return withEvaluators(o, (evaluatorFor) => walkForward({
    folds, evaluatorFor, samplerFor: (fold) => makeSampler(o, (o.seed ?? 0) + fold.index),
    nTrials: o.nTrials, batchSize: o.batchSize, direction: 'maximize', pruner: o.pruner, onProgress: o.onProgress, signal: o.signal,
  }));
}
