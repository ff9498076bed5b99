import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, RefreshedCache, type AppConfig } from '#libs/platform';
import { openSecret, secretKeyFrom, type SealedSecret, type WebhookSpec } from '#libs/webhooks';

export interface ActiveWebhook extends WebhookSpec {
  /** Opened once per cache fill; lives only in this process's memory. */
  secret: string;
}

const WEBHOOK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Intake's webhook lookups: about one query per webhook per three seconds, not per alert, and
 * none an alert waits for while its webhook is in use (RefreshedCache). Unknown ids are cached
 * too, so probing ids costs no more queries than hitting a real one (and answers as fast). A
 * change made on this instance forgets the entry at once; other instances see it within the TTL (5 s).
 */
@Injectable()
export class WebhookDirectory {
  private readonly cache = new RefreshedCache<ActiveWebhook>({
    ttlMs: 5_000, refreshAfterMs: 3_000, maxEntries: 10_000, cacheAbsent: true, read: (webhookId) => this.read(webhookId),
  });
  private readonly key: Buffer;

  constructor(private readonly db: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    this.key = secretKeyFrom(config.WEBHOOK_SECRET_KEY);
    if (!config.WEBHOOK_SECRET_KEY) new Logger('Webhooks').warn('WEBHOOK_SECRET_KEY is unset: webhook secrets are sealed under the development key');
  }

  find(webhookId: string): Promise<ActiveWebhook | null> {
    return WEBHOOK_ID.test(webhookId) ? this.cache.get(webhookId) : Promise.resolve(null);
  }

  forget(webhookId: string): void {
    this.cache.forget((id) => id === webhookId);
  }

  private async read(webhookId: string): Promise<ActiveWebhook | null> {
    const rows: (Omit<ActiveWebhook, 'secret'> & { secret: SealedSecret })[] = await this.db.query(
      `select webhook_id as "webhookId", account_id as "accountId", strategy, sizing, order_defaults as "orderDefaults",
              ip_allow_list as "ipAllowList", secret
         from webhooks where webhook_id = $1 and removed_at is null`,
      [webhookId],
    );
    return rows[0] ? { ...rows[0], secret: openSecret(rows[0].secret, this.key, webhookId) } : null;
  }
}
