import type { Params } from './space.js';

export type Direction = 'maximize' | 'minimize';
// 'infeasible' = evaluated but violated a constraint (e.g. too few trades): kept for the sampler,
// never reported as best. 'failed' = the evaluation threw; samplers ignore it.
export type TrialState = 'complete' | 'pruned' | 'infeasible' | 'failed';

export interface TrialOutcome {
  state: TrialState;
  value: number | null;
  /** step -> value reported during the trial (pruning input) */
  intermediate?: Record<number, number>;
  /** how far an infeasible trial misses its constraint (> 0) */
  violation?: number;
  attrs?: Record<string, unknown>;
  error?: string;
}

export interface TrialTask {
  number: number;
  params: Params;
}

export interface Trial extends TrialTask, TrialOutcome {}

export interface Sampler {
  /** finite search (grid): number of trials it can produce */
  readonly total?: number;
  /** true when samples depend on history (TPE): the study then uses small batches */
  readonly adaptive?: boolean;
  /** params for each trial number, drawn only from `history` (all trials numbered below the batch) */
  ask(history: readonly Trial[], numbers: readonly number[], direction: Direction): Params[];
}

export type ParamConstraint = (params: Params) => boolean;

export function better(a: number, b: number, direction: Direction): boolean {
  return direction === 'maximize' ? a > b : a < b;
}

export function bestTrial(trials: readonly Trial[], direction: Direction): Trial | null {
  let best: Trial | null = null;
  for (const t of trials) {
    if (t.state !== 'complete' || t.value === null || Number.isNaN(t.value)) continue;
    if (best === null || better(t.value, best.value as number, direction)) best = t;
  }
  return best;
}
