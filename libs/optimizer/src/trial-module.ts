import { TrialReporter, type PruneRule } from './pruner.js';
import type { Params } from './space.js';
import { normalizeOutcome, type Evaluator } from './study.js';
import type { TrialOutcome, TrialTask } from './types.js';

// A trial module is what worker threads can run: functions cannot cross threads, so a pool is given
// the URL of an ES module exporting `setup` (called once per thread and context: load the series,
// warm caches) and `evaluate` (one trial). The same module runs in-process for `threads: 0`.
export interface TrialModule<C = unknown, S = unknown> {
  setup(context: C): S | Promise<S>;
  evaluate(state: S, params: Params, reporter: TrialReporter): number | TrialOutcome;
}

export async function runTrials<S>(mod: TrialModule<unknown, S>, state: S, trials: readonly TrialTask[], rule: PruneRule | null): Promise<TrialOutcome[]> {
  return trials.map((task) => {
    const reporter = new TrialReporter(rule);
    try {
      return normalizeOutcome(mod.evaluate(state, task.params, reporter), reporter);
    } catch (err) {
      return { state: 'failed' as const, value: null, error: String(err) };
    }
  });
}

export function moduleEvaluator<C>(mod: TrialModule<C>, context: C): Evaluator {
  let state: Promise<unknown> | undefined;
  return {
    async evaluate(tasks, rule, signal) {
      state ??= Promise.resolve(mod.setup(context));
      const s = await state;
      signal?.throwIfAborted();
      return runTrials(mod as TrialModule<unknown, unknown>, s, tasks, rule);
    },
  };
}
