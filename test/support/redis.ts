import net from 'node:net';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when something answers at REDIS_URL; suites that need Redis print a skip line otherwise. */
export async function redisAvailable(url = TEST_REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const ok = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (v: boolean) => { socket.destroy(); resolve(v); };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
  if (!ok) console.warn(`[test] SKIPPED: no Redis answers at ${url}; set REDIS_URL to run the Redis-backed tests`);
  return ok;
}
