// TPE sampler in the manner of Optuna's TPESampler (independent/univariate mode, its default).
// Written here rather than installed because no maintained TPE exists on npm (the old ports are
// abandoned and none handles int/log/step/categorical the way Optuna does); it is small and tested.
import { buildEstimator, type Estimator, type ParzenOptions } from './parzen.js';
import { createRng } from './prng.js';
import { sampleWithConstraint } from './random.js';
import { checkSpace, sampleUniform, toExternal, toInternal, type ParamSpec, type Params } from './space.js';
import type { Direction, ParamConstraint, Sampler, Trial } from './types.js';

export interface TpeOptions extends Partial<ParzenOptions> {
  seed: number;
  nStartupTrials?: number;
  nEiCandidates?: number;
  gamma?: (n: number) => number;
  weights?: (n: number) => number[];
  constraint?: ParamConstraint;
}

export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

// Older trials weigh less once there are more than 25 (Bergstra et al. 2013), newest 25 weigh 1.
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const rampLength = n - 25;
  const ramp = Array.from({ length: rampLength }, (_, i) =>
    rampLength === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (rampLength - 1));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

// Optuna's _split_trials: the best complete trials go below; the rest of the quota is filled from
// pruned trials (deepest step first, then best intermediate value), then the least infeasible.
export function splitTrials(trials: readonly Trial[], nBelow: number, direction: Direction): { below: Trial[]; above: Trial[] } {
  const sign = direction === 'maximize' ? -1 : 1;
  const complete = trials.filter((t) => t.state === 'complete' && t.value !== null && !Number.isNaN(t.value))
    .sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.number - b.number);
  const pruned = trials.filter((t) => t.state === 'pruned' || (t.state === 'complete' && (t.value === null || Number.isNaN(t.value))))
    .map((t) => ({ t, score: prunedScore(t, sign) }))
    .sort((a, b) => a.score[0] - b.score[0] || a.score[1] - b.score[1] || a.t.number - b.t.number)
    .map((x) => x.t);
  const infeasible = trials.filter((t) => t.state === 'infeasible')
    .sort((a, b) => (a.violation ?? Infinity) - (b.violation ?? Infinity) || a.number - b.number);
  const below: Trial[] = [], above: Trial[] = [];
  let quota = nBelow;
  for (const group of [complete, pruned, infeasible]) {
    const k = Math.min(Math.max(quota, 0), group.length);
    below.push(...group.slice(0, k));
    above.push(...group.slice(k));
    quota -= k;
  }
  const byNumber = (a: Trial, b: Trial): number => a.number - b.number;
  return { below: below.sort(byNumber), above: above.sort(byNumber) };
}

function prunedScore(t: Trial, sign: number): [number, number] {
  const steps = Object.keys(t.intermediate ?? {}).map(Number);
  if (steps.length === 0) return [1, 0];
  const step = Math.max(...steps);
  const v = (t.intermediate as Record<number, number>)[step];
  return [-step, Number.isNaN(v) ? Infinity : sign * v];
}

export class TpeSampler implements Sampler {
  readonly adaptive = true;
  private readonly parzen: ParzenOptions;

  constructor(private readonly space: readonly ParamSpec[], private readonly options: TpeOptions) {
    checkSpace(space);
    this.parzen = {
      priorWeight: options.priorWeight ?? 1,
      considerMagicClip: options.considerMagicClip ?? true,
      considerEndpoints: options.considerEndpoints ?? false,
    };
  }

  ask(history: readonly Trial[], numbers: readonly number[], direction: Direction): Params[] {
    const usable = history.filter((t) => t.state !== 'failed');
    const { seed, constraint } = this.options;
    if (usable.length < (this.options.nStartupTrials ?? 10)) {
      return numbers.map((n) => {
        const rng = createRng(seed, n, 2);
        return sampleWithConstraint(() => Object.fromEntries(this.space.map((p) => [p.name, sampleUniform(p, rng)])), constraint);
      });
    }
    // Within a batch, trials already sampled join the "above" group as running trials (Optuna's
    // constant liar), so one batch spreads out instead of drawing near-copies of the same candidate.
    // The lie depends only on history and earlier batch members: still deterministic per seed.
    const { below, above } = splitTrials(usable, (this.options.gamma ?? defaultGamma)(usable.length), direction);
    const weights = this.options.weights ?? defaultWeights;
    const build = (p: ParamSpec, group: readonly Params[]): Estimator =>
      buildEstimator(p, group.map((q) => toInternal(p, q[p.name])), weights(group.length), this.parzen);
    const belowParams = below.map((t) => t.params);
    const lowEstimators = this.space.map((p) => build(p, belowParams));
    const running: Params[] = [];
    return numbers.map((n) => {
      const aboveParams = [...above, ...running.map((params, i) => ({ number: numbers[i], params }))]
        .sort((a, b) => a.number - b.number).map((t) => t.params);
      const highEstimators = this.space.map((p) => build(p, aboveParams));
      const rng = createRng(seed, n, 3);
      const params = sampleWithConstraint(() => Object.fromEntries(this.space.map((p, i) =>
        [p.name, toExternal(p, this.pick(lowEstimators[i], highEstimators[i], rng))])), constraint);
      running.push(params);
      return params;
    });
  }

  // Draw n_ei_candidates from l(x) and keep the one maximising log l(x) - log g(x).
  private pick(l: Estimator, g: Estimator, rng: () => number): number {
    let best = NaN, bestScore = -Infinity;
    const n = this.options.nEiCandidates ?? 24;
    for (let i = 0; i < n; i++) {
      const x = l.sample(rng);
      const score = l.logPdf(x) - g.logPdf(x);
      if (score > bestScore || Number.isNaN(best)) { best = x; bestScore = score; }
    }
    return best;
  }
}
