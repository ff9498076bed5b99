// Trial module over the standard test functions, so the worker-pool path can be tested without a
// backtest. 'ramp' reports intermediate values 1..10 (value x * step) to exercise pruning.
import type { TrialReporter } from './pruner.js';
import type { Params } from './space.js';
import { testFunctions } from './testfns.js';

export type State = { name: string };

export function setup(context: { name: string }): State {
  if (context.name !== 'ramp' && !testFunctions[context.name]) throw new Error(`unknown test function ${context.name}`);
  return context;
}

export function evaluate(state: State, params: Params, reporter: TrialReporter): number {
  if (state.name !== 'ramp') return testFunctions[state.name].fn(params);
  const x = params.x as number;
  for (let step = 1; step <= 10; step++) if (reporter.report(step, x * step)) return x * step;
  return x * 10;
}
