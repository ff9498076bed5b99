import type { DomainEvent } from '#eventstore';

export const webhookStreamId = (webhookId: string): string => `webhook-${webhookId}`;

/**
 * How an alert becomes an order. fixed_quantity: the alert's quantity, else this one.
 * percent_of_equity: the alert's percent, else this one, of the account's equity at the latest
 * price. close_position: every alert flattens the symbol's position, whatever its action.
 */
export type Sizing =
  | { mode: 'fixed_quantity'; quantity: string }
  | { mode: 'percent_of_equity'; percent: string }
  | { mode: 'close_position' };
export const SIZING_MODES = ['fixed_quantity', 'percent_of_equity', 'close_position'] as const;

export const WEBHOOK_ORDER_TYPES = ['market', 'limit'] as const;
export type WebhookOrderType = (typeof WEBHOOK_ORDER_TYPES)[number];
export const WEBHOOK_TIMES_IN_FORCE = ['GTC', 'IOC', 'DAY'] as const;
export type WebhookTimeInForce = (typeof WEBHOOK_TIMES_IN_FORCE)[number];

/** Defaults for orders the alerts place; a limit order takes its price from the alert. */
export interface OrderDefaults {
  type: WebhookOrderType;
  timeInForce: WebhookTimeInForce;
}

/**
 * The signing secret, encrypted (AES-256-GCM under WEBHOOK_SECRET_KEY, see webhook-secret.ts).
 * HMAC verification needs the secret itself, so a one-way hash cannot serve; the event log is
 * append-only and replicated into backups, so the plaintext never enters it.
 */
export interface SealedSecret {
  iv: string;
  tag: string;
  ciphertext: string;
}

export interface WebhookSpec {
  webhookId: string;
  accountId: string;
  strategy: string;
  sizing: Sizing;
  orderDefaults: OrderDefaults;
  /** Exact IPv4/IPv6 addresses or IPv4 CIDR blocks; empty = any address. */
  ipAllowList: string[];
}

export interface CreateWebhook {
  type: 'CreateWebhook';
  data: WebhookSpec & { secret: SealedSecret; at: string };
}
export interface RotateWebhookSecret {
  type: 'RotateWebhookSecret';
  data: { webhookId: string; accountId: string; secret: SealedSecret; at: string };
}
export interface RemoveWebhook {
  type: 'RemoveWebhook';
  data: { webhookId: string; accountId: string; at: string };
}
export type WebhookCommand = CreateWebhook | RotateWebhookSecret | RemoveWebhook;

export type WebhookCreated = DomainEvent<'WebhookCreated', WebhookSpec & { secret: SealedSecret; createdAt: string }>;
export type WebhookSecretRotated = DomainEvent<'WebhookSecretRotated', { webhookId: string; accountId: string; secret: SealedSecret; at: string }>;
export type WebhookRemoved = DomainEvent<'WebhookRemoved', { webhookId: string; accountId: string; at: string }>;
export type WebhookEvent = WebhookCreated | WebhookSecretRotated | WebhookRemoved;

export type WebhookState =
  | { status: 'none' }
  | { status: 'active'; webhook: WebhookSpec; secret: SealedSecret }
  | { status: 'removed'; webhook: WebhookSpec };
