import { Action, type Signals } from '../strategy.js';
import { warmupOf } from '../indicators.js';

/**
 * Stop-and-reverse on a line crossing another: up-cross → flip long, down-cross → flip short (or just exit when
 * long-only). Crosses are strict on both bars, as backtesting.py's `crossover`.
 */
export function crossSignals(line: Float64Array, other: Float64Array, longOnly: boolean): Signals {
  const n = line.length;
  const action = new Int8Array(n);
  const down = longOnly ? Action.Exit : Action.GoShort;
  let prevA = line[0];
  let prevB = other[0];
  for (let i = 1; i < n; i++) {
    const a = line[i];
    const b = other[i];
    if (prevA < prevB && a > b) action[i] = Action.GoLong;
    else if (prevA > prevB && a < b) action[i] = down;
    prevA = a;
    prevB = b;
  }
  return { action, warmup: warmupOf(line, other) };
}
