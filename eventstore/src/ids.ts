import { hash } from 'node:crypto';

/**
 * Deterministic UUID (v5 layout) from a name: re-running a command re-appends the same ids.
 * crypto.hash, one call per digest: several ids per order, and createHash's object per call cost
 * about twice as much. The digest is the same SHA-1 of the name's UTF-8 bytes (pinned in ids.spec).
 */
export function uuidFromName(name: string): string {
  const digest = hash('sha1', name, 'buffer');
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
