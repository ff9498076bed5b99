import { isIP } from 'node:net';

const ipv4ToInt = (ip: string): number => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
/** `::ffff:1.2.3.4` is how an IPv4 client shows up on a dual-stack socket. */
export const normaliseIp = (ip: string): string => (ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip.toLowerCase());

/** An empty list allows every address. Entries are exact addresses or IPv4 CIDR blocks. */
export function ipAllowed(ip: string, allowList: readonly string[]): boolean {
  if (!allowList.length) return true;
  const address = normaliseIp(ip);
  return allowList.some((entry) => {
    const [base, bits] = entry.split('/');
    if (bits === undefined) return normaliseIp(base) === address;
    if (isIP(address) !== 4) return false;
    const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
    return ((ipv4ToInt(address) & mask) >>> 0) === ((ipv4ToInt(base) & mask) >>> 0);
  });
}

/**
 * The client address: X-Forwarded-For is believed only when the socket peer is a configured
 * proxy, and then only the hop the proxy appended (the right-most entry not itself a trusted
 * proxy); anything a client writes into the header further left is ignored.
 */
export function clientIp(socketIp: string, forwardedFor: string | undefined, trustedProxies: readonly string[]): string {
  if (!forwardedFor || !trustedProxies.length || !ipAllowed(socketIp, trustedProxies)) return normaliseIp(socketIp);
  const hops = forwardedFor.split(',').map((hop) => hop.trim()).filter((hop) => isIP(normaliseIp(hop)) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) if (!ipAllowed(hops[i], trustedProxies)) return normaliseIp(hops[i]);
  return normaliseIp(hops[0] ?? socketIp);
}
