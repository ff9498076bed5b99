/** Same shape as the trading errors (code + kind), so the HTTP layer maps them alike. */
export class InvalidWebhookError extends Error {
  override readonly name = 'InvalidWebhookError';
  readonly code = 'INVALID_WEBHOOK';
  readonly kind = 'invalid';
  constructor(readonly field: string, reason: string) {
    super(`${field} ${reason}`);
  }
}

/** Another account's webhook answers exactly like a missing one: ids are not an oracle. */
export class WebhookNotFoundError extends Error {
  override readonly name = 'WebhookNotFoundError';
  readonly code = 'WEBHOOK_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(webhookId: string) {
    super(`webhook ${webhookId} not found`);
  }
}
