import { fileURLToPath } from 'node:url';
import { loadCsvFile, runBacktest, runSignals, sliceSeries, strategies } from '../src/index.js';

const goog = loadCsvFile(fileURLToPath(new URL('../fixtures/GOOG.csv', import.meta.url)));
const sma = strategies['sma-cross'];
const rsi = strategies['rsi-reversion'];

describe('startBar: indicators over the whole series, trading and statistics from startBar on', () => {
  const params = { fast: 10, slow: 50 };
  const from = 1_800; // a 348-bar test fold after 1,800 bars of history

  it('is a backtest of the bars from startBar with indicators already warm', () => {
    for (const [strategy, p] of [[sma, params], [rsi, { stopLoss: 0.05, takeProfit: 0.1, longOnly: false }]] as const) {
      const whole = strategy.signals(goog, { ...strategy.defaults, ...p });
      const expected = runSignals(sliceSeries(goog, from), {
        action: whole.action.slice(from), warmup: Math.max(0, whole.warmup - from),
        stopLoss: whole.stopLoss?.slice(from), takeProfit: whole.takeProfit?.slice(from),
      }, { commission: 0.002 });
      const actual = runBacktest(goog, strategy, p, { commission: 0.002, startBar: from });
      expect(actual.stats).toEqual(expected.stats);
      expect(actual.trades).toEqual(expected.trades);
      expect(actual.equity).toEqual(expected.equity);
    }
  });

  it('scores exactly the fold from its first bar and trades before a cold run on the fold has warmed up', () => {
    const warm = runBacktest(goog, sma, params, { startBar: from });
    const cold = runBacktest(sliceSeries(goog, from), sma, params);
    expect(warm.stats.start).toBe(goog.time[from]);
    expect(warm.equity).toHaveLength(goog.length - from);
    expect(warm.trades[0].entryBar).toBeLessThan(50);
    expect(cold.trades[0].entryBar).toBeGreaterThan(50);
  });

  it('gives the same figures lean, and the whole run at startBar 0', () => {
    const full = runBacktest(goog, sma, params, { startBar: from });
    const lean = runBacktest(goog, sma, params, { startBar: from, lean: true });
    expect(lean.stats).toEqual(full.stats);
    expect(lean.equity).toEqual(full.equity);
    expect(runBacktest(goog, sma, params, { startBar: 0 }).stats).toEqual(runBacktest(goog, sma, params).stats);
  });

  it('rejects a start bar outside the series', () => {
    for (const bad of [-1, 2.5, goog.length]) expect(() => runBacktest(goog, sma, params, { startBar: bad })).toThrow(/startBar/);
  });
});
