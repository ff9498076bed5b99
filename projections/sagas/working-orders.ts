import type { RecordedEvent } from '#eventstore';
import { sessionEnd, type OrderSpec } from '#libs/trading';
import type { EntityManager } from 'typeorm';

export const TERMINAL = ['OrderRejected', 'OrderFilled', 'OrderCancelled', 'OrderExpired'];

/**
 * The changes a run of order events makes to paper_working_orders, written as three set statements
 * instead of one per event. Per order the log goes placed → accepted → ended, and each step only
 * moves forward, so insert-all, then mark-accepted, then delete-ended leaves the rows exactly as
 * the events applied one by one would; inserts keep log order, which is the order a bar fills in.
 * An order placed in the same run as its verdict (they are appended together) is inserted working,
 * or not at all once ended: updating `working` moves the row in and out of the by-symbol index, so
 * insert-then-update would write it twice.
 */
export class WorkingOrderChanges {
  private readonly placed = new Map<string, { orderId: string; symbol: string; expiresAt: string | null; working: boolean }>();
  private readonly accepted: string[] = [];
  private readonly ended: string[] = [];

  constructor(private readonly sessionEndUtc: string) {}

  note(event: RecordedEvent): void {
    const { orderId } = event.data as { orderId: string };
    if (event.type === 'OrderPlaced') {
      const order = event.data as OrderSpec;
      const expiresAt = order.timeInForce === 'DAY' ? sessionEnd(order.placedAt, this.sessionEndUtc) : null;
      if (!this.placed.has(orderId)) this.placed.set(orderId, { orderId, symbol: order.symbol, expiresAt, working: false });
    } else if (event.type === 'OrderAccepted') {
      const placed = this.placed.get(orderId);
      if (placed) placed.working = true;
      else this.accepted.push(orderId);
    } else if (TERMINAL.includes(event.type)) {
      // Still deleted: a row this placement's insert would have left alone (written before) must go.
      this.placed.delete(orderId);
      this.ended.push(orderId);
    }
  }

  async write(tx: Pick<EntityManager, 'query'>): Promise<void> {
    if (this.placed.size) {
      const placed = [...this.placed.values()];
      await tx.query(
        `insert into paper_working_orders as w (order_id, symbol, expires_at, working)
         select order_id, symbol, expires_at, working
           from unnest($1::text[], $2::text[], $3::timestamptz[], $4::boolean[]) with ordinality as o(order_id, symbol, expires_at, working, n) order by n
         on conflict (order_id) do update set working = true where excluded.working and not w.working`,
        [placed.map((p) => p.orderId), placed.map((p) => p.symbol), placed.map((p) => p.expiresAt), placed.map((p) => p.working)],
      );
    }
    if (this.accepted.length) await tx.query('update paper_working_orders set working = true where order_id = any($1)', [this.accepted]);
    if (this.ended.length) await tx.query('delete from paper_working_orders where order_id = any($1)', [this.ended]);
    this.placed.clear();
    this.accepted.length = this.ended.length = 0;
  }
}
