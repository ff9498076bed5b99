import { runsOf, withSetBasedRuns, type Projection, type RecordedEvent, type SegmentRule } from '#eventstore';
import type { FillData, OrderEvent, OrderSpec } from '#libs/trading';
import type { EntityManager } from 'typeorm';

const statusOf: Record<Exclude<OrderEvent['type'], 'OrderPlaced'>, string> = {
  OrderAccepted: 'accepted',
  OrderRejected: 'rejected',
  OrderTriggered: 'triggered',
  OrderPartiallyFilled: 'partially_filled',
  OrderFilled: 'filled',
  OrderCancelled: 'cancelled',
  OrderExpired: 'expired',
};

export const ORDER_EVENT_TYPES = ['OrderPlaced', ...Object.keys(statusOf)] as OrderEvent['type'][];

type LifecycleEvent = Exclude<OrderEvent, { type: 'OrderPartiallyFilled' | 'OrderFilled' }>;
type StatusEvent = Exclude<LifecycleEvent, { type: 'OrderPlaced' }>;

const setsReason = (event: StatusEvent): event is Extract<StatusEvent, { type: 'OrderRejected' | 'OrderCancelled' }> =>
  event.type === 'OrderRejected' || event.type === 'OrderCancelled';

async function recordFill(tx: EntityManager, status: string, f: FillData): Promise<void> {
  await tx.query(
    `insert into fills (fill_id, order_id, account_id, symbol, side, price, quantity, fee, liquidity, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (fill_id) do nothing`,
    [f.fillId, f.orderId, f.accountId, f.symbol, f.side, f.price, f.quantity, f.fee, f.liquidity, f.at],
  );
  await tx.query(
    'update orders set status = $2, filled_quantity = $3, average_fill_price = $4, updated_at = $5 where order_id = $1',
    [f.orderId, status, f.filledQuantity, f.averageFillPrice, f.at],
  );
}

interface StatusChange { orderId: string; status: string; at: string; reason: string | null; setsReason: boolean }

/**
 * The run's placements in one statement, in log order (with ordinality) so seq still numbers orders by arrival.
 * An order's status change from the same run goes into its row at once: an order is placed together with its
 * verdict, and inserting it pending only to update its status (an indexed column) writes the row and every
 * index entry twice. Returns the orders inserted; one whose row already existed keeps it, untouched.
 */
async function recordPlacements(tx: EntityManager, orders: OrderSpec[], changes: Map<string, StatusChange>): Promise<Set<string>> {
  const column = <T>(of: (o: OrderSpec) => T) => orders.map(of);
  const change = <T>(of: (c: StatusChange | undefined, o: OrderSpec) => T) => orders.map((o) => of(changes.get(o.orderId), o));
  const inserted: { order_id: string }[] = await tx.query(
    `insert into orders (order_id, account_id, client_order_id, symbol, side, type, quantity, limit_price, stop_price,
                         time_in_force, status, reason, placed_at, updated_at)
     select o.order_id, o.account_id, o.client_order_id, o.symbol, o.side, o.type, o.quantity, o.limit_price, o.stop_price,
            o.time_in_force, o.status, o.reason, o.placed_at, o.updated_at
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::numeric[],
                   $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[])
            with ordinality as o(order_id, account_id, client_order_id, symbol, side, type, quantity, limit_price, stop_price, time_in_force,
                                 status, reason, placed_at, updated_at, n)
      order by o.n
     on conflict (order_id) do nothing
     returning order_id`,
    [
      column((o) => o.orderId), column((o) => o.accountId), column((o) => o.clientOrderId), column((o) => o.symbol), column((o) => o.side),
      column((o) => o.type), column((o) => o.quantity), column((o) => o.limitPrice), column((o) => o.stopPrice), column((o) => o.timeInForce),
      change((c) => c?.status ?? 'pending'), change((c) => (c?.setsReason ? c.reason : null)), column((o) => o.placedAt), change((c, o) => c?.at ?? o.placedAt),
    ],
  );
  return new Set(inserted.map((row) => row.order_id));
}

/**
 * What applying a run's status changes in turn leaves per order: the last status and time, and the
 * reason of the last rejection or cancellation, if any (a status-only change keeps the reason it found).
 */
function lastStatusPerOrder(events: readonly StatusEvent[]): Map<string, StatusChange> {
  const changes = new Map<string, StatusChange>();
  for (const event of events) {
    const { orderId, at } = event.data;
    const before = changes.get(orderId);
    const reason = setsReason(event) ? { reason: event.data.reason, setsReason: true } : { reason: before?.reason ?? null, setsReason: before?.setsReason ?? false };
    changes.set(orderId, { orderId, status: statusOf[event.type], at, ...reason });
  }
  return changes;
}

async function recordStatusChanges(tx: EntityManager, changes: StatusChange[]): Promise<void> {
  const column = <T>(of: (c: StatusChange) => T) => changes.map(of);
  await tx.query(
    `update orders o set status = c.status, reason = case when c.sets_reason then c.reason else o.reason end, updated_at = c.at
       from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::boolean[]) as c(order_id, status, at, reason, sets_reason)
      where o.order_id = c.order_id`,
    [column((c) => c.orderId), column((c) => c.status), column((c) => c.at), column((c) => c.reason), column((c) => c.setsReason)],
  );
}

/**
 * A run is written placements first, then status changes. That equals log order as long as no
 * order's placement follows one of its own status changes in the run (a change before its row
 * exists is a no-op one by one), so such a placement starts a new run. Never in a valid log.
 */
const LIFECYCLE_RUNS: SegmentRule<RecordedEvent> = {
  // Placements and status changes are most of the log; fills carry running totals and stay one by one.
  ...runsOf('OrderPlaced', 'OrderAccepted', 'OrderRejected', 'OrderTriggered', 'OrderCancelled', 'OrderExpired'),
  startsNewRun: (event, run) => {
    const { orderId } = event.data as { orderId: string };
    return event.type === 'OrderPlaced' && run.some((e) => e.type !== 'OrderPlaced' && (e.data as { orderId: string }).orderId === orderId);
  },
};

async function recordLifecycle(tx: EntityManager, run: RecordedEvent[]): Promise<void> {
  const events = run as unknown as LifecycleEvent[];
  const placed = events.flatMap((e) => (e.type === 'OrderPlaced' ? [e.data] : []));
  const changes = lastStatusPerOrder(events.filter((e): e is StatusEvent => e.type !== 'OrderPlaced'));
  const inserted = placed.length ? await recordPlacements(tx, placed, changes) : new Set<string>();
  const later = [...changes.values()].filter((c) => !inserted.has(c.orderId));
  if (later.length) await recordStatusChanges(tx, later);
}

/**
 * Orders and fills as traders list them; every event carries what its row needs, so no event is re-read.
 * A batch writes each run of placements and status changes in two statements at most, not one per event.
 */
export const ordersProjection: Projection = withSetBasedRuns({
  name: 'orders',
  handles: ORDER_EVENT_TYPES,
  tables: ['orders', 'fills'],
  async apply(recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    const event = recorded as unknown as OrderEvent;
    switch (event.type) {
      case 'OrderPlaced': {
        const o = event.data;
        await tx.query(
          `insert into orders (order_id, account_id, client_order_id, symbol, side, type, quantity, limit_price, stop_price,
                               time_in_force, status, placed_at, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $11) on conflict (order_id) do nothing`,
          [o.orderId, o.accountId, o.clientOrderId, o.symbol, o.side, o.type, o.quantity, o.limitPrice, o.stopPrice, o.timeInForce, o.placedAt],
        );
        return;
      }
      case 'OrderPartiallyFilled':
      case 'OrderFilled':
        return recordFill(tx, statusOf[event.type], event.data);
      case 'OrderRejected':
      case 'OrderCancelled':
        await tx.query('update orders set status = $2, reason = $3, updated_at = $4 where order_id = $1', [
          event.data.orderId, statusOf[event.type], event.data.reason, event.data.at,
        ]);
        return;
      default:
        await tx.query('update orders set status = $2, updated_at = $3 where order_id = $1', [event.data.orderId, statusOf[event.type], event.data.at]);
    }
  },
}, LIFECYCLE_RUNS, recordLifecycle);
