import { HttpException } from '@nestjs/common';

/** Every intake refusal: a status, a stable machine-readable code, a message safe to show anyone. */
export class HookRefused extends HttpException {
  constructor(status: number, readonly code: string, message: string, details?: unknown) {
    super({ code, message, ...(details === undefined ? {} : { details }) }, status);
  }
}

// One wording for an unknown webhook and a wrong secret, so the answer never tells which it was.
export const invalidSecret = () => new HookRefused(401, 'INVALID_SECRET', 'the webhook secret is not valid for this webhook');
export const invalidSignature = () => new HookRefused(401, 'INVALID_SIGNATURE', 'the signature does not match this webhook and body');
export const staleTimestamp = () => new HookRefused(401, 'STALE_TIMESTAMP', 'the signature timestamp is missing or more than 5 minutes from now');
export const missingCredentials = () =>
  new HookRefused(401, 'MISSING_CREDENTIALS', 'send the webhook secret as "secret" in the body, or sign the body (X-Webhook-Timestamp, X-Webhook-Signature)');
export const ipNotAllowed = () => new HookRefused(403, 'IP_NOT_ALLOWED', 'this address is not on the webhook allow-list');
