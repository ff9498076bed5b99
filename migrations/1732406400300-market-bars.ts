import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MarketBars1732406400300 implements MigrationInterface {
  name = 'MarketBars1732406400300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table market_bars (
        symbol text not null,
        timeframe text not null,
        time timestamptz not null,
        open numeric not null, high numeric not null, low numeric not null, close numeric not null,
        volume numeric not null,
        primary key (symbol, timeframe, time)
      )`);
    await db.query(`
      create table latest_prices (
        symbol text primary key,
        price numeric not null,
        time timestamptz not null
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table latest_prices');
    await db.query('drop table market_bars');
  }
}
