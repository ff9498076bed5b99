import { createHash } from 'node:crypto';
import { uuidFromName } from '#eventstore';

/** Alerts without an id or Idempotency-Key are duplicates when their bytes repeat within this window. */
export const BODY_DEDUPE_WINDOW_MS = 10 * 60_000;

export type DedupeKey = { kind: 'alert' | 'idempotency_key'; value: string } | { kind: 'body'; hash: string; windowStart: number };

/**
 * Alert id first (the producer's own identity for the alert), then the Idempotency-Key header,
 * then the body's SHA-256 within a window aligned to BODY_DEDUPE_WINDOW_MS. The window start is
 * part of the key so that the same bytes sent tomorrow (a recurring "buy" alert) are a new signal.
 */
export function dedupeKeyOf(alertId: string | null, idempotencyKey: string | null, rawBody: Buffer | string, receivedAtMs: number): DedupeKey {
  if (alertId !== null) return { kind: 'alert', value: alertId };
  if (idempotencyKey !== null) return { kind: 'idempotency_key', value: idempotencyKey };
  const hash = createHash('sha256').update(rawBody).digest('hex');
  return { kind: 'body', hash, windowStart: Math.floor(receivedAtMs / BODY_DEDUPE_WINDOW_MS) * BODY_DEDUPE_WINDOW_MS };
}

/**
 * The signal id is a function of (webhook, dedupe key): the event store's `no_stream` append then
 * makes a duplicate impossible even when two copies race through different api instances.
 */
export function signalIdFor(webhookId: string, key: DedupeKey): string {
  const name = key.kind === 'body' ? `body:${key.hash}:${key.windowStart}` : `${key.kind}:${key.value}`;
  return uuidFromName(`webhook:${webhookId}:${name}`);
}

/**
 * Aligned windows split a burst that straddles a boundary; the intake also looks up the
 * previous window's id, making the window effectively sliding: same bytes within
 * BODY_DEDUPE_WINDOW_MS of the first copy are one signal.
 */
export function previousWindowKey(key: DedupeKey): DedupeKey | null {
  return key.kind === 'body' ? { ...key, windowStart: key.windowStart - BODY_DEDUPE_WINDOW_MS } : null;
}
