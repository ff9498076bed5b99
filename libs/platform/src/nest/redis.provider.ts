import type { Provider } from '@nestjs/common';
import { createClient, type RedisClientType } from 'redis';
import type { AppConfig } from '../config.js';
import { APP_CONFIG, REDIS } from './tokens.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the plain client: no modules, functions or scripts
export type RedisClient = RedisClientType<{}, {}, {}, 3>;

/** Null when REDIS_URL is unset: the embedded mode keeps cache and fan-out in process. */
export const redisProvider: Provider = {
  provide: REDIS,
  inject: [APP_CONFIG],
  useFactory: async (config: AppConfig): Promise<RedisClient | null> => {
    if (!config.REDIS_URL) return null;
    const client = createClient({ url: config.REDIS_URL });
    client.on('error', () => undefined); // reconnects by itself; readiness reports the outage
    await client.connect();
    return client;
  },
};
