import { indicators } from '../indicator-cache.js';
import { warmupOf } from '../indicators.js';
import { Action, type StrategyDefinition } from '../strategy.js';
import { bool, num, period } from './param.js';

export const bollingerBreakout: StrategyDefinition = {
  name: 'bollinger-breakout',
  description: 'Close breaking out above the upper band goes long, below the lower band goes short (or flat when long-only)',
  space: [
    { name: 'period', type: 'int', low: 5, high: 100 },
    { name: 'k', type: 'float', low: 1, high: 3.5, step: 0.25 },
    { name: 'longOnly', type: 'categorical', choices: [false, true] },
  ],
  defaults: { period: 20, k: 2, longOnly: false },
  signals(series, params) {
    const bands = indicators(series).bollinger(period(params, 'period', 20), num(params, 'k', 2));
    const close = series.close;
    const n = series.length;
    const action = new Int8Array(n);
    const down = bool(params, 'longOnly', false) ? Action.Exit : Action.GoShort;
    for (let i = 1; i < n; i++) {
      // Only the bar that breaks out acts; staying outside the band is not a new signal.
      if (close[i - 1] <= bands.upper[i - 1] && close[i] > bands.upper[i]) action[i] = Action.GoLong;
      else if (close[i - 1] >= bands.lower[i - 1] && close[i] < bands.lower[i]) action[i] = down;
    }
    return { action, warmup: warmupOf(bands.upper) };
  },
};
