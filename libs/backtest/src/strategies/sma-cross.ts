import { indicators } from '../indicator-cache.js';
import type { StrategyDefinition } from '../strategy.js';
import { bool, period } from './param.js';
import { crossSignals } from './two-line-cross.js';

export const smaCross: StrategyDefinition = {
  name: 'sma-cross',
  description: 'Fast SMA crossing the slow SMA: long on the up-cross, short (or flat when long-only) on the down-cross',
  space: [
    { name: 'fast', type: 'int', low: 2, high: 100 },
    { name: 'slow', type: 'int', low: 5, high: 200 },
    { name: 'longOnly', type: 'categorical', choices: [false, true] },
  ],
  defaults: { fast: 10, slow: 20, longOnly: false },
  isValid: (p) => Number(p.fast ?? 10) < Number(p.slow ?? 20),
  signals(series, params) {
    const ind = indicators(series);
    return crossSignals(ind.sma(period(params, 'fast', 10)), ind.sma(period(params, 'slow', 20)),
      bool(params, 'longOnly', false));
  },
};
