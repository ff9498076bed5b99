import type { ParamSpec, Params } from './params.js';
import type { OhlcvSeries } from './series.js';

/**
 * What a strategy decides at a bar's close, mirroring backtesting.py's Strategy calls so results compare 1:1.
 * Entry orders fill at the next bar's open (market), or when price reaches their limit/stop.
 */
export const Action = {
  None: 0,
  /** `buy()`: a long entry order; while short it first closes shorts FIFO (non-exclusive netting). */
  Buy: 1,
  /** `sell()`. */
  Sell: 2,
  /** `position.close()`: close every open trade. */
  Exit: 3,
  /** `position.close(); buy()`: flip to long. */
  GoLong: 4,
  /** `position.close(); sell()`: flip to short. */
  GoShort: 5,
} as const;
export type Action = (typeof Action)[keyof typeof Action];

export interface Signals {
  /** One Action per bar. */
  action: Int8Array;
  /** Bars before every indicator is defined; the simulation (and buy & hold) starts at `warmup + 1`, as backtesting.py. */
  warmup: number;
  /** Optional per-bar prices for the entry order decided on that bar; NaN means none. */
  limit?: Float64Array;
  stop?: Float64Array;
  stopLoss?: Float64Array;
  takeProfit?: Float64Array;
}

export interface StrategyDefinition {
  name: string;
  description: string;
  space: ParamSpec[];
  defaults: Params;
  /** Parameter combinations worth running (e.g. fast < slow); optimizers may skip the others. */
  isValid?(params: Params): boolean;
  /** Vectorized decisions for the whole series; indicators come from the per-series cache. */
  signals(series: OhlcvSeries, params: Params): Signals;
}
