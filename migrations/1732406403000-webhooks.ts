import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `webhooks`: lookups for intake and the owner's list; `revision` is the webhook stream revision
 * last applied, so the request path and the projection may write in either order.
 * `webhook_signals`: one row per webhook signal the auto-trading saga handled, written in the
 * saga's checkpoint transaction, with receipt-to-processing latency.
 */
export class Webhooks1732406403000 implements MigrationInterface {
  name = 'Webhooks1732406403000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table webhooks (
        webhook_id text primary key,
        account_id text not null,
        strategy text not null,
        sizing jsonb not null,
        order_defaults jsonb not null,
        ip_allow_list jsonb not null,
        secret jsonb not null,
        revision bigint not null,
        created_at timestamptz not null,
        removed_at timestamptz
      )`);
    await db.query('create index webhooks_account on webhooks (account_id, created_at)');
    await db.query(`
      create table webhook_signals (
        signal_id text primary key,
        webhook_id text not null,
        account_id text not null,
        symbol text not null,
        action text not null,
        received_at timestamptz not null,
        processed_at timestamptz not null,
        latency_ms integer not null,
        outcome text not null,
        order_id text,
        reason text
      )`);
    await db.query('create index webhook_signals_webhook on webhook_signals (webhook_id, received_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table webhook_signals');
    await db.query('drop table webhooks');
  }
}
