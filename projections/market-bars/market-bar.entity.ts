import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Historical bars, keyed for range scans by symbol, timeframe and time. */
@Entity({ name: 'market_bars' })
export class MarketBarRow {
  @PrimaryColumn({ type: 'text' }) symbol: string;
  @PrimaryColumn({ type: 'text' }) timeframe: string;
  @PrimaryColumn({ type: 'timestamptz' }) time: Date;
  @Column({ type: 'numeric' }) open: string;
  @Column({ type: 'numeric' }) high: string;
  @Column({ type: 'numeric' }) low: string;
  @Column({ type: 'numeric' }) close: string;
  @Column({ type: 'numeric' }) volume: string;
}

/** The mark for positions and the reference for risk checks: the close of the latest bar seen. */
@Entity({ name: 'latest_prices' })
export class LatestPriceRow {
  @PrimaryColumn({ type: 'text' }) symbol: string;
  @Column({ type: 'numeric' }) price: string;
  @Column({ type: 'timestamptz' }) time: Date;
}
