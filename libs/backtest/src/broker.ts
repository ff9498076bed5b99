import type { OhlcvSeries } from './series.js';
import { ClosedTrades, ExitCode, OpenTrades } from './trade-book.js';

export interface BrokerConfig {
  cash: number;
  rel: number;
  fixed: number;
  slippage: number;
  tradeOnClose: boolean;
  /** NaN when sizing by units. */
  fraction: number;
  units: number;
  fractional: boolean;
  leverage: number;
}

/** Python's float `//`: exact floor even where `a / b` rounds up to an integer (sizing must match backtesting.py). */
export function floorDiv(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && (b < 0) !== (mod < 0)) {
    mod += b;
    div -= 1;
  }
  let floored = Math.floor(div);
  if (div - floored > 0.5) floored += 1;
  return floored;
}

/**
 * Order execution with backtesting.py's semantics (its `_Broker._process_orders`), with one working entry order
 * at a time: a new entry decision replaces an unfilled limit/stop order instead of queueing beside it.
 * Within a bar: pending closes at the market price, then stop-losses (adversarially first), then the entry
 * order (netting opposite trades FIFO), then take-profits.
 */
export class Broker {
  cash: number;
  readonly open = new OpenTrades();
  closeAllPending = false;
  entryDir = 0;
  entryLimit = NaN;
  entryStop = NaN;
  entryStopLoss = NaN;
  entryTakeProfit = NaN;

  constructor(private readonly s: OhlcvSeries, private readonly c: BrokerConfig,
    readonly closed: ClosedTrades = new ClosedTrades()) {
    this.cash = c.cash;
  }

  commission(size: number, price: number): number {
    return this.c.fixed + Math.abs(size) * price * this.c.rel;
  }

  // Marked at the current bar's close even while filling at its open: backtesting.py sizes orders this way.
  marginAvailable(lastClose: number): number {
    const o = this.open;
    if (o.count === 0) return Math.max(0, this.cash);
    return Math.max(0, this.cash + o.openPnl(lastClose) - o.value(lastClose) / this.c.leverage);
  }

  /** Closes `units` (all when ≥ the trade's size) of open trade k; the rest stays at its FIFO place. */
  closeTrade(k: number, units: number, price: number, bar: number, reason: number): void {
    const o = this.open;
    const size = o.size[k];
    const whole = units >= Math.abs(size);
    const closing = whole ? size : Math.sign(size) * units;
    const entry = o.entryPrice[k];
    const exitCommission = this.commission(closing, price);
    // Entry commission is recomputed on the closed part, as backtesting.py does after partial closes.
    this.closed.push(closing, o.entryBar[k], bar, entry, price, exitCommission + this.commission(closing, entry), reason,
      this.s.time[bar] - o.entryTime[k]);
    this.cash += closing * (price - entry) - exitCommission;
    if (whole) o.removeAt(k);
    else o.size[k] = size - closing;
  }

  closeAll(price: number, bar: number, reason: number): void {
    while (this.open.count > 0) this.closeTrade(0, Infinity, price, bar, reason);
  }

  processOrders(i: number): void {
    const s = this.s;
    if (this.closeAllPending) {
      this.closeAllPending = false;
      const onClose = this.c.tradeOnClose;
      const price = onClose ? s.close[i - 1] : s.open[i];
      const bar = onClose ? i - 1 : i;
      const slip = this.c.slippage;
      while (this.open.count > 0) {
        this.closeTrade(0, Infinity, price * (1 - Math.sign(this.open.size[0]) * slip), bar, ExitCode.signal);
      }
    }
    // Only trades with a stop-loss or take-profit need the bar's high and low: on a long series those are cache
    // misses, the dearest part of a fill.
    if (this.open.guarded > 0) this.checkStopLosses(i, 0);
    let checkUpTo = this.open.count;
    if (this.entryDir !== 0) checkUpTo = this.fillEntry(i);
    if (this.open.guarded > 0) this.checkTakeProfits(i, checkUpTo);
  }

  private checkStopLosses(i: number, from: number): void {
    const o = this.open;
    const s = this.s;
    for (let k = from; k < o.count;) {
      const sl = o.stopLoss[k];
      const size = o.size[k];
      if (sl === sl && (size > 0 ? s.low[i] <= sl : s.high[i] >= sl)) {
        // A stop becomes a market order: a gap through it fills at the open, not at the stop.
        const open = s.open[i];
        const price = size > 0 ? Math.min(open, sl) : Math.max(open, sl);
        this.closeTrade(k, Infinity, price * (1 - Math.sign(size) * this.c.slippage), i, ExitCode.stopLoss);
      } else k++;
    }
  }

  private checkTakeProfits(i: number, upTo: number): void {
    const o = this.open;
    const open = this.s.open[i];
    const high = this.s.high[i];
    const low = this.s.low[i];
    for (let k = 0; k < upTo && k < o.count;) {
      const tp = o.takeProfit[k];
      const size = o.size[k];
      if (tp === tp && (size > 0 ? high >= tp : low <= tp)) {
        this.closeTrade(k, Infinity, size > 0 ? Math.max(open, tp) : Math.min(open, tp), i, ExitCode.takeProfit);
        upTo--;
      } else k++;
    }
  }

  /** Returns how many open trades have take-profits due this bar (a fresh trade's only after a market fill). */
  private fillEntry(i: number): number {
    const s = this.s;
    const c = this.c;
    const dir = this.entryDir;
    const open = s.open[i];
    let stopHit = NaN;
    if (this.entryStop === this.entryStop) {
      if (!(dir > 0 ? s.high[i] >= this.entryStop : s.low[i] <= this.entryStop)) return this.open.count;
      stopHit = this.entryStop;
      this.entryStop = NaN; // a triggered stop order is now a market (or limit) order
    }
    const limit = this.entryLimit;
    let price: number;
    if (limit === limit) {
      const hit = dir > 0 ? s.low[i] <= limit : s.high[i] >= limit;
      const hitBeforeStop = hit && stopHit === stopHit && (dir > 0 ? limit <= stopHit : limit >= stopHit);
      if (!hit || hitBeforeStop) return this.open.count;
      const from = stopHit === stopHit ? stopHit : open;
      price = dir > 0 ? Math.min(from, limit) : Math.max(from, limit);
    } else {
      price = c.tradeOnClose ? s.close[i - 1] : open;
      if (stopHit === stopHit) price = dir > 0 ? Math.max(price, stopHit) : Math.min(price, stopHit);
    }
    const isMarket = limit !== limit && stopHit !== stopHit;
    const bar = isMarket && c.tradeOnClose ? i - 1 : i;
    const lastClose = s.close[i];
    const filled = limit === limit ? price : price * (1 + dir * c.slippage);
    const stopLoss = this.entryStopLoss;
    const takeProfit = this.entryTakeProfit;
    this.entryDir = 0;

    let need: number;
    // Per-unit cost as backtesting.py computes it (size as a fraction); the fixed fee is taken off the budget
    // instead of being divided by that fraction, which would charge it once per unit.
    const perUnit = filled + (c.fraction === c.fraction ? (c.fraction * price * c.rel) / c.fraction : price * c.rel);
    if (c.fraction === c.fraction) {
      const budget = this.marginAvailable(lastClose) * c.leverage * c.fraction - c.fixed;
      need = c.fractional ? (budget / perUnit) * (1 - 1e-12) : floorDiv(budget, perUnit);
      if (!(need > 0)) return this.open.count;
    } else need = c.units;

    const o = this.open;
    const wanted = need;
    for (let k = 0; k < o.count && need > 0;) {
      const size = o.size[k];
      if (size > 0 === dir > 0) {
        k++;
        continue;
      }
      const exitPrice = limit === limit ? price : price * (1 + dir * c.slippage);
      const units = Math.abs(size);
      this.closeTrade(k, need, exitPrice, bar, ExitCode.signal);
      need = need >= units ? need - units : 0;
      if (c.fractional && need < wanted * 1e-9) need = 0;
    }
    if (need <= 0 || need * perUnit + c.fixed > this.marginAvailable(lastClose) * c.leverage) return o.count;

    const size = dir * need;
    this.cash -= this.commission(size, filled);
    o.add(size, filled, bar, s.time[bar], stopLoss, takeProfit);
    if (isMarket) {
      if (stopLoss === stopLoss) this.checkStopLosses(i, o.count - 1);
      return o.count;
    }
    // A triggered stop entry whose take-profit is also inside the bar, with the stop-loss outside it, is
    // unambiguous: both moves go the same way.
    const tpInBar = takeProfit === takeProfit && stopHit === stopHit && limit !== limit && (dir > 0
      ? takeProfit <= s.high[i] && !(stopLoss >= s.low[i])
      : takeProfit >= s.low[i] && !(stopLoss <= s.high[i]));
    return tpInBar ? o.count : o.count - 1;
  }
}
