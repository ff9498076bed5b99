import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every listing is one account's signals, newest first, optionally narrowed by symbol or
 * strategy, paged by (time, signal_id): each index serves one of those shapes as a range scan
 * that stops after `limit` rows. Side has three values, so it filters within the scan.
 */
export class Signals1732406401030 implements MigrationInterface {
  name = 'Signals1732406401030';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table signals (
        signal_id text primary key,
        account_id text not null,
        symbol text not null,
        side text not null,
        strategy text not null,
        strength numeric not null,
        price numeric,
        time timestamptz not null,
        metadata jsonb not null,
        source text not null,
        received_at timestamptz not null
      )`);
    await db.query('create index signals_by_account on signals (account_id, time desc, signal_id desc)');
    await db.query('create index signals_by_account_symbol on signals (account_id, symbol, time desc, signal_id desc)');
    await db.query('create index signals_by_account_strategy on signals (account_id, strategy, time desc, signal_id desc)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table signals');
  }
}
