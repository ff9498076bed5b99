import { MedianPruner, TrialReporter, type PruneRule } from './pruner.js';
import type { Params } from './space.js';
import { bestTrial, type Direction, type Sampler, type Trial, type TrialOutcome, type TrialTask } from './types.js';

export interface Evaluator {
  /** true for thread pools: batches may be queued ahead when samples ignore history */
  readonly pipelined?: boolean;
  evaluate(tasks: readonly TrialTask[], prune: PruneRule | null, signal?: AbortSignal): Promise<TrialOutcome[]>;
}

export type ObjectiveFn = (params: Params, trial: TrialReporter) => number | TrialOutcome | Promise<number | TrialOutcome>;

export interface Progress {
  done: number;
  total: number;
  trial: Trial;
  best: Trial | null;
}

export interface StudyOptions {
  sampler: Sampler;
  evaluator: Evaluator;
  nTrials?: number;
  direction?: Direction;
  batchSize?: number;
  pruner?: MedianPruner;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

export interface StudyResult {
  direction: Direction;
  trials: Trial[];
  best: Trial | null;
  cancelled: boolean;
}

// Default batch: small for history-driven samplers (TPE learns between batches), large for grids and
// random search, whose samples ignore history, so worker round trips are amortised.
export const DEFAULT_ADAPTIVE_BATCH = 8;
export const DEFAULT_STATIC_BATCH = 512;

// Batch-synchronous ask/tell. A batch's parameters and pruning rule are computed from the trials
// numbered below the batch, the batch is evaluated (in parallel when the evaluator is a pool), and
// outcomes are told in trial-number order. The batch size is an option of the study, never the
// thread count, so a seed gives the same trial table on 1 or N threads.
// When nothing depends on history (grid or random sampler, no pruner) and the evaluator is a
// pool, the next batch is already queued while one is told, so threads never idle at the barrier.
export async function optimize(options: StudyOptions): Promise<StudyResult> {
  const { sampler, evaluator, pruner, signal, onProgress } = options;
  const direction = options.direction ?? 'maximize';
  const total = Math.min(options.nTrials ?? sampler.total ?? 100, sampler.total ?? Infinity);
  const batchSize = options.batchSize ?? (sampler.adaptive ? DEFAULT_ADAPTIVE_BATCH : DEFAULT_STATIC_BATCH);
  const depth = evaluator.pipelined && !sampler.adaptive && !pruner ? 2 : 1;
  const trials: Trial[] = [];
  const inflight: { tasks: TrialTask[]; outcomes: Promise<TrialOutcome[]> }[] = [];
  let asked = 0;
  let best: Trial | null = null;
  let cancelled = false;
  while (trials.length < total) {
    while (inflight.length < depth && asked < total && !signal?.aborted) {
      const numbers = Array.from({ length: Math.min(batchSize, total - asked) }, (_, i) => asked + i);
      asked += numbers.length;
      const params = sampler.ask(trials, numbers, direction);
      const tasks = numbers.map((number, i) => ({ number, params: params[i] }));
      const outcomes = evaluator.evaluate(tasks, pruner?.snapshot(trials, direction) ?? null, signal);
      outcomes.catch(() => undefined); // a batch dropped on cancellation must not surface as unhandled
      inflight.push({ tasks, outcomes });
    }
    const batch = inflight.shift();
    if (signal?.aborted || !batch) { cancelled = signal?.aborted ?? false; break; }
    let outcomes: TrialOutcome[];
    try {
      outcomes = await batch.outcomes;
    } catch (err) {
      if (signal?.aborted) { cancelled = true; break; }
      throw err;
    }
    for (let i = 0; i < batch.tasks.length; i++) {
      const trial: Trial = { ...batch.tasks[i], ...outcomes[i] };
      trials.push(trial);
      best = bestTrial(best ? [best, trial] : [trial], direction);
      onProgress?.({ done: trials.length, total, trial, best });
    }
  }
  return { direction, trials, best, cancelled };
}

export function normalizeOutcome(result: number | TrialOutcome, reporter: TrialReporter): TrialOutcome {
  const steps = Object.keys(reporter.intermediate);
  const intermediate = steps.length ? reporter.intermediate : undefined;
  if (typeof result !== 'number') return { ...result, intermediate: result.intermediate ?? intermediate };
  if (reporter.pruned) {
    const last = Math.max(...steps.map(Number));
    return { state: 'pruned', value: reporter.intermediate[last], intermediate };
  }
  if (Number.isNaN(result)) return { state: 'failed', value: null, intermediate, error: 'objective returned NaN' };
  return { state: 'complete', value: result, intermediate };
}

// Runs the objective on the calling thread, one trial after another.
export function inProcess(fn: ObjectiveFn): Evaluator {
  return {
    async evaluate(tasks, rule, signal) {
      const out: TrialOutcome[] = [];
      for (const task of tasks) {
        signal?.throwIfAborted();
        const reporter = new TrialReporter(rule);
        try {
          out.push(normalizeOutcome(await fn(task.params, reporter), reporter));
        } catch (err) {
          out.push({ state: 'failed', value: null, error: String(err) });
        }
      }
      return out;
    },
  };
}
