/** What every measured store offers the workload; each adapter maps it onto its own API. */
export type BenchPayload = {
  orderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: string;
  price: string;
  seq: number;
};

export interface BenchTarget {
  readonly name: string;
  /**
   * Appends to `stream`. `expected` is what the previous append to that stream returned, or
   * null for a new stream, so every append carries an exact expectation. Returns the next one.
   */
  append(stream: string, events: BenchPayload[], expected: bigint | null): Promise<bigint>;
  /** Reads the whole log in pages of `pageSize`; returns how many events it saw. */
  readAll(pageSize: number): Promise<number>;
  /** Subscribes from the beginning until `total` events are delivered or it reaches the end; returns the count. */
  catchUp(total: number): Promise<number>;
  /** Starts a live subscriber (from the end); resolves once it is live, with its stop function. */
  live(onEvent: (payload: BenchPayload) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const payload = (seq: number): BenchPayload => ({
  orderId: `ord-${seq}`, symbol: 'BTCUSD', side: seq % 2 ? 'buy' : 'sell', qty: '0.25', price: '64012.50', seq,
});
