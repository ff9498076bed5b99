import { indicators } from '../indicator-cache.js';
import { warmupOf } from '../indicators.js';
import { Action, type StrategyDefinition } from '../strategy.js';
import { bool, num, period } from './param.js';

export const rsiReversion: StrategyDefinition = {
  name: 'rsi-reversion',
  description: 'Buy when RSI drops into oversold, sell when it rises into overbought (short there unless long-only); '
    + 'optional stop-loss / take-profit as a fraction of the deciding close',
  space: [
    { name: 'period', type: 'int', low: 2, high: 30 },
    { name: 'oversold', type: 'int', low: 10, high: 45 },
    { name: 'overbought', type: 'int', low: 55, high: 90 },
    { name: 'stopLoss', type: 'float', low: 0, high: 0.2, step: 0.01 },
    { name: 'takeProfit', type: 'float', low: 0, high: 0.4, step: 0.01 },
    { name: 'longOnly', type: 'categorical', choices: [true, false] },
  ],
  defaults: { period: 14, oversold: 30, overbought: 70, stopLoss: 0, takeProfit: 0, longOnly: true },
  isValid: (p) => Number(p.oversold ?? 30) < Number(p.overbought ?? 70),
  signals(series, params) {
    const r = indicators(series).rsi(period(params, 'period', 14));
    const low = num(params, 'oversold', 30);
    const high = num(params, 'overbought', 70);
    const sl = num(params, 'stopLoss', 0);
    const tp = num(params, 'takeProfit', 0);
    const longOnly = bool(params, 'longOnly', true);
    const close = series.close;
    const n = series.length;
    const action = new Int8Array(n);
    const stopLoss = sl > 0 ? new Float64Array(n).fill(NaN) : undefined;
    const takeProfit = tp > 0 ? new Float64Array(n).fill(NaN) : undefined;
    for (let i = 1; i < n; i++) {
      let dir = 0;
      if (r[i - 1] >= low && r[i] < low) dir = 1;
      else if (r[i - 1] <= high && r[i] > high) dir = -1;
      if (dir === 0) continue;
      action[i] = dir > 0 ? Action.GoLong : longOnly ? Action.Exit : Action.GoShort;
      if (dir > 0 || !longOnly) {
        if (stopLoss) stopLoss[i] = close[i] * (1 - dir * sl);
        if (takeProfit) takeProfit[i] = close[i] * (1 + dir * tp);
      }
    }
    return { action, warmup: warmupOf(r), stopLoss, takeProfit };
  },
};
