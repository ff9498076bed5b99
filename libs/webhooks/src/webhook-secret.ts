import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SealedSecret } from './webhook.events.js';

/** `whsec_` + 32 random bytes: shown to the trader once, at creation and at each rotation. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * Used only when WEBHOOK_SECRET_KEY is unset (embedded/dev runs): secrets are then sealed under a
 * key anyone with the source can derive, i.e. not protected at rest. Production sets the variable.
 */
export const DEVELOPMENT_SECRET_KEY = 'development-only webhook secret key: set WEBHOOK_SECRET_KEY';

/** Any passphrase becomes a 256-bit AES key; the variable itself must have real entropy. */
export const secretKeyFrom = (passphrase: string | undefined): Buffer =>
  createHash('sha256').update(passphrase ?? DEVELOPMENT_SECRET_KEY).digest();

/**
 * AES-256-GCM with the webhook id as associated data, so a sealed secret copied onto another
 * webhook's stream does not open. A fresh IV per sealing; GCM's tag detects any tampering.
 */
export function sealSecret(secret: string, key: Buffer, webhookId: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(webhookId));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

export function openSecret(sealed: SealedSecret, key: Buffer, webhookId: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(webhookId));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

/** Compares digests, not the strings: equal length always, so neither length nor content leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
