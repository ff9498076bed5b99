import { runBacktest, seededRandom, strategies, syntheticSeries, type BacktestOptions, type ParamSpec, type Params } from '../src/index.js';

function sample(space: ParamSpec[], rnd: () => number): Params {
  const p: Params = {};
  for (const spec of space) {
    if (spec.type === 'categorical') p[spec.name] = spec.choices[Math.floor(rnd() * spec.choices.length)];
    else if (spec.type === 'int') p[spec.name] = spec.low + Math.floor(rnd() * (Math.min(spec.high, 60) - spec.low + 1));
    else p[spec.name] = spec.low + rnd() * (spec.high - spec.low);
  }
  return p;
}

describe('property: equity = cash + open PnL on every bar', () => {
  const rnd = seededRandom(20240601);
  const names = Object.keys(strategies);
  let runsWithTrades = 0;

  it.each(Array.from({ length: 40 }, (_, k) => k))('random series, strategy, parameters and costs #%i', (k) => {
    const series = syntheticSeries(1500, 1000 + k, 86_400_000);
    const strategy = strategies[names[k % names.length]];
    let params = sample(strategy.space, rnd);
    while (strategy.isValid && !strategy.isValid(params)) params = sample(strategy.space, rnd);
    const rel = rnd() < 0.7 ? rnd() * 0.005 : 0;
    const fixed = rnd() < 0.3 ? 1 + rnd() * 5 : 0;
    const options: BacktestOptions = {
      cash: 10_000,
      commission: rel,
      fixedCommission: fixed,
      slippage: rnd() < 0.5 ? rnd() * 0.002 : 0,
      sizing: rnd() < 0.7 ? { fraction: 0.1 + rnd() * 0.9 } : { units: 1 + Math.floor(rnd() * 50) },
      fractional: rnd() < 0.3,
      exclusiveOrders: rnd() < 0.5,
    };
    const { equity, trades, openTrades, stats } = runBacktest(series, strategy, params, options);
    const fee = (size: number, price: number) => fixed + Math.abs(size) * price * rel;

    // Rebuilt from the trade list alone: realized PnL of trades closed by bar i, plus marked-to-close PnL
    // (net of the entry fee already paid) of trades open during bar i.
    const all = [...trades, ...openTrades.map((t) => ({ ...t, exitBar: Infinity }))];
    for (let i = 0; i < series.length; i++) {
      let expected = 10_000;
      for (const t of all) {
        if (t.exitBar <= i) expected += t.pnl;
        else if (t.entryBar <= i) expected += t.size * (series.close[i] - t.entryPrice) - fee(t.size, t.entryPrice);
      }
      expect(Math.abs(equity[i] - expected)).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
    }
    if (trades.length > 0) runsWithTrades++;
    expect(stats.trades).toBe(trades.length);
    expect(stats.equityFinal).toBe(equity[series.length - 1]);
  });

  it('exercised closed trades in most of those runs (the property is not vacuous)', () => {
    expect(runsWithTrades).toBeGreaterThanOrEqual(30);
  });
});
