import { BODY_DEDUPE_WINDOW_MS, dedupeKeyOf, previousWindowKey, signalIdFor } from './dedupe.js';
import { clientIp, ipAllowed } from './ip-allow-list.js';
import { checkSignature, REPLAY_WINDOW_MS, signPayload } from './signature.js';
import { newWebhookSecret, openSecret, sameSecret, sealSecret, secretKeyFrom } from './webhook-secret.js';

const NOW = Date.UTC(2024, 2, 1, 14, 30);
const ts = String(NOW / 1000);
const body = Buffer.from('{"symbol":"AAPL","action":"buy"}');

describe('HMAC signatures', () => {
  const secret = 'whsec_test';
  const signature = signPayload(secret, ts, body);
  it('accepts the signature over timestamp.body, with or without a sha256= prefix', () => {
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(checkSignature(secret, ts, signature, body, NOW)).toBe('valid');
    expect(checkSignature(secret, ts, `sha256=${signature}`, body.toString(), NOW + REPLAY_WINDOW_MS)).toBe('valid');
  });
  it('refuses another secret, another body, another timestamp or garbage', () => {
    expect(checkSignature('whsec_other', ts, signature, body, NOW)).toBe('bad_signature');
    expect(checkSignature(secret, ts, signature, Buffer.from('{"symbol":"AAPL","action":"sell"}'), NOW)).toBe('bad_signature');
    expect(checkSignature(secret, String(NOW / 1000 + 1), signature, body, NOW)).toBe('bad_signature');
    expect(checkSignature(secret, ts, 'zz', body, NOW)).toBe('bad_signature');
  });
  it('refuses timestamps outside the five-minute window either way, and non-numeric ones', () => {
    expect(checkSignature(secret, ts, signature, body, NOW + REPLAY_WINDOW_MS + 1000)).toBe('stale_timestamp');
    expect(checkSignature(secret, ts, signature, body, NOW - REPLAY_WINDOW_MS - 1000)).toBe('stale_timestamp');
    expect(checkSignature(secret, '1709303400.5', signature, body, NOW)).toBe('stale_timestamp');
  });
});

describe('sealed secrets', () => {
  const key = secretKeyFrom('a production passphrase with entropy');
  it('open to the original under the same key and webhook, and never hold the plaintext', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const sealed = sealSecret(secret, key, 'w1');
    expect(JSON.stringify(sealed)).not.toContain(secret.slice(6));
    expect(openSecret(sealed, key, 'w1')).toBe(secret);
  });
  it('do not open under another key or on another webhook', () => {
    const sealed = sealSecret('whsec_a', key, 'w1');
    expect(() => openSecret(sealed, secretKeyFrom('another'), 'w1')).toThrow();
    expect(() => openSecret(sealed, key, 'w2')).toThrow();
  });
  it('compare equal only when equal, whatever the lengths', () => {
    expect(sameSecret('whsec_a', 'whsec_a')).toBe(true);
    expect(sameSecret('whsec_a', 'whsec_ab')).toBe(false);
    expect(sameSecret('', 'whsec_a')).toBe(false);
  });
});

describe('de-duplication keys', () => {
  it('prefer the alert id, then the Idempotency-Key, then the body hash', () => {
    expect(dedupeKeyOf('tv-1', 'k', body, NOW)).toEqual({ kind: 'alert', value: 'tv-1' });
    expect(dedupeKeyOf(null, 'k', body, NOW)).toEqual({ kind: 'idempotency_key', value: 'k' });
    expect(dedupeKeyOf(null, null, body, NOW)).toMatchObject({ kind: 'body', windowStart: Math.floor(NOW / BODY_DEDUPE_WINDOW_MS) * BODY_DEDUPE_WINDOW_MS });
  });
  it('give the same signal id for the same webhook and key, another for another webhook, window or body', () => {
    const key = dedupeKeyOf(null, null, body, NOW);
    expect(signalIdFor('w1', key)).toBe(signalIdFor('w1', dedupeKeyOf(null, null, Buffer.from(body), NOW + 1000)));
    expect(signalIdFor('w1', key)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(signalIdFor('w2', key)).not.toBe(signalIdFor('w1', key));
    expect(signalIdFor('w1', dedupeKeyOf(null, null, body, NOW + BODY_DEDUPE_WINDOW_MS))).not.toBe(signalIdFor('w1', key));
    expect(signalIdFor('w1', dedupeKeyOf(null, null, Buffer.from('{}'), NOW))).not.toBe(signalIdFor('w1', key));
    expect(signalIdFor('w1', { kind: 'alert', value: 'x' })).not.toBe(signalIdFor('w1', { kind: 'idempotency_key', value: 'x' }));
  });
  it("name the previous window's id for body keys only", () => {
    const key = dedupeKeyOf(null, null, body, NOW);
    expect(signalIdFor('w1', previousWindowKey(key)!)).toBe(signalIdFor('w1', dedupeKeyOf(null, null, body, NOW - BODY_DEDUPE_WINDOW_MS)));
    expect(previousWindowKey({ kind: 'alert', value: 'x' })).toBeNull();
  });
});

describe('IP allow-lists', () => {
  it('match exact addresses, IPv4 blocks and IPv4-mapped IPv6, and allow all when empty', () => {
    expect(ipAllowed('52.89.214.238', ['52.89.214.238'])).toBe(true);
    expect(ipAllowed('::ffff:10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipAllowed('11.1.2.3', ['10.0.0.0/8'])).toBe(false);
    expect(ipAllowed('2001:db8::1', ['10.0.0.0/8', '2001:DB8::1'])).toBe(true);
    expect(ipAllowed('1.2.3.4', ['0.0.0.0/0'])).toBe(true);
    expect(ipAllowed('1.2.3.4', [])).toBe(true);
  });
  it('believe X-Forwarded-For only from a trusted proxy, and only its right-most untrusted hop', () => {
    expect(clientIp('203.0.113.9', '52.89.214.238', [])).toBe('203.0.113.9');
    expect(clientIp('203.0.113.9', '52.89.214.238', ['10.0.0.1'])).toBe('203.0.113.9');
    expect(clientIp('10.0.0.1', '52.89.214.238', ['10.0.0.1'])).toBe('52.89.214.238');
    expect(clientIp('10.0.0.1', '1.1.1.1, 52.89.214.238, 10.0.0.2', ['10.0.0.0/8'])).toBe('52.89.214.238');
    expect(clientIp('::ffff:10.0.0.1', 'not-an-ip', ['10.0.0.1'])).toBe('10.0.0.1');
  });
});
