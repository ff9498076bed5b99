// Piscina worker entry. Modules and their set-up state are cached per thread, so a series is parsed
// (and its indicator cache filled) once per thread, not once per task.
import type { PruneRule } from './pruner.js';
import { runTrials, type TrialModule } from './trial-module.js';
import type { TrialOutcome, TrialTask } from './types.js';

export interface WorkerTask {
  module: string;
  contextKey: string;
  context: unknown;
  trials: TrialTask[];
  prune: PruneRule | null;
}

const modules = new Map<string, Promise<TrialModule>>();
const states = new Map<string, Promise<unknown>>();

export default async function run(task: WorkerTask): Promise<TrialOutcome[]> {
  let mod = modules.get(task.module);
  if (!mod) {
    mod = import(task.module) as Promise<TrialModule>;
    modules.set(task.module, mod);
  }
  const m = await mod;
  const key = `${task.module}#${task.contextKey}`;
  let state = states.get(key);
  if (!state) {
    state = Promise.resolve(m.setup(task.context));
    states.set(key, state);
  }
  return runTrials(m, await state, task.trials, task.prune);
}
