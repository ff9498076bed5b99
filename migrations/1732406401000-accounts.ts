import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `accounts`: what an account shows about itself. `api_keys`: every key ever issued, by hash only;
 * `revision` is the account stream revision of the event that issued it, so writers arriving out
 * of order (the request path and the projection) still agree on which key is the live one.
 */
export class Accounts1732406401000 implements MigrationInterface {
  name = 'Accounts1732406401000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table accounts (
        account_id text primary key,
        name text not null,
        settings jsonb not null,
        cash numeric not null,
        opened_at timestamptz not null,
        updated_at timestamptz not null
      )`);
    await db.query(`
      create table api_keys (
        key_hash text primary key,
        account_id text not null,
        revision bigint not null,
        created_at timestamptz not null,
        revoked_at timestamptz
      )`);
    await db.query('create index api_keys_account on api_keys (account_id, revision)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table api_keys');
    await db.query('drop table accounts');
  }
}
