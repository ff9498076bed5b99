import { runsOf, withSetBasedRuns, type Projection, type RecordedEvent } from '#eventstore';
import { latestBar, type MarketBarsRecorded } from '#libs/market-data';
import type { AccountEvent, OrderFundsReserved } from '#libs/trading';
import type { EntityManager } from 'typeorm';

const UPSERT_SNAPSHOT = `
  on conflict (account_id, time) do update set cash = excluded.cash, market_value = excluded.market_value, equity = excluded.equity`;

/**
 * Market value of an account's positions at the projection's marks, rounded per position as
 * portfolioOf does; a position on a symbol without a mark counts at cost, as portfolioOf does.
 */
const marketValue = (account: string, except = `''`) => `(
  select coalesce(sum(coalesce(round(q.quantity * m.price, 8), q.cost_basis)), 0)
    from portfolio_positions q left join portfolio_marks m on m.symbol = q.symbol
   where q.account_id = ${account} and q.symbol <> ${except})`;

/** Equity at `time`: cash plus every position at its mark. */
async function snapshot(tx: EntityManager, accountId: string, time: string): Promise<void> {
  await tx.query(
    `insert into portfolio_snapshots (account_id, time, cash, market_value, equity)
     select a.account_id, $2, a.cash, mv.value, a.cash + mv.value
       from portfolio_accounts a cross join lateral (select ${marketValue('a.account_id')} as value) mv
      where a.account_id = $1 ${UPSERT_SNAPSHOT}`,
    [accountId, time],
  );
}

/**
 * A price update marks every account holding the symbol, one snapshot per bar. History only moves
 * forward: bars older than an account's last snapshot (a backfill) would pair old prices with
 * today's holdings, so they mark nothing.
 */
async function markBars(tx: EntityManager, { symbol, bars }: MarketBarsRecorded['data']): Promise<void> {
  const latest = latestBar(bars);
  await tx.query(
    `insert into portfolio_marks as m (symbol, price, time) values ($1, $2, $3)
     on conflict (symbol) do update set price = excluded.price, time = excluded.time where m.time <= excluded.time`,
    [symbol, latest.close, latest.time],
  );
  await tx.query(
    `insert into portfolio_snapshots (account_id, time, cash, market_value, equity)
     select p.account_id, b.time, a.cash, o.value + round(p.quantity * b.close, 8), a.cash + o.value + round(p.quantity * b.close, 8)
       from portfolio_positions p
       join portfolio_accounts a on a.account_id = p.account_id
       cross join lateral (select ${marketValue('p.account_id', 'p.symbol')} as value) o
       cross join lateral (select max(s.time) as since from portfolio_snapshots s where s.account_id = p.account_id) last
       cross join jsonb_to_recordset($2::jsonb) as b(time timestamptz, close numeric)
      where p.symbol = $1 and p.quantity <> 0 and (last.since is null or b.time >= last.since) ${UPSERT_SNAPSHOT}`,
    [symbol, JSON.stringify(bars.map(({ time, close }) => ({ time, close })))],
  );
}

/**
 * A run of reservations in one statement: the rows, then each account's total moved by the sum of
 * its new rows (numeric sums are exact, so the total is the one adding them in turn leaves). No
 * `on conflict`, as one by one: a second reservation of an order is a bug and fails the batch.
 */
async function holdForOrders(tx: EntityManager, run: RecordedEvent[]): Promise<void> {
  const held = run.map((e) => e.data as OrderFundsReserved['data']);
  await tx.query(
    `with held as (
       insert into portfolio_reservations (account_id, order_id, cash)
       select * from unnest($1::text[], $2::text[], $3::numeric[])
       returning account_id, cash)
     update portfolio_accounts a set reserved_cash = a.reserved_cash + h.cash
       from (select account_id, sum(cash) as cash from held group by account_id) h
      where a.account_id = h.account_id`,
    [held.map((r) => r.accountId), held.map((r) => r.orderId), held.map((r) => r.reservedCash)],
  );
}

/** Reservations of distinct orders commute; fills, releases and prices cut the run, as they read what it wrote. */
const RESERVATION_RUNS = runsOf<RecordedEvent>('OrderFundsReserved');

/**
 * Cash, reservations and positions as the account's events state them (FillSettled carries its results).
 * A batch writes each run of reservations (most of the log under load) in one statement, not two per event.
 */
export const portfolioProjection: Projection = withSetBasedRuns({
  name: 'portfolio',
  handles: ['AccountOpened', 'FundsDeposited', 'FundsWithdrawn', 'OrderFundsReserved', 'FillSettled', 'OrderReservationReleased', 'MarketBarsRecorded'],
  tables: ['portfolio_accounts', 'portfolio_reservations', 'portfolio_positions', 'portfolio_marks', 'portfolio_snapshots'],
  async apply(recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    if (recorded.type === 'MarketBarsRecorded') return markBars(tx, recorded.data as MarketBarsRecorded['data']);
    const event = recorded as unknown as AccountEvent;
    switch (event.type) {
      case 'AccountOpened': {
        const { accountId, openingDeposit, openedAt } = event.data;
        await tx.query('insert into portfolio_accounts (account_id, cash, net_deposits) values ($1, $2, $2) on conflict do nothing', [accountId, openingDeposit]);
        return snapshot(tx, accountId, openedAt);
      }
      case 'FundsDeposited':
      case 'FundsWithdrawn': {
        const { accountId, amount, cashAfter, at } = event.data;
        const signed = event.type === 'FundsDeposited' ? amount : `-${amount}`;
        await tx.query('update portfolio_accounts set cash = $2, net_deposits = net_deposits + $3::numeric where account_id = $1', [accountId, cashAfter, signed]);
        return snapshot(tx, accountId, at);
      }
      case 'OrderFundsReserved': {
        const { accountId, orderId, reservedCash } = event.data;
        await tx.query('insert into portfolio_reservations (account_id, order_id, cash) values ($1, $2, $3)', [accountId, orderId, reservedCash]);
        await tx.query('update portfolio_accounts set reserved_cash = reserved_cash + $2::numeric where account_id = $1', [accountId, reservedCash]);
        return;
      }
      case 'FillSettled': {
        const { accountId, orderId, symbol, cashAfter, position: p, reservation, at } = event.data;
        await tx.query(
          `insert into portfolio_positions (account_id, symbol, quantity, cost_basis, average_cost, realized_pnl)
           values ($1, $2, $3, $4, $5, $6)
           on conflict (account_id, symbol) do update set quantity = excluded.quantity, cost_basis = excluded.cost_basis,
             average_cost = excluded.average_cost, realized_pnl = excluded.realized_pnl`,
          [accountId, symbol, p.quantity, p.costBasis, p.averageCost, p.realizedPnl],
        );
        await tx.query('update portfolio_accounts set cash = $2 where account_id = $1', [accountId, cashAfter]);
        if (reservation) await holdOnly(tx, accountId, orderId, reservation.quantity === '0' ? '0' : reservation.cash);
        return snapshot(tx, accountId, at);
      }
      case 'OrderReservationReleased':
        return holdOnly(tx, event.data.accountId, event.data.orderId, '0');
      default:
        return;
    }
  },
}, RESERVATION_RUNS, holdForOrders);

/** Sets what an order still holds (0 removes it) and moves the account's total by the difference. */
async function holdOnly(tx: EntityManager, accountId: string, orderId: string, cash: string): Promise<void> {
  const [before]: { cash: string }[] = await tx.query(
    // A CTE so the driver hands back rows (a bare DELETE … RETURNING comes back as [rows, count]).
    'with gone as (delete from portfolio_reservations where account_id = $1 and order_id = $2 returning cash) select cash::text as cash from gone',
    [accountId, orderId],
  );
  if (cash !== '0') await tx.query('insert into portfolio_reservations (account_id, order_id, cash) values ($1, $2, $3)', [accountId, orderId, cash]);
  await tx.query('update portfolio_accounts set reserved_cash = reserved_cash - $2::numeric + $3::numeric where account_id = $1', [accountId, before?.cash ?? '0', cash]);
}
