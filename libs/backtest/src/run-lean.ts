import { acquireLeanBuffers, betaEagerly, noteLateBetaRead, releaseLeanBuffers, stillHeld } from './lean.js';
import type { OhlcvSeries } from './series.js';
import { simulate, type SimulationSettings } from './simulate.js';
import { computeStats } from './stats.js';
import type { Signals } from './strategy.js';
import type { BacktestResult } from './types.js';

/**
 * The same simulation and statistics as a full run (so every figure is bit-for-bit the same), on the thread's
 * reused buffers and without Trade objects. `equity` and the lazy beta read the shared buffer while this run still
 * holds it; after a later lean run they re-simulate once (no onProgress: the run is causal, so its first `bars`
 * bars do not depend on where it stopped), and the thread switches to computing beta with each run (lean.ts).
 */
export function runLean(series: OhlcvSeries, signals: Signals, settings: SimulationSettings,
  again: () => Signals): BacktestResult {
  const buffers = acquireLeanBuffers(series.length);
  try {
    const sim = simulate(series, signals, settings, buffers.equity, buffers.closed);
    const shared = sim.equity;
    const bars = sim.bars;
    let owned: Float64Array | undefined;
    // A run stopped on its last bar did not close at the end; the rerun, which runs to the end, must not either.
    const closeAtEnd = settings.closeAtEnd && !sim.stoppedEarly;
    const rerun = () => simulate(series, again(), { ...settings, onProgress: undefined, closeAtEnd }).equity.subarray(0, bars);
    const later = () => {
      if (owned || stillHeld(buffers)) return owned ?? shared;
      noteLateBetaRead();
      return (owned = rerun());
    };
    return {
      stats: computeStats(series, shared, bars, sim.broker.closed, Math.max(0, sim.start - 1), later, betaEagerly()),
      get equity() {
        return (owned ??= stillHeld(buffers) ? shared.slice() : rerun());
      },
      trades: [],
      openTrades: [],
      stoppedEarly: sim.stoppedEarly,
    };
  } finally {
    releaseLeanBuffers(buffers);
  }
}
