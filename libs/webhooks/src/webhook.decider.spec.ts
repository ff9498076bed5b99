import { deciderSpec } from '../../trading/test/decider-test.js';
import { InvalidWebhookError, WebhookNotFoundError } from './errors.js';
import { webhookDecider } from './webhook.decider.js';
import { webhookStreamId, type CreateWebhook, type SealedSecret, type WebhookEvent } from './webhook.events.js';

const spec = deciderSpec(webhookDecider);
const sealed: SealedSecret = { iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y3Q=' };
const rotated: SealedSecret = { iv: 'aXYy', tag: 'dGFnMg==', ciphertext: 'Y3Qy' };
const create = (over: Partial<CreateWebhook['data']> = {}): CreateWebhook => ({
  type: 'CreateWebhook',
  data: {
    webhookId: 'w1', accountId: 'a1', strategy: ' sma-cross ', sizing: { mode: 'fixed_quantity', quantity: '1.50' },
    orderDefaults: { type: 'market', timeInForce: 'GTC' }, ipAllowList: ['52.89.214.238', '10.0.0.0/8', '52.89.214.238'],
    secret: sealed, at: '2024-03-01T00:00:00.000Z', ...over,
  },
});
const created: WebhookEvent = {
  type: 'WebhookCreated',
  data: {
    webhookId: 'w1', accountId: 'a1', strategy: 'sma-cross', sizing: { mode: 'fixed_quantity', quantity: '1.5' },
    orderDefaults: { type: 'market', timeInForce: 'GTC' }, ipAllowList: ['52.89.214.238', '10.0.0.0/8'],
    secret: sealed, createdAt: '2024-03-01T00:00:00.000Z',
  },
};
const removed: WebhookEvent = { type: 'WebhookRemoved', data: { webhookId: 'w1', accountId: 'a1', at: '2024-03-02T00:00:00.000Z' } };

describe('webhook decider', () => {
  it('names its stream', () => expect(webhookStreamId('w1')).toBe('webhook-w1'));
  it('creates a webhook with canonical sizing and a de-duplicated allow-list', () => spec.given([]).when(create()).then([created]));
  it('creating again (a re-run of the same command) emits nothing', () => spec.given([created]).when(create()).then([]));
  it.each([
    ['an empty strategy', { strategy: '  ' }],
    ['an unknown sizing mode', { sizing: { mode: 'martingale' } as never }],
    ['a zero quantity', { sizing: { mode: 'fixed_quantity', quantity: '0' } as const }],
    ['a quantity as a float', { sizing: { mode: 'fixed_quantity', quantity: 1.5 as never } }],
    ['a percent above 100', { sizing: { mode: 'percent_of_equity', percent: '100.5' } as const }],
    ['a stop order default', { orderDefaults: { type: 'stop' as never, timeInForce: 'GTC' as const } }],
    ['an unknown time in force', { orderDefaults: { type: 'market' as const, timeInForce: 'FOK' as never } }],
    ['a host name in the allow-list', { ipAllowList: ['tradingview.com'] }],
    ['an IPv6 CIDR block', { ipAllowList: ['2001:db8::/32'] }],
    ['a CIDR block over /32', { ipAllowList: ['10.0.0.0/33'] }],
  ])('refuses %s', (_name, over) => spec.given([]).when(create(over as Partial<CreateWebhook['data']>)).thenThrows(InvalidWebhookError, 'INVALID_WEBHOOK'));
  it('accepts percent of equity and close-position sizing', () => {
    const percent = webhookDecider.decide(create({ sizing: { mode: 'percent_of_equity', percent: '12.50' } }), webhookDecider.initialState);
    expect(percent[0].data).toMatchObject({ sizing: { mode: 'percent_of_equity', percent: '12.5' } });
    const close = webhookDecider.decide(create({ sizing: { mode: 'close_position', quantity: '3' } as never }), webhookDecider.initialState);
    expect(close[0].data).toMatchObject({ sizing: { mode: 'close_position' } });
  });
  it('rotates the secret of an active webhook, and the state keeps only the new one', () => {
    const command = { type: 'RotateWebhookSecret' as const, data: { webhookId: 'w1', accountId: 'a1', secret: rotated, at: '2024-03-01T01:00:00.000Z' } };
    const events = spec.given([created]).when(command);
    events.then([{ type: 'WebhookSecretRotated', data: command.data }]);
    const state = [created, { type: 'WebhookSecretRotated', data: command.data } as WebhookEvent].reduce(webhookDecider.evolve, webhookDecider.initialState);
    expect(state).toMatchObject({ status: 'active', secret: rotated });
  });
  it("another account's webhook, a removed one and a missing one are all not found", () => {
    const rotate = (accountId: string) => ({ type: 'RotateWebhookSecret' as const, data: { webhookId: 'w1', accountId, secret: rotated, at: '2024-03-01T01:00:00.000Z' } });
    spec.given([created]).when(rotate('a2')).thenThrows(WebhookNotFoundError, 'WEBHOOK_NOT_FOUND');
    spec.given([created, removed]).when(rotate('a1')).thenThrows(WebhookNotFoundError, 'WEBHOOK_NOT_FOUND');
    spec.given([]).when(rotate('a1')).thenThrows(WebhookNotFoundError, 'WEBHOOK_NOT_FOUND');
    spec.given([created]).when({ type: 'RemoveWebhook', data: { webhookId: 'w1', accountId: 'a2', at: 'x' } }).thenThrows(WebhookNotFoundError);
  });
  it('removes once; removing again is a no-op', () => {
    spec.given([created]).when({ type: 'RemoveWebhook', data: removed.data as { webhookId: string; accountId: string; at: string } }).then([removed]);
    spec.given([created, removed]).when({ type: 'RemoveWebhook', data: removed.data as { webhookId: string; accountId: string; at: string } }).then([]);
  });
});
