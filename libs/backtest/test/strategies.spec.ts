import { fileURLToPath } from 'node:url';
import { Action, loadCsvFile, runBacktest, strategies } from '../src/index.js';

const goog = loadCsvFile(fileURLToPath(new URL('../fixtures/GOOG.csv', import.meta.url)));

describe('strategy registry', () => {
  it('offers the four strategies with their defaults inside their declared space', () => {
    expect(Object.keys(strategies).sort()).toEqual(['bollinger-breakout', 'macd-cross', 'rsi-reversion', 'sma-cross']);
    for (const s of Object.values(strategies)) {
      for (const spec of s.space) {
        const v = s.defaults[spec.name];
        if (spec.type === 'categorical') expect(spec.choices).toContain(v);
        else expect(v as number).toBeGreaterThanOrEqual(spec.low);
      }
      expect(s.isValid?.(s.defaults) ?? true).toBe(true);
    }
  });

  it.each(Object.keys(strategies))('%s trades GOOG with its defaults and only acts after warm-up', (name) => {
    const strategy = strategies[name];
    const signals = strategy.signals(goog, strategy.defaults);
    for (let i = 0; i <= signals.warmup; i++) expect(signals.action[i]).toBe(Action.None);
    const { stats, trades } = runBacktest(goog, strategy, {}, { commission: 0.001 });
    expect(stats.trades).toBeGreaterThan(3);
    expect(trades[0].entryBar).toBeGreaterThan(signals.warmup);
  });

  it('long-only variants never hold a short', () => {
    for (const name of ['sma-cross', 'macd-cross', 'bollinger-breakout', 'rsi-reversion']) {
      const { trades, openTrades } = runBacktest(goog, strategies[name], { longOnly: true });
      expect([...trades, ...openTrades].every((t) => t.size > 0)).toBe(true);
    }
  });

  it('rejects parameter sets that make no sense and unusable values', () => {
    expect(strategies['sma-cross'].isValid!({ fast: 20, slow: 10 })).toBe(false);
    expect(() => runBacktest(goog, strategies['sma-cross'], { fast: 0 })).toThrow('at least 1 bar');
  });
});
