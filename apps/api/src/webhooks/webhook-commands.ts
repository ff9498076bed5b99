import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CommandHandler } from '#eventstore';
import { APP_CONFIG, CLOCK, type AppConfig } from '#libs/platform';
import { newWebhookSecret, sealSecret, secretKeyFrom, webhookDecider, webhookStreamId, type WebhookCommand, type WebhookEvent, type WebhookSpec } from '#libs/webhooks';
import { recordWebhookEvent } from '#projections/webhooks';
import { WebhookDirectory } from '../hooks/webhook-directory.js';

/**
 * Create, rotate, remove: each appends through the decider, then writes the read model row and
 * forgets the intake cache in this process, so the next alert sees the change at once.
 */
@Injectable()
export class WebhookCommands {
  private readonly key: Buffer;

  constructor(
    private readonly commands: CommandHandler,
    private readonly db: DataSource,
    private readonly directory: WebhookDirectory,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = secretKeyFrom(config.WEBHOOK_SECRET_KEY);
  }

  async create(spec: Omit<WebhookSpec, 'webhookId'>): Promise<{ webhook: WebhookSpec & { createdAt: string }; secret: string }> {
    const webhookId = randomUUID();
    const secret = newWebhookSecret();
    const at = this.clock().toISOString();
    const [created] = await this.run({ type: 'CreateWebhook', data: { ...spec, webhookId, secret: sealSecret(secret, this.key, webhookId), at } });
    if (created?.type !== 'WebhookCreated') throw new Error(`webhook ${webhookId} was not created`);
    const { secret: _sealed, ...webhook } = created.data;
    return { webhook, secret };
  }

  async rotate(accountId: string, webhookId: string): Promise<string> {
    const secret = newWebhookSecret();
    await this.run({ type: 'RotateWebhookSecret', data: { webhookId, accountId, secret: sealSecret(secret, this.key, webhookId), at: this.clock().toISOString() } });
    return secret;
  }

  async remove(accountId: string, webhookId: string): Promise<void> {
    await this.run({ type: 'RemoveWebhook', data: { webhookId, accountId, at: this.clock().toISOString() } });
  }

  private async run(command: WebhookCommand): Promise<WebhookEvent[]> {
    const webhookId = command.data.webhookId;
    const result = await this.commands.handle(webhookStreamId(webhookId), webhookDecider, command);
    const [event] = result.events;
    if (event && result.revision !== null) await recordWebhookEvent(this.db.manager, event, result.revision);
    this.directory.forget(webhookId);
    return result.events;
  }
}
