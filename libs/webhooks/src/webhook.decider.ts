import type { Decider } from '#eventstore';
import { WebhookNotFoundError } from './errors.js';
import type { WebhookCommand, WebhookEvent, WebhookState } from './webhook.events.js';
import { checkWebhookSpec } from './webhook.rules.js';

function decide(command: WebhookCommand, state: WebhookState): WebhookEvent[] {
  switch (command.type) {
    case 'CreateWebhook': {
      // Ids are minted by the server, so an existing stream means this very command ran already.
      if (state.status !== 'none') return [];
      const { secret, at } = command.data;
      return [{ type: 'WebhookCreated', data: { ...checkWebhookSpec(command.data), secret, createdAt: at } }];
    }
    case 'RotateWebhookSecret': {
      const { webhookId, accountId, secret, at } = command.data;
      if (state.status !== 'active' || state.webhook.accountId !== accountId) throw new WebhookNotFoundError(webhookId);
      return [{ type: 'WebhookSecretRotated', data: { webhookId, accountId, secret, at } }];
    }
    case 'RemoveWebhook': {
      const { webhookId, accountId, at } = command.data;
      if (state.status === 'none' || state.webhook.accountId !== accountId) throw new WebhookNotFoundError(webhookId);
      // Removing twice is what a retried DELETE does: the webhook is gone either way.
      if (state.status === 'removed') return [];
      return [{ type: 'WebhookRemoved', data: { webhookId, accountId, at } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown webhook command ${String(unknown)}`);
    }
  }
}

function evolve(state: WebhookState, event: WebhookEvent): WebhookState {
  switch (event.type) {
    case 'WebhookCreated': {
      const { secret, createdAt: _createdAt, ...webhook } = event.data;
      return { status: 'active', webhook, secret };
    }
    case 'WebhookSecretRotated':
      return state.status === 'active' ? { ...state, secret: event.data.secret } : state;
    case 'WebhookRemoved':
      return state.status === 'none' ? state : { status: 'removed', webhook: state.webhook };
    default: {
      const unknown: never = event;
      throw new Error(`unknown webhook event ${String(unknown)}`);
    }
  }
}

export const webhookDecider: Decider<WebhookCommand, WebhookEvent, WebhookState> = { initialState: { status: 'none' }, decide, evolve };
