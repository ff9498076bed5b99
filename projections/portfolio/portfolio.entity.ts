import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'portfolio_accounts' })
export class PortfolioAccountRow {
  @PrimaryColumn({ name: 'account_id', type: 'text' }) accountId: string;
  @Column({ type: 'numeric' }) cash: string;
  @Column({ name: 'reserved_cash', type: 'numeric' }) reservedCash: string;
  @Column({ name: 'net_deposits', type: 'numeric' }) netDeposits: string;
}

/** What each open order still holds; the account row keeps the sum so reads need no aggregate. */
@Entity({ name: 'portfolio_reservations' })
export class PortfolioReservationRow {
  @PrimaryColumn({ name: 'account_id', type: 'text' }) accountId: string;
  @PrimaryColumn({ name: 'order_id', type: 'text' }) orderId: string;
  @Column({ type: 'numeric' }) cash: string;
}

@Entity({ name: 'portfolio_positions' })
export class PortfolioPositionRow {
  @PrimaryColumn({ name: 'account_id', type: 'text' }) accountId: string;
  @PrimaryColumn({ type: 'text' }) symbol: string;
  @Column({ type: 'numeric' }) quantity: string;
  @Column({ name: 'cost_basis', type: 'numeric' }) costBasis: string;
  @Column({ name: 'average_cost', type: 'numeric' }) averageCost: string;
  @Column({ name: 'realized_pnl', type: 'numeric' }) realizedPnl: string;
}

/** The projection's own latest close per symbol, so snapshots never wait on another projection. */
@Entity({ name: 'portfolio_marks' })
export class PortfolioMarkRow {
  @PrimaryColumn({ type: 'text' }) symbol: string;
  @Column({ type: 'numeric' }) price: string;
  @Column({ type: 'timestamptz' }) time: Date;
}

/** Equity over time: one row per fill, deposit, withdrawal or bar that moved the account's value. */
@Entity({ name: 'portfolio_snapshots' })
export class PortfolioSnapshotRow {
  @PrimaryColumn({ name: 'account_id', type: 'text' }) accountId: string;
  @PrimaryColumn({ type: 'timestamptz' }) time: Date;
  @Column({ type: 'numeric' }) cash: string;
  @Column({ name: 'market_value', type: 'numeric' }) marketValue: string;
  @Column({ type: 'numeric' }) equity: string;
}
