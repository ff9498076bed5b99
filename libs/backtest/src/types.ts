/** How many units an entry order asks for. */
export type Sizing =
  /** A fraction (0, 1] of available margin (equity minus the value of open trades), as backtesting.py's `size < 1`. */
  | { fraction: number }
  /** A fixed number of units per entry order. */
  | { units: number };

export interface BacktestOptions {
  /** Starting cash; default 10,000. */
  cash?: number;
  /** Commission as a fraction of traded value, charged at entry and again at exit; default 0. */
  commission?: number;
  /** Fixed cash commission per fill, charged at entry and at exit; default 0. */
  fixedCommission?: number;
  /** Adverse price move as a fraction of price on market and stop fills (not on limit fills); default 0. */
  slippage?: number;
  /** Market orders fill at the deciding bar's close instead of the next bar's open; default false. */
  tradeOnClose?: boolean;
  /** Default `{ fraction: 1 }`: buy or sell with all available margin. */
  sizing?: Sizing;
  /** Trade fractional units instead of whole units; default false. */
  fractional?: boolean;
  /** Required margin ratio (1 / leverage); default 1 (no leverage). */
  margin?: number;
  /** Close trades still open after the last bar at its close, so they count in the trade statistics; default false. */
  closeAtEnd?: boolean;
  /** Every new entry order first cancels the working entry order and closes all open trades; default false. */
  exclusiveOrders?: boolean;
  /**
   * Called `progressSteps` times during the run (every 10 % of bars by default) with the step number (1-based)
   * and equity at that bar; return true to stop the run there (pruning). Stats then cover the bars run so far.
   */
  onProgress?: (step: number, equity: number) => boolean | void;
  progressSteps?: number;
  /**
   * First bar to trade and score (default 0): the strategy's indicators are computed over the whole series, but the
   * run is a backtest of the bars from here on (equity, trade bar indices and every statistic count from it). For
   * walk-forward test folds: pass [from − lookback, to) with startBar = lookback.
   */
  startBar?: number;
  /**
   * Skip building Trade objects (stats are still complete, bit for bit those of a full run); for optimizers that only
   * need the objective. The run works in buffers reused by the thread's next lean run, so reading the result's
   * `equity` copies it, or recomputes it once a later lean run has reused the buffer (beta likewise).
   */
  lean?: boolean;
}

export type ExitReason = 'signal' | 'stop-loss' | 'take-profit' | 'end' | 'out-of-money';

export interface Trade {
  /** Units; negative for a short trade. */
  size: number;
  entryBar: number;
  exitBar: number;
  entryTime: number;
  exitTime: number;
  entryPrice: number;
  exitPrice: number;
  /** Cash profit after entry and exit commissions. */
  pnl: number;
  /** Return on the entry value, after commissions (0.05 = 5 %). */
  returnPct: number;
  commission: number;
  durationMs: number;
  exitReason: ExitReason;
}

/** Figures follow backtesting.py's `compute_stats`: percentages are ×100, drawdowns are negative, durations in ms. */
export interface BacktestStats {
  start: number;
  end: number;
  durationMs: number;
  exposurePct: number;
  equityFinal: number;
  equityPeak: number;
  commissions: number;
  returnPct: number;
  buyAndHoldReturnPct: number;
  annualReturnPct: number;
  annualVolatilityPct: number;
  cagrPct: number;
  sharpe: number;
  sortino: number;
  calmar: number;
  alphaPct: number;
  beta: number;
  maxDrawdownPct: number;
  avgDrawdownPct: number;
  maxDrawdownDurationMs: number;
  avgDrawdownDurationMs: number;
  trades: number;
  winRatePct: number;
  bestTradePct: number;
  worstTradePct: number;
  avgTradePct: number;
  maxTradeDurationMs: number;
  avgTradeDurationMs: number;
  profitFactor: number;
  expectancyPct: number;
  sqn: number;
  kelly: number;
}

export interface BacktestResult {
  stats: BacktestStats;
  /** Equity at each bar's close (cash + open PnL); truncated when the run was stopped early. */
  equity: Float64Array;
  /** Closed trades in closing order (empty with `lean`). */
  trades: Trade[];
  /** Trades still open after the last bar, valued at the last close (empty with `lean` or `closeAtEnd`). */
  openTrades: Trade[];
  /** True when `onProgress` asked to stop. */
  stoppedEarly: boolean;
}
