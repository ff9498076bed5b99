import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/platform';
import { openSecret, secretKeyFrom, type SealedSecret, type WebhookSpec } from '#libs/webhooks';

export interface ActiveWebhook extends WebhookSpec {
  /** Opened once per cache fill; lives only in this process's memory. */
  secret: string;
}

const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
const WEBHOOK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Intake's webhook lookups: one query per webhook per TTL, not per alert. Unknown ids are cached
 * too, so probing ids costs no more queries than hitting a real one (and answers as fast). A
 * change made on this instance forgets the entry at once; other instances see it within the TTL.
 */
@Injectable()
export class WebhookDirectory {
  private readonly cache = new Map<string, { webhook: ActiveWebhook | null; expiresAt: number }>();
  private readonly key: Buffer;

  constructor(private readonly db: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    this.key = secretKeyFrom(config.WEBHOOK_SECRET_KEY);
    if (!config.WEBHOOK_SECRET_KEY) new Logger('Webhooks').warn('WEBHOOK_SECRET_KEY is unset: webhook secrets are sealed under the development key');
  }

  async find(webhookId: string): Promise<ActiveWebhook | null> {
    if (!WEBHOOK_ID.test(webhookId)) return null;
    const now = Date.now();
    const cached = this.cache.get(webhookId);
    if (cached && cached.expiresAt > now) return cached.webhook;
    const rows: (Omit<ActiveWebhook, 'secret'> & { secret: SealedSecret })[] = await this.db.query(
      `select webhook_id as "webhookId", account_id as "accountId", strategy, sizing, order_defaults as "orderDefaults",
              ip_allow_list as "ipAllowList", secret
         from webhooks where webhook_id = $1 and removed_at is null`,
      [webhookId],
    );
    const webhook = rows[0] ? { ...rows[0], secret: openSecret(rows[0].secret, this.key, webhookId) } : null;
    this.cache.delete(webhookId);
    this.cache.set(webhookId, { webhook, expiresAt: now + TTL_MS });
    if (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return webhook;
  }

  forget(webhookId: string): void {
    this.cache.delete(webhookId);
  }
}
