import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per order, its latest status and running fill totals (the events carry them). */
@Entity({ name: 'orders' })
export class OrderRow {
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @PrimaryColumn({ name: 'order_id', type: 'text' }) orderId: string;
  @Column({ name: 'account_id', type: 'text' }) accountId: string;
  @Column({ name: 'client_order_id', type: 'text' }) clientOrderId: string;
  @Column({ type: 'text' }) symbol: string;
  @Column({ type: 'text' }) side: string;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'numeric' }) quantity: string;
  @Column({ name: 'limit_price', type: 'numeric', nullable: true }) limitPrice: string | null;
  @Column({ name: 'stop_price', type: 'numeric', nullable: true }) stopPrice: string | null;
  @Column({ name: 'time_in_force', type: 'text' }) timeInForce: string;
  @Column({ type: 'text' }) status: string;
  @Column({ name: 'filled_quantity', type: 'numeric' }) filledQuantity: string;
  @Column({ name: 'average_fill_price', type: 'numeric', nullable: true }) averageFillPrice: string | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'placed_at', type: 'timestamptz' }) placedAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** One row per execution; an order's fills in seq order are its execution history. */
@Entity({ name: 'fills' })
export class FillRow {
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @PrimaryColumn({ name: 'fill_id', type: 'text' }) fillId: string;
  @Column({ name: 'order_id', type: 'text' }) orderId: string;
  @Column({ name: 'account_id', type: 'text' }) accountId: string;
  @Column({ type: 'text' }) symbol: string;
  @Column({ type: 'text' }) side: string;
  @Column({ type: 'numeric' }) price: string;
  @Column({ type: 'numeric' }) quantity: string;
  @Column({ type: 'numeric' }) fee: string;
  @Column({ type: 'text' }) liquidity: string;
  @Column({ type: 'timestamptz' }) at: Date;
}
