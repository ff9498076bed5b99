export interface Drawdowns {
  /** Deepest drawdown as a fraction (0.34 = 34 % below the running peak). */
  max: number;
  /** Mean of each drawdown's deepest point; NaN when equity never fell below a peak. */
  avgPeak: number;
  maxDurationMs: number;
  avgDurationMs: number;
}

/**
 * A drawdown runs from a bar at its running peak to the next bar back at a peak (or the last bar), as in
 * backtesting.py's `compute_drawdown_duration_peaks`; its duration is measured in time, not bars.
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
  for (let i = 0; i < length; i++) {
    const e = equity[i];
    if (e > peak) peak = e;
    const dd = 1 - e / peak;
    if (dd > max) max = dd;
    if (dd > deepest) deepest = dd;
    if (dd === 0 || i === length - 1) {
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
  }
  return {
    max,
    avgPeak: count ? sumPeak / count : NaN,
    maxDurationMs: count ? maxDuration : NaN,
    avgDurationMs: count ? sumDuration / count : NaN,
  };
}
