import { plainToInstance } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Matches, Max, MinLength, Min, validateSync } from 'class-validator';

export enum RunRole {
  All = 'all',
  Api = 'api',
  Worker = 'worker',
}

/** The process environment the product accepts. Anything else in the environment is ignored. */
export class AppConfig {
  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional() @Matches(/^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):\/\/\S+$/, { message: 'EVENTSTORE_URL must be an esdb:// or kurrentdb:// connection string' })
  EVENTSTORE_URL?: string;

  @IsOptional() @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Min(0) @Max(65535) @IsInt({ message: 'PORT must be an integer' })
  PORT = 3000;

  @IsString() @Matches(/^[\w.:-]+$/, { message: 'HOST must be a host name or address' })
  HOST = '127.0.0.1';

  /** Where the embedded PostgreSQL keeps its data between starts. */
  @IsString() @MinLength(1)
  DATA_DIR = '.data';

  /** Database created on the server when it does not exist yet (embedded or local server). */
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_NAME must be a lowercase SQL identifier' })
  DATABASE_NAME = 'trading';

  /** `always` skips the local-server probe (used to test the newcomer's path on a machine that has PostgreSQL). */
  @IsEnum(['auto', 'always'], { message: 'EMBEDDED_POSTGRES must be auto or always' })
  EMBEDDED_POSTGRES: 'auto' | 'always' = 'auto';

  @IsEnum(RunRole, { message: `ROLE must be one of ${Object.values(RunRole).join(', ')}` })
  ROLE: RunRole = RunRole.All;

  @IsEnum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent' })
  LOG_LEVEL = 'info';

  /** Bearer token that may create accounts; unset disables the admin endpoints. */
  @IsOptional() @IsString() @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  ADMIN_TOKEN?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const NUMERIC_KEYS = new Set(['PORT']);

/** Validates the environment; the error message is one line naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat(['DATABASE_URL', 'EVENTSTORE_URL', 'REDIS_URL', 'ADMIN_TOKEN']);
  const raw: Record<string, unknown> = {};
  for (const key of known) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    raw[key] = NUMERIC_KEYS.has(key) && /^\d+$/.test(value) ? Number(value) : value;
  }
  const config = plainToInstance(AppConfig, raw);
  const [first] = validateSync(config, { forbidUnknownValues: true, stopAtFirstError: true });
  if (first) {
    const reason = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(`invalid configuration: ${first.property}: ${reason}`);
  }
  return config;
}
