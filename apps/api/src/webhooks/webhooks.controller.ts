import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { WebhookNotFoundError, type Sizing } from '#libs/webhooks';
import { AccountGuard } from '../auth/account.guard.js';
import { CurrentAccount } from '../auth/current-account.decorator.js';
import { CreateWebhookDto } from './create-webhook.dto.js';
import { WebhookCommands } from './webhook-commands.js';
import { hookPath, webhookView } from './webhook-views.js';

const WEBHOOK_ID = /^[0-9a-f-]{36}$/;
const COLUMNS = `webhook_id as "webhookId", strategy, sizing, order_defaults as "orderDefaults", ip_allow_list as "ipAllowList", created_at as "createdAt"`;

@ApiTags('webhooks')
@ApiBearerAuth()
@UseGuards(AccountGuard)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookCommands, private readonly db: DataSource) {}

  /** The secret is in this answer and in no other: it is stored sealed and never shown again. */
  @Post()
  async create(@CurrentAccount() accountId: string, @Body() dto: CreateWebhookDto) {
    const sizing = { ...dto.sizing } as Sizing;
    const { webhook, secret } = await this.webhooks.create({ accountId, strategy: dto.strategy, sizing, orderDefaults: { ...dto.orderDefaults }, ipAllowList: dto.ipAllowList });
    return { ...webhookView(webhook), secret };
  }

  @Get()
  async list(@CurrentAccount() accountId: string) {
    const rows = await this.db.query(`select ${COLUMNS} from webhooks where account_id = $1 and removed_at is null order by created_at, webhook_id`, [accountId]);
    return { webhooks: rows.map(webhookView) };
  }

  @Post(':id/secret/rotate')
  @HttpCode(200)
  async rotate(@CurrentAccount() accountId: string, @Param('id') webhookId: string) {
    if (!WEBHOOK_ID.test(webhookId)) throw new WebhookNotFoundError(webhookId);
    return { webhookId, url: hookPath(webhookId), secret: await this.webhooks.rotate(accountId, webhookId) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentAccount() accountId: string, @Param('id') webhookId: string): Promise<void> {
    if (!WEBHOOK_ID.test(webhookId)) throw new WebhookNotFoundError(webhookId);
    await this.webhooks.remove(accountId, webhookId);
  }
}
