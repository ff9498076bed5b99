import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Cash each open order holds, per account: what GET /accounts/me reports as reserved. */
export class AccountReservations1732406401020 implements MigrationInterface {
  name = 'AccountReservations1732406401020';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table account_reservations (
        account_id text not null,
        order_id text not null,
        cash numeric not null,
        primary key (account_id, order_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table account_reservations');
  }
}
