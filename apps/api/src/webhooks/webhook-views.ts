import type { OrderDefaults, Sizing } from '#libs/webhooks';

export interface WebhookView {
  webhookId: string;
  /** Path to give the producer (TradingView's "Webhook URL" is this on the public host). */
  url: string;
  strategy: string;
  sizing: Sizing;
  orderDefaults: OrderDefaults;
  ipAllowList: string[];
  createdAt: string;
}

export const hookPath = (webhookId: string): string => `/hooks/${webhookId}`;

interface Row { webhookId: string; strategy: string; sizing: Sizing; orderDefaults: OrderDefaults; ipAllowList: string[]; createdAt: Date | string }

export const webhookView = (row: Row): WebhookView => ({
  webhookId: row.webhookId,
  url: hookPath(row.webhookId),
  strategy: row.strategy,
  sizing: row.sizing,
  orderDefaults: row.orderDefaults,
  ipAllowList: row.ipAllowList,
  createdAt: new Date(row.createdAt).toISOString(),
});
