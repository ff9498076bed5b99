import {
  runBacktest, seededRandom, strategies, syntheticSeries, type BacktestOptions, type BacktestResult, type OhlcvSeries,
  type ParamSpec, type Params,
} from '../src/index.js';

function sample(space: ParamSpec[], rnd: () => number): Params {
  const p: Params = {};
  for (const spec of space) {
    if (spec.type === 'categorical') p[spec.name] = spec.choices[Math.floor(rnd() * spec.choices.length)];
    else if (spec.type === 'int') p[spec.name] = spec.low + Math.floor(rnd() * (spec.high - spec.low + 1));
    else p[spec.name] = spec.low + rnd() * (spec.high - spec.low);
  }
  return p;
}

function randomOptions(rnd: () => number): BacktestOptions {
  const stopAt = rnd() < 0.25 ? 1 + Math.floor(rnd() * 10) : 0;
  return {
    cash: rnd() < 0.8 ? 10_000 : 500 + rnd() * 100_000,
    commission: rnd() < 0.7 ? rnd() * 0.005 : 0,
    fixedCommission: rnd() < 0.2 ? rnd() * 5 : 0,
    slippage: rnd() < 0.3 ? rnd() * 0.002 : 0,
    sizing: rnd() < 0.7 ? { fraction: 0.1 + rnd() * 0.9 } : { units: 1 + Math.floor(rnd() * 50) },
    fractional: rnd() < 0.3,
    exclusiveOrders: rnd() < 0.3,
    tradeOnClose: rnd() < 0.2,
    closeAtEnd: rnd() < 0.3,
    margin: rnd() < 0.2 ? 0.02 + rnd() * 0.5 : 1,
    onProgress: stopAt ? (step) => step >= stopAt : undefined,
  };
}

/** Every statistic (the lazy beta and alpha included), the equity curve and the stop flag, compared with Object.is. */
function expectSameFigures(lean: BacktestResult, full: BacktestResult): void {
  for (const key of Object.keys(full.stats) as (keyof typeof full.stats)[]) {
    if (!Object.is(lean.stats[key], full.stats[key])) throw new Error(`${key}: lean ${lean.stats[key]}, full ${full.stats[key]}`);
  }
  expect(lean.stoppedEarly).toBe(full.stoppedEarly);
  expect(lean.equity).toEqual(full.equity);
}

describe('lean runs (reused buffers, no Trade objects) give the full run\'s figures bit for bit', () => {
  const rnd = seededRandom(20261123);
  const names = Object.keys(strategies);
  const cases = Array.from({ length: 80 }, (_, k) => {
    const minutes = k % 3 === 0;
    const series = syntheticSeries(minutes ? 5_000 + Math.floor(rnd() * 20_000) : 300 + Math.floor(rnd() * 2_500), 500 + k,
      minutes ? 60_000 : 86_400_000);
    const strategy = strategies[names[k % names.length]];
    return { k, series, strategy, params: sample(strategy.space, rnd), options: randomOptions(rnd) };
  });
  let trades = 0;
  let stopped = 0;

  it.each(cases)('random series, strategy, parameters and costs #$k', ({ series, strategy, params, options }) => {
    const full = runBacktest(series, strategy, params, options);
    const lean = runBacktest(series, strategy, params, { ...options, lean: true });
    expect(lean.trades).toEqual([]);
    expectSameFigures(lean, full);
    trades += full.stats.trades;
    if (full.stoppedEarly) stopped++;
  });

  it('exercised trades and early stops (the comparison is not vacuous)', () => {
    expect(trades).toBeGreaterThan(5_000);
    expect(stopped).toBeGreaterThan(5);
  });

  it('recomputes a result\'s equity and beta once later lean runs have reused its buffers', () => {
    const picked = cases.slice(0, 12);
    const leans = picked.map((c) => runBacktest(c.series, c.strategy, c.params, { ...c.options, lean: true }));
    picked.forEach((c, k) => expectSameFigures(leans[k], runBacktest(c.series, c.strategy, c.params, c.options)));
    // Those late reads switched the thread to computing beta with each run: same figures again.
    for (const c of cases.slice(12, 30)) {
      expectSameFigures(runBacktest(c.series, c.strategy, c.params, { ...c.options, lean: true }),
        runBacktest(c.series, c.strategy, c.params, c.options));
    }
  });

  it('gives a lean run started from another lean run\'s progress callback its own buffers', () => {
    const series = syntheticSeries(20_000, 9);
    const sma = strategies['sma-cross'];
    let inner: BacktestResult | undefined;
    const outer = runBacktest(series, sma, { fast: 5, slow: 40 }, {
      lean: true,
      onProgress: (step) => { if (step === 3) inner = runBacktest(series, sma, { fast: 8, slow: 21 }, { lean: true }); },
    });
    expectSameFigures(outer, runBacktest(series, sma, { fast: 5, slow: 40 }));
    expectSameFigures(inner as BacktestResult, runBacktest(series, sma, { fast: 8, slow: 21 }));
  });
});

describe('figures pinned from the engine before the lean path was optimised (bit for bit)', () => {
  const minuteYear: OhlcvSeries = syntheticSeries(525_600, 1);
  const pins: [Params, Record<string, number>][] = [
    [{ fast: 10, slow: 50 }, {
      sharpe: -0.5233330917255881, sortino: -0.6135997447151231, calmar: -0.5489709889376605, returnPct: -30.881604461848827,
      sqn: -0.3978401757834347, trades: 14566, equityFinal: 6911.839553815117, maxDrawdownPct: -54.388647763147645,
      exposurePct: 99.98059360730593, beta: 0.0046940733142051515,
    }],
    [{ fast: 1, slow: 10 }, {
      sharpe: 0.8620462750597216, sortino: 5.9021151707818555, calmar: 6.643170959521755, returnPct: 270.2961830026613,
      sqn: 1.9523878323603847, trades: 95975, equityFinal: 37029.61830026613, maxDrawdownPct: -42.39156866265083,
      exposurePct: 99.99676560121765, beta: 0.002092257269357067,
    }],
    [{ fast: 70, slow: 20 }, {
      sharpe: 0.2250999817098145, sortino: 0.4610781990896929, calmar: 0.33084364914870606, returnPct: 16.227762910771325,
      sqn: 0.17119693589249155, trades: 9249, equityFinal: 11622.776291077133, maxDrawdownPct: -65.73231423531323,
      exposurePct: 99.95871385083713, beta: -0.007772289947263215,
    }],
  ];

  it.each(pins)('sma-cross %j on 525,600 synthetic minute bars, lean and full', (params, pin) => {
    for (const lean of [true, false]) {
      const { stats } = runBacktest(minuteYear, strategies['sma-cross'], params, { lean });
      expect(Object.fromEntries(Object.keys(pin).map((k) => [k, stats[k as keyof typeof stats]]))).toEqual(pin);
    }
  });

  it('rsi-reversion with stop-loss and take-profit on 100,000 minute bars, lean and full', () => {
    const series = syntheticSeries(100_000, 3);
    const params = { period: 14, oversold: 25, overbought: 75, stopLoss: 0.01, takeProfit: 0.02, longOnly: false };
    for (const lean of [true, false]) {
      const { stats } = runBacktest(series, strategies['rsi-reversion'], params, { commission: 0.0005, lean });
      expect([stats.sharpe, stats.sortino, stats.calmar, stats.returnPct, stats.sqn, stats.trades, stats.equityFinal,
        stats.maxDrawdownPct, stats.exposurePct, stats.beta]).toEqual([-101.75426704722665, -1.890412958320802,
        -1.6924340418244392, -56.05679242179431, -3.074871542853897, 890, 4394.320757820569, -58.18275812617698,
        77.66499999999999, 0.029131672795986958]);
    }
  });
});
