export interface Drawdowns {
  /** Highest equity: the running peak at the last bar. */
  peak: number;
  /** Deepest drawdown as a fraction (0.34 = 34 % below the running peak). */
  max: number;
  /** Mean of each drawdown's deepest point; NaN when equity never fell below a peak. */
  avgPeak: number;
  maxDurationMs: number;
  avgDurationMs: number;
}

/**
 * A drawdown runs from a bar at its running peak to the next bar back at a peak (or the last bar), as in
 * backtesting.py's `compute_drawdown_duration_peaks`; its duration is measured in time, not bars. The one pass over
 * the equity that the statistics make: the peak comes out of it too.
 */
export function drawdowns(time: Float64Array, equity: Float64Array, length: number): Drawdowns {
  let peak = -Infinity;
  let max = 0;
  let prevFlat = -1;
  let deepest = 0;
  let count = 0;
  let sumPeak = 0;
  let sumDuration = 0;
  let maxDuration = NaN;
  // Under a fixed peak, 1 − e / peak (rounded) never rises as e rises: a bar at or above `floor`, the equity that set
  // the current drawdown's deepest point, cannot change any figure, so most bars skip the division and branches.
  // Equity is positive (a run stops at zero), so e < peak gives a drawdown above 0 and e === peak exactly 0.
  let floor = Infinity;
  const last = length - 1;
  for (let i = 0; i < length; i++) {
    const e = equity[i];
    if (i !== last) {
      if (e < peak && e >= floor) continue;
      // Still at the peak (flat or out of the market): only the drawdown's start moves.
      if (e === peak && prevFlat === i - 1 && e < Infinity) {
        prevFlat = i;
        continue;
      }
    }
    if (e > peak) {
      peak = e;
      floor = Infinity;
    }
    const dd = 1 - e / peak;
    if (dd > max) max = dd;
    if (dd > deepest) deepest = dd;
    if (dd === 0 || i === last) {
      if (prevFlat >= 0 && i > prevFlat + 1) {
        const duration = time[i] - time[prevFlat];
        count++;
        sumPeak += deepest;
        sumDuration += duration;
        if (!(duration <= maxDuration)) maxDuration = duration;
      }
      if (dd === 0 || prevFlat < 0) {
        prevFlat = i;
        deepest = dd;
      }
    }
    if (dd === deepest) floor = e;
  }
  return {
    peak,
    max,
    avgPeak: count ? sumPeak / count : NaN,
    maxDurationMs: count ? maxDuration : NaN,
    avgDurationMs: count ? sumDuration / count : NaN,
  };
}
