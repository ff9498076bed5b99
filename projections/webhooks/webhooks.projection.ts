import type { Projection, RecordedEvent } from '#eventstore';
import type { WebhookEvent } from '#libs/webhooks';
import type { EntityManager } from 'typeorm';

/**
 * Applies one webhook event at its stream revision. Written twice: by the request that appended
 * it (so a new webhook takes alerts on the next request, and a rotated secret stops working at
 * once) and by this projection (so a rebuild restores the table). The revision guard makes the
 * second write a no-op and keeps an older event from overwriting a newer one.
 */
export async function recordWebhookEvent(tx: Pick<EntityManager, 'query'>, event: WebhookEvent, revision: bigint): Promise<void> {
  switch (event.type) {
    case 'WebhookCreated': {
      const d = event.data;
      await tx.query(
        `insert into webhooks (webhook_id, account_id, strategy, sizing, order_defaults, ip_allow_list, secret, revision, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (webhook_id) do nothing`,
        [d.webhookId, d.accountId, d.strategy, JSON.stringify(d.sizing), JSON.stringify(d.orderDefaults), JSON.stringify(d.ipAllowList),
          JSON.stringify(d.secret), revision.toString(), d.createdAt],
      );
      return;
    }
    case 'WebhookSecretRotated':
      await tx.query('update webhooks set secret = $2, revision = $3 where webhook_id = $1 and revision < $3', [event.data.webhookId, JSON.stringify(event.data.secret), revision.toString()]);
      return;
    case 'WebhookRemoved':
      await tx.query('update webhooks set removed_at = $2, revision = $3 where webhook_id = $1 and revision < $3', [event.data.webhookId, event.data.at, revision.toString()]);
      return;
    default: {
      const unknown: never = event;
      throw new Error(`unknown webhook event ${String(unknown)}`);
    }
  }
}

export const webhooksProjection: Projection = {
  name: 'webhooks',
  handles: ['WebhookCreated', 'WebhookSecretRotated', 'WebhookRemoved'],
  tables: ['webhooks'],
  async apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
    await recordWebhookEvent(tx, { type: event.type, data: event.data } as WebhookEvent, event.revision);
  },
};
