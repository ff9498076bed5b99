import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of orders and fills, and the paper broker's own list of working orders. seq orders
 * rows by arrival in the log (newest first is seq desc), so cursors stay stable under replays.
 */
export class Orders1732406402000 implements MigrationInterface {
  name = 'Orders1732406402000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table orders (
        seq bigint generated always as identity,
        order_id text primary key,
        account_id text not null,
        client_order_id text not null,
        symbol text not null,
        side text not null,
        type text not null,
        quantity numeric not null,
        limit_price numeric,
        stop_price numeric,
        time_in_force text not null,
        status text not null,
        filled_quantity numeric not null default 0,
        average_fill_price numeric,
        reason text,
        placed_at timestamptz not null,
        updated_at timestamptz not null
      )`);
    await db.query('create index orders_by_account on orders (account_id, seq desc)');
    await db.query('create index orders_by_account_status on orders (account_id, status, seq desc)');
    await db.query('create index orders_by_account_symbol on orders (account_id, symbol, seq desc)');
    await db.query(`
      create table fills (
        seq bigint generated always as identity,
        fill_id text primary key,
        order_id text not null,
        account_id text not null,
        symbol text not null,
        side text not null,
        price numeric not null,
        quantity numeric not null,
        fee numeric not null,
        liquidity text not null,
        at timestamptz not null
      )`);
    await db.query('create index fills_by_account on fills (account_id, seq desc)');
    await db.query('create index fills_by_order on fills (order_id, seq)');
    await db.query(`
      create table paper_working_orders (
        seq bigint generated always as identity,
        order_id text primary key,
        symbol text not null,
        working boolean not null default false,
        expires_at timestamptz
      )`);
    await db.query('create index paper_working_orders_by_symbol on paper_working_orders (symbol, seq) where working');
    await db.query('create index paper_working_orders_by_expiry on paper_working_orders (expires_at) where working and expires_at is not null');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table paper_working_orders');
    await db.query('drop table fills');
    await db.query('drop table orders');
  }
}
