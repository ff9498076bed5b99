import type { Direction, Trial } from './types.js';

export interface MedianPrunerOptions {
  nStartupTrials?: number; // no pruning until this many trials completed
  nWarmupSteps?: number; // no pruning before this step
  intervalSteps?: number; // check only every this many steps after warm-up
  nMinTrials?: number; // a step needs this many completed trials' values before it can prune
}

// A pruning rule frozen from the completed trials at the start of a batch. It is plain data, so it
// crosses to worker threads, and every trial of a batch sees the same medians whichever thread runs
// it: pruning decisions are as deterministic as the samples.
export interface PruneRule {
  direction: Direction;
  warmup: number;
  interval: number;
  /** step -> median of completed trials' intermediate values at that step */
  medians: Record<number, number>;
}

export class MedianPruner {
  constructor(private readonly options: MedianPrunerOptions = {}) {}

  get intervalSteps(): number {
    return this.options.intervalSteps ?? 1;
  }

  snapshot(history: readonly Trial[], direction: Direction): PruneRule | null {
    const completed = history.filter((t) => t.state === 'complete');
    if (completed.length < (this.options.nStartupTrials ?? 5)) return null;
    const byStep = new Map<number, number[]>();
    for (const t of completed) {
      for (const [step, v] of Object.entries(t.intermediate ?? {})) {
        if (Number.isNaN(v)) continue;
        const list = byStep.get(Number(step)) ?? [];
        list.push(v);
        byStep.set(Number(step), list);
      }
    }
    const medians: Record<number, number> = {};
    for (const [step, values] of byStep) {
      if (values.length >= (this.options.nMinTrials ?? 1)) medians[step] = median(values);
    }
    return { direction, warmup: this.options.nWarmupSteps ?? 0, interval: this.intervalSteps, medians };
  }
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

// Optuna's PercentilePruner(50): compare the trial's best value so far with the median at this step.
export function shouldPrune(rule: PruneRule | null, step: number, bestSoFar: number): boolean {
  if (rule === null || step < rule.warmup || (step - rule.warmup) % rule.interval !== 0) return false;
  const m = rule.medians[step];
  if (m === undefined || Number.isNaN(bestSoFar)) return m !== undefined;
  return rule.direction === 'maximize' ? bestSoFar < m : bestSoFar > m;
}

// What an objective calls to report progress: records the value and says whether to stop.
export class TrialReporter {
  readonly intermediate: Record<number, number> = {};
  private best = NaN;
  pruned = false;

  constructor(private readonly rule: PruneRule | null) {}

  report(step: number, value: number): boolean {
    this.intermediate[step] = value;
    const dir = this.rule?.direction ?? 'maximize';
    if (Number.isNaN(this.best) || (dir === 'maximize' ? value > this.best : value < this.best)) this.best = value;
    if (shouldPrune(this.rule, step, this.best)) this.pruned = true;
    return this.pruned;
  }
}
