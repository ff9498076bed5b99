import { isIP } from 'node:net';
import { Decimal } from 'decimal.js';
import { InvalidWebhookError } from './errors.js';
import { SIZING_MODES, WEBHOOK_ORDER_TYPES, WEBHOOK_TIMES_IN_FORCE, type CreateWebhook, type Sizing, type WebhookSpec } from './webhook.events.js';

const DECIMAL_TEXT = /^(0|[1-9]\d{0,19})(\.\d{1,10})?$/;
export const MAX_ALLOW_LIST = 32;

function positive(value: unknown, field: string, max?: number): string {
  if (typeof value !== 'string' || !DECIMAL_TEXT.test(value) || new Decimal(value).lte(0)) {
    throw new InvalidWebhookError(field, 'must be a decimal string greater than 0');
  }
  if (max !== undefined && new Decimal(value).gt(max)) throw new InvalidWebhookError(field, `must be at most ${max}`);
  return new Decimal(value).toFixed();
}

function sizingOf(sizing: Sizing): Sizing {
  if (!sizing || !SIZING_MODES.includes(sizing.mode)) throw new InvalidWebhookError('sizing.mode', `must be one of ${SIZING_MODES.join(', ')}`);
  switch (sizing.mode) {
    case 'fixed_quantity':
      return { mode: sizing.mode, quantity: positive(sizing.quantity, 'sizing.quantity') };
    case 'percent_of_equity':
      return { mode: sizing.mode, percent: positive(sizing.percent, 'sizing.percent', 100) };
    case 'close_position':
      return { mode: sizing.mode };
    default: {
      const unknown: never = sizing;
      throw new InvalidWebhookError('sizing.mode', `unknown mode ${String(unknown)}`);
    }
  }
}

/** An exact address, or an IPv4 block a.b.c.d/n. */
export function isAllowListEntry(entry: unknown): entry is string {
  if (typeof entry !== 'string') return false;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length) return false;
  if (bits === undefined) return isIP(address) !== 0;
  return isIP(address) === 4 && /^\d{1,2}$/.test(bits) && Number(bits) <= 32;
}

export function checkWebhookSpec(data: CreateWebhook['data']): WebhookSpec {
  const strategy = typeof data.strategy === 'string' ? data.strategy.trim() : '';
  if (!strategy || strategy.length > 64) throw new InvalidWebhookError('strategy', 'must be 1-64 characters');
  const { type, timeInForce } = data.orderDefaults ?? {};
  if (!WEBHOOK_ORDER_TYPES.includes(type)) throw new InvalidWebhookError('orderDefaults.type', `must be one of ${WEBHOOK_ORDER_TYPES.join(', ')}`);
  if (!WEBHOOK_TIMES_IN_FORCE.includes(timeInForce)) throw new InvalidWebhookError('orderDefaults.timeInForce', `must be one of ${WEBHOOK_TIMES_IN_FORCE.join(', ')}`);
  if (!Array.isArray(data.ipAllowList) || data.ipAllowList.length > MAX_ALLOW_LIST || !data.ipAllowList.every(isAllowListEntry)) {
    throw new InvalidWebhookError('ipAllowList', `must hold at most ${MAX_ALLOW_LIST} IP addresses or IPv4 CIDR blocks`);
  }
  return {
    webhookId: data.webhookId,
    accountId: data.accountId,
    strategy,
    sizing: sizingOf(data.sizing),
    orderDefaults: { type, timeInForce },
    ipAllowList: [...new Set(data.ipAllowList)],
  };
}
