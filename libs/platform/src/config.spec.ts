import { ConfigError, loadConfig, RunRole } from './config.js';

describe('loadConfig', () => {
  it('applies defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATA_DIR: '.data', DATABASE_NAME: 'trading', ROLE: RunRole.All });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('reads valid values', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@h:5432/db', REDIS_URL: 'redis://127.0.0.1:6379', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false', ROLE: 'worker' });
    expect(config).toMatchObject({ PORT: 8080, DATABASE_URL: 'postgres://u@h:5432/db', ROLE: RunRole.Worker });
  });

  it.each([
    [{ PORT: 'eighty' }, 'invalid configuration: PORT: PORT must be an integer'],
    [{ PORT: '70000' }, 'invalid configuration: PORT: PORT must not be greater than 65535'],
    [{ DATABASE_URL: 'mysql://x' }, 'invalid configuration: DATABASE_URL: DATABASE_URL must be a postgres:// URL'],
    [{ REDIS_URL: 'http://x' }, 'invalid configuration: REDIS_URL: REDIS_URL must be a redis:// or rediss:// URL'],
    [{ EVENTSTORE_URL: 'http://x' }, 'invalid configuration: EVENTSTORE_URL: EVENTSTORE_URL must be an esdb:// or kurrentdb:// connection string'],
    [{ ROLE: 'both' }, 'invalid configuration: ROLE: ROLE must be one of all, api, worker'],
    [{ ADMIN_TOKEN: 'short' }, 'invalid configuration: ADMIN_TOKEN: ADMIN_TOKEN must be at least 16 characters'],
  ])('refuses %j with a one-line reason', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});
