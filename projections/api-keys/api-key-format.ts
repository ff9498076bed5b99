import { hash, randomBytes } from 'node:crypto';

/** `tk_` + 32 random bytes in base64url: 256 bits, so a key cannot be guessed or brute-forced. */
export const newApiKey = (): string => `tk_${randomBytes(32).toString('base64url')}`;

/**
 * What the api_keys read model stores and looks keys up by. SHA-256, not a slow KDF (bcrypt,
 * scrypt, argon2): those exist to stretch low-entropy passwords. A 256-bit random key has nothing
 * to stretch, and a KDF would add tens of milliseconds of CPU to every authenticated request.
 */
export const hashApiKey = (key: string): string => hash('sha256', key, 'hex');
