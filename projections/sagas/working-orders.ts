import type { RecordedEvent } from '#eventstore';
import { sessionEnd, type OrderSpec } from '#libs/trading';
import type { EntityManager } from 'typeorm';

export const TERMINAL = ['OrderRejected', 'OrderFilled', 'OrderCancelled', 'OrderExpired'];

/**
 * The changes a run of order events makes to paper_working_orders, written as three set statements
 * instead of one per event. Per order the log goes placed → accepted → ended, and each step only
 * moves forward, so insert-all, then mark-accepted, then delete-ended leaves the rows exactly as
 * the events applied one by one would; inserts keep log order, which is the order a bar fills in.
 */
export class WorkingOrderChanges {
  private readonly placed: { orderId: string; symbol: string; expiresAt: string | null }[] = [];
  private readonly accepted: string[] = [];
  private readonly ended: string[] = [];

  constructor(private readonly sessionEndUtc: string) {}

  note(event: RecordedEvent): void {
    const { orderId } = event.data as { orderId: string };
    if (event.type === 'OrderPlaced') {
      const order = event.data as OrderSpec;
      this.placed.push({ orderId, symbol: order.symbol, expiresAt: order.timeInForce === 'DAY' ? sessionEnd(order.placedAt, this.sessionEndUtc) : null });
    } else if (event.type === 'OrderAccepted') this.accepted.push(orderId);
    else if (TERMINAL.includes(event.type)) this.ended.push(orderId);
  }

  async write(tx: Pick<EntityManager, 'query'>): Promise<void> {
    if (this.placed.length) {
      await tx.query(
        `insert into paper_working_orders (order_id, symbol, expires_at)
         select order_id, symbol, expires_at from unnest($1::text[], $2::text[], $3::timestamptz[]) with ordinality as o(order_id, symbol, expires_at, n) order by n
         on conflict do nothing`,
        [this.placed.map((p) => p.orderId), this.placed.map((p) => p.symbol), this.placed.map((p) => p.expiresAt)],
      );
    }
    if (this.accepted.length) await tx.query('update paper_working_orders set working = true where order_id = any($1)', [this.accepted]);
    if (this.ended.length) await tx.query('delete from paper_working_orders where order_id = any($1)', [this.ended]);
    this.placed.length = this.accepted.length = this.ended.length = 0;
  }
}
