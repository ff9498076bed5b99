import { runsOf, withSetBasedRuns, type Projection, type RecordedEvent } from '#eventstore';
import type { AccountEvent, AccountOpened, OrderFundsReserved } from '#libs/trading';
import type { EntityManager } from 'typeorm';

/**
 * Also written by the request that opened the account, right after the append, so the account
 * reads back at once; the insert is a no-op for whichever writer comes second.
 */
export async function recordAccountOpened(tx: EntityManager, data: AccountOpened['data']): Promise<void> {
  await tx.query(
    `insert into accounts (account_id, name, settings, cash, opened_at, updated_at) values ($1, $2, $3, $4, $5, $5)
     on conflict (account_id) do nothing`,
    [data.accountId, data.name, JSON.stringify(data.settings), data.openingDeposit, data.openedAt],
  );
}

/**
 * A run of reservations in one statement, in log order (with ordinality) so that, as one by one,
 * an order's first reservation is the one kept.
 */
async function holdForOrders(tx: EntityManager, run: RecordedEvent[]): Promise<void> {
  const held = run.map((e) => e.data as OrderFundsReserved['data']);
  await tx.query(
    `insert into account_reservations (account_id, order_id, cash)
     select r.account_id, r.order_id, r.cash
       from unnest($1::text[], $2::text[], $3::numeric[]) with ordinality as r(account_id, order_id, cash, n)
      order by r.n
     on conflict do nothing`,
    [held.map((r) => r.accountId), held.map((r) => r.orderId), held.map((r) => r.reservedCash)],
  );
}

/** Reservations of distinct orders commute; fills and releases cut the run, as they change what it wrote. */
const RESERVATION_RUNS = runsOf<RecordedEvent>('OrderFundsReserved');

/**
 * Name, settings, cash and the cash held per open order. Every number is the one the account decider computed.
 * A batch writes each run of reservations (most of the log under load) in one statement, not one per event.
 */
export const accountsProjection: Projection = withSetBasedRuns({
  name: 'accounts',
  handles: ['AccountOpened', 'AccountSettingsChanged', 'FundsDeposited', 'FundsWithdrawn', 'OrderFundsReserved', 'FillSettled', 'OrderReservationReleased'],
  tables: ['accounts', 'account_reservations'],
  async apply(recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as AccountEvent;
    switch (event.type) {
      case 'AccountOpened':
        await recordAccountOpened(tx, event.data);
        return;
      case 'AccountSettingsChanged':
        await tx.query('update accounts set settings = $2, updated_at = $3 where account_id = $1', [event.data.accountId, JSON.stringify(event.data.settings), event.data.at]);
        return;
      case 'FundsDeposited':
      case 'FundsWithdrawn':
        await setCash(tx, event.data);
        return;
      case 'OrderFundsReserved':
        await tx.query('insert into account_reservations (account_id, order_id, cash) values ($1, $2, $3) on conflict do nothing', [event.data.accountId, event.data.orderId, event.data.reservedCash]);
        return;
      case 'FillSettled': {
        const { accountId, orderId, reservation } = event.data;
        await setCash(tx, event.data);
        if (reservation && reservation.quantity === '0') await releaseReservation(tx, accountId, orderId);
        else if (reservation) await tx.query('update account_reservations set cash = $3 where account_id = $1 and order_id = $2', [accountId, orderId, reservation.cash]);
        return;
      }
      case 'OrderReservationReleased':
        await releaseReservation(tx, event.data.accountId, event.data.orderId);
        return;
      default:
        return;
    }
  },
}, RESERVATION_RUNS, holdForOrders);

const setCash = (tx: EntityManager, data: { accountId: string; cashAfter: string; at: string }) =>
  tx.query('update accounts set cash = $2, updated_at = $3 where account_id = $1', [data.accountId, data.cashAfter, data.at]);

const releaseReservation = (tx: EntityManager, accountId: string, orderId: string) =>
  tx.query('delete from account_reservations where account_id = $1 and order_id = $2', [accountId, orderId]);
