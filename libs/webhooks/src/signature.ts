import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-webhook-signature';
export const TIMESTAMP_HEADER = 'x-webhook-timestamp';
/** Signed requests older or newer than this are refused: a captured request cannot be replayed later. */
export const REPLAY_WINDOW_MS = 5 * 60_000;

export type SignatureCheck = 'valid' | 'stale_timestamp' | 'bad_signature';

/** hex HMAC-SHA256 over `${timestamp}.${rawBody}`; the timestamp is unix seconds as sent. */
export function signPayload(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * The timestamp is checked first and without the secret, so its answer is the same for a known
 * and an unknown webhook. `sha256=` prefixes (GitHub style) are accepted.
 */
export function checkSignature(secret: string, timestamp: string, signature: string, rawBody: Buffer | string, nowMs: number): SignatureCheck {
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs - Number(timestamp) * 1000) > REPLAY_WINDOW_MS) return 'stale_timestamp';
  const given = Buffer.from(signature.replace(/^sha256=/i, ''), 'hex');
  const expected = Buffer.from(signPayload(secret, timestamp, rawBody), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'bad_signature';
}
