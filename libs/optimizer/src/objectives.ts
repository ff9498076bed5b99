import type { Evaluator } from './study.js';
import type { TrialOutcome } from './types.js';

// The subset of the backtest's stats an objective reads; kept structural so this file does not
// depend on the backtest library.
export interface ScoredStats {
  sharpe: number;
  sortino: number;
  calmar: number;
  returnPct: number;
  sqn: number;
  trades: number;
  [key: string]: unknown;
}

export type ObjectiveName = 'sharpe' | 'sortino' | 'calmar' | 'return' | 'sqn';
export type Objective = ObjectiveName | ((stats: ScoredStats) => number);

const FIELDS: Record<ObjectiveName, keyof ScoredStats> = {
  sharpe: 'sharpe', sortino: 'sortino', calmar: 'calmar', return: 'returnPct', sqn: 'sqn',
};

export function objectiveValue(objective: Objective, stats: ScoredStats): number {
  if (typeof objective === 'function') return objective(stats);
  const field = FIELDS[objective];
  if (!field) throw new Error(`unknown objective ${String(objective)}`);
  return stats[field] as number;
}

// Scored on the calling thread from the stats a trial returned, so a custom objective (a closure,
// which cannot cross to a worker thread) works with the pool too. Pruned trials keep the value
// the pruner saw. A trial under minTrades is infeasible by the shortfall, whatever it scored: a
// Sharpe of 3 over two trades is noise, not an optimum.
export function scoreOutcome(outcome: TrialOutcome, objective: Objective, minTrades = 0): TrialOutcome {
  const stats = outcome.attrs?.stats as ScoredStats | undefined;
  if (outcome.state !== 'complete' || !stats) return outcome;
  const value = objectiveValue(objective, stats);
  if (stats.trades < minTrades) return { ...outcome, state: 'infeasible', value, violation: minTrades - stats.trades };
  if (!Number.isFinite(value)) return { ...outcome, state: 'failed', value: null, error: `objective is ${value}` };
  return { ...outcome, value };
}

export function scored(evaluator: Evaluator, objective: Objective, minTrades = 0): Evaluator {
  return {
    pipelined: evaluator.pipelined,
    evaluate: async (tasks, rule, signal) =>
      (await evaluator.evaluate(tasks, rule, signal)).map((o) => scoreOutcome(o, objective, minTrades)),
  };
}
