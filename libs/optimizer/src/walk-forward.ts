import type { Params } from './space.js';
import { optimize, type Evaluator, type Progress, type StudyOptions } from './study.js';
import type { Sampler, Trial, TrialOutcome } from './types.js';

export type Range = [from: number, to: number]; // bar indices, `to` exclusive

export interface Fold {
  index: number;
  train: Range;
  test: Range;
}

export interface FoldOptions {
  folds: number;
  /** rolling: the train window slides with the test window; anchored: it always starts at bar 0 */
  mode?: 'rolling' | 'anchored';
  trainBars?: number;
  testBars?: number;
  /** train share of the first window when bars are not given; default 0.75 */
  trainRatio?: number;
}

// Test windows tile the end of the series back to back; each train window ends where its test starts.
export function walkForwardFolds(length: number, o: FoldOptions): Fold[] {
  const ratio = o.trainRatio ?? 0.75;
  const testBars = o.testBars ?? Math.floor(length / (o.folds + ratio / (1 - ratio)));
  const trainBars = o.trainBars ?? length - o.folds * testBars;
  const firstTest = length - o.folds * testBars;
  if (testBars < 1 || trainBars < 1 || firstTest - trainBars < 0) throw new Error('series too short for these folds');
  return Array.from({ length: o.folds }, (_, i) => {
    const testFrom = firstTest + i * testBars;
    const trainFrom = o.mode === 'anchored' ? 0 : testFrom - trainBars;
    return { index: i, train: [trainFrom, testFrom], test: [testFrom, testFrom + testBars] };
  });
}

export interface FoldResult {
  fold: Fold;
  params: Params | null;
  inSample: Trial | null;
  outOfSample: TrialOutcome | null;
  trials: Trial[];
}

export interface WalkForwardResult {
  folds: FoldResult[];
  meanInSample: number;
  meanOutOfSample: number;
  /** out-of-sample over in-sample mean objective (walk-forward efficiency) */
  efficiency: number;
  cancelled: boolean;
}

export interface WalkForwardOptions extends Omit<StudyOptions, 'sampler' | 'evaluator' | 'onProgress'> {
  folds: Fold[];
  /** an evaluator restricted to a range of bars */
  evaluatorFor(range: Range): Evaluator;
  /** a fresh sampler per fold (samplers are stateless, but fold seeds may differ) */
  samplerFor(fold: Fold): Sampler;
  onProgress?: (fold: Fold, progress: Progress) => void;
}

export async function walkForward(o: WalkForwardOptions): Promise<WalkForwardResult> {
  const results: FoldResult[] = [];
  let cancelled = false;
  for (const fold of o.folds) {
    const study = await optimize({ ...o, sampler: o.samplerFor(fold), evaluator: o.evaluatorFor(fold.train), onProgress: (p) => o.onProgress?.(fold, p) });
    if (study.cancelled) { cancelled = true; break; }
    const best = study.best;
    const oos = best ? (await o.evaluatorFor(fold.test).evaluate([{ number: 0, params: best.params }], null, o.signal))[0] : null;
    results.push({ fold, params: best?.params ?? null, inSample: best, outOfSample: oos, trials: study.trials });
  }
  const mean = (xs: (number | null | undefined)[]) => {
    const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    return v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN;
  };
  const meanInSample = mean(results.map((r) => r.inSample?.value));
  const meanOutOfSample = mean(results.map((r) => r.outOfSample?.value));
  return { folds: results, meanInSample, meanOutOfSample, efficiency: meanOutOfSample / meanInSample, cancelled };
}
