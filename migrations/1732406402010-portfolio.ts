import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-account cash, reservations and positions as FillSettled and friends report them, and the
 * equity history. mark_price is the portfolio projection's own last seen close per position, so
 * history snapshots depend only on the events it has applied, not on another projection's lag.
 */
export class Portfolio1732406402010 implements MigrationInterface {
  name = 'Portfolio1732406402010';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table portfolio_accounts (
        account_id text primary key,
        cash numeric not null,
        reserved_cash numeric not null default 0,
        net_deposits numeric not null default 0
      )`);
    await db.query(`
      create table portfolio_reservations (
        account_id text not null,
        order_id text not null,
        cash numeric not null,
        primary key (account_id, order_id)
      )`);
    await db.query(`
      create table portfolio_positions (
        account_id text not null,
        symbol text not null,
        quantity numeric not null,
        cost_basis numeric not null,
        average_cost numeric not null,
        realized_pnl numeric not null,
        primary key (account_id, symbol)
      )`);
    await db.query('create table portfolio_marks (symbol text primary key, price numeric not null, time timestamptz not null)');
    await db.query('create index portfolio_positions_by_symbol on portfolio_positions (symbol) where quantity <> 0');
    await db.query(`
      create table portfolio_snapshots (
        account_id text not null,
        time timestamptz not null,
        cash numeric not null,
        market_value numeric not null,
        equity numeric not null,
        primary key (account_id, time)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table portfolio_snapshots');
    await db.query('drop table portfolio_marks');
    await db.query('drop table portfolio_positions');
    await db.query('drop table portfolio_reservations');
    await db.query('drop table portfolio_accounts');
  }
}
