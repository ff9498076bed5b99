import { Module } from '@nestjs/common';
import { HooksController } from '../hooks/hooks.controller.js';
import { IntakeService } from '../hooks/intake.service.js';
import { SignalBacklog } from '../hooks/signal-backlog.js';
import { WebhookDirectory } from '../hooks/webhook-directory.js';
import { WebhookCommands } from './webhook-commands.js';
import { WebhooksController } from './webhooks.controller.js';

/** Webhook management (trader, API key) and intake (producers, webhook secret). */
@Module({
  controllers: [WebhooksController, HooksController],
  providers: [WebhookCommands, WebhookDirectory, IntakeService, SignalBacklog],
})
export class WebhooksModule {}
