// Trades live in parallel typed arrays rather than objects: the simulation loop touches them on every bar and
// must not allocate; Trade objects are built once at the end, and only when the caller wants them.

function grow(a: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}

/** Open trades in opening order, which is the FIFO order opposite orders close them in. */
export class OpenTrades {
  count = 0;
  /** Open trades carrying a stop-loss or take-profit: only those need looking at on bars without new orders. */
  guarded = 0;
  size = new Float64Array(4);
  entryPrice = new Float64Array(4);
  entryBar = new Float64Array(4);
  /** The entry bar's time, read while the fill reads that bar anyway (see ClosedTrades.durationMs). */
  entryTime = new Float64Array(4);
  stopLoss = new Float64Array(4);
  takeProfit = new Float64Array(4);

  add(size: number, entryPrice: number, entryBar: number, entryTime: number, stopLoss: number, takeProfit: number): void {
    if (this.count === this.size.length) {
      const cap = this.count * 2;
      this.size = grow(this.size, cap);
      this.entryPrice = grow(this.entryPrice, cap);
      this.entryBar = grow(this.entryBar, cap);
      this.entryTime = grow(this.entryTime, cap);
      this.stopLoss = grow(this.stopLoss, cap);
      this.takeProfit = grow(this.takeProfit, cap);
    }
    const k = this.count++;
    if (stopLoss === stopLoss || takeProfit === takeProfit) this.guarded++;
    this.size[k] = size;
    this.entryPrice[k] = entryPrice;
    this.entryBar[k] = entryBar;
    this.entryTime[k] = entryTime;
    this.stopLoss[k] = stopLoss;
    this.takeProfit[k] = takeProfit;
  }

  removeAt(k: number): void {
    if (this.stopLoss[k] === this.stopLoss[k] || this.takeProfit[k] === this.takeProfit[k]) this.guarded--;
    const last = --this.count;
    if (k === last) return;
    this.size.copyWithin(k, k + 1, last + 1);
    this.entryPrice.copyWithin(k, k + 1, last + 1);
    this.entryBar.copyWithin(k, k + 1, last + 1);
    this.entryTime.copyWithin(k, k + 1, last + 1);
    this.stopLoss.copyWithin(k, k + 1, last + 1);
    this.takeProfit.copyWithin(k, k + 1, last + 1);
  }

  /** Sum of size × (price − entry): the open PnL (commissions are booked in cash, not here). */
  openPnl(price: number): number {
    let pnl = 0;
    for (let k = 0; k < this.count; k++) pnl += this.size[k] * (price - this.entryPrice[k]);
    return pnl;
  }

  /** Value of the open trades at `price`, which is what they tie up as margin. */
  value(price: number): number {
    let v = 0;
    for (let k = 0; k < this.count; k++) v += Math.abs(this.size[k]) * price;
    return v;
  }
}

export const ExitCode = { signal: 0, stopLoss: 1, takeProfit: 2, end: 3, outOfMoney: 4 } as const;

/** Closed trades, appended as they close. */
export class ClosedTrades {
  count = 0;
  size = new Float64Array(64);
  entryBar = new Float64Array(64);
  exitBar = new Float64Array(64);
  entryPrice = new Float64Array(64);
  exitPrice = new Float64Array(64);
  pnl = new Float64Array(64);
  returnPct = new Float64Array(64);
  commission = new Float64Array(64);
  /**
   * Exit time − entry time. Taken at the fill, where the bar is being read anyway: looked up afterwards, per trade, the
   * two times were cache misses on long series.
   */
  durationMs = new Float64Array(64);
  reason = new Uint8Array(64);

  /** Forgets every trade but keeps the capacity (lean runs reuse one book per thread). */
  clear(): void {
    this.count = 0;
  }

  push(size: number, entryBar: number, exitBar: number, entryPrice: number, exitPrice: number,
    commission: number, reason: number, durationMs: number): void {
    if (this.count === this.size.length) this.resize(this.count * 2);
    const k = this.count++;
    const pnl = size * (exitPrice - entryPrice) - commission;
    this.size[k] = size;
    this.entryBar[k] = entryBar;
    this.exitBar[k] = exitBar;
    this.entryPrice[k] = entryPrice;
    this.exitPrice[k] = exitPrice;
    this.pnl[k] = pnl;
    this.returnPct[k] = Math.sign(size) * (exitPrice / entryPrice - 1) - commission / (Math.abs(size) * entryPrice);
    this.commission[k] = commission;
    this.durationMs[k] = durationMs;
    this.reason[k] = reason;
  }

  private resize(cap: number): void {
    this.size = grow(this.size, cap);
    this.entryBar = grow(this.entryBar, cap);
    this.exitBar = grow(this.exitBar, cap);
    this.entryPrice = grow(this.entryPrice, cap);
    this.exitPrice = grow(this.exitPrice, cap);
    this.pnl = grow(this.pnl, cap);
    this.returnPct = grow(this.returnPct, cap);
    this.commission = grow(this.commission, cap);
    this.durationMs = grow(this.durationMs, cap);
    const r = new Uint8Array(cap);
    r.set(this.reason);
    this.reason = r;
  }
}
