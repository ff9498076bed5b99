import { indicators } from '../indicator-cache.js';
import type { StrategyDefinition } from '../strategy.js';
import { bool, period } from './param.js';
import { crossSignals } from './two-line-cross.js';

export const macdCross: StrategyDefinition = {
  name: 'macd-cross',
  description: 'MACD line crossing its signal line: long above, short (or flat when long-only) below',
  space: [
    { name: 'fast', type: 'int', low: 2, high: 30 },
    { name: 'slow', type: 'int', low: 10, high: 60 },
    { name: 'signal', type: 'int', low: 2, high: 20 },
    { name: 'longOnly', type: 'categorical', choices: [false, true] },
  ],
  defaults: { fast: 12, slow: 26, signal: 9, longOnly: false },
  isValid: (p) => Number(p.fast ?? 12) < Number(p.slow ?? 26),
  signals(series, params) {
    const m = indicators(series).macd(period(params, 'fast', 12), period(params, 'slow', 26), period(params, 'signal', 9));
    return crossSignals(m.macd, m.signal, bool(params, 'longOnly', false));
  },
};
