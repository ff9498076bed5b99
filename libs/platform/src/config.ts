import { plainToInstance } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, Matches, Max, MinLength, Min, validateSync } from 'class-validator';

export enum RunRole {
  All = 'all',
  Api = 'api',
  Worker = 'worker',
}

const DECIMAL = /^\d{1,12}(\.\d{1,10})?$/;

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

  /** Webhook intake answers 429 once this many signals wait for the auto-trading saga. */
  @Matches(/^[1-9]\d{0,8}$/, { message: 'WEBHOOK_MAX_BACKLOG must be a positive integer' }) WEBHOOK_MAX_BACKLOG = '10000';
  /** Comma-separated proxy addresses / IPv4 CIDRs whose X-Forwarded-For is believed; unset = the socket address. */
  @IsOptional() @Matches(/^[\w.:/]+(,[\w.:/]+)*$/, { message: 'TRUSTED_PROXIES must be comma-separated addresses or CIDR blocks' }) TRUSTED_PROXIES?: string = undefined;
  /** Seals webhook signing secrets at rest (AES-256-GCM); unset = a development key, secrets unprotected at rest. */
  @IsOptional() @IsString() @MinLength(32, { message: 'WEBHOOK_SECRET_KEY must be at least 32 characters' }) WEBHOOK_SECRET_KEY?: string = undefined;

  // Paper broker; unset means libs/trading's DEFAULT_PAPER_BROKER_CONFIG (bps = basis points of notional).
  @IsOptional() @Matches(DECIMAL, { message: 'PAPER_SLIPPAGE_BPS must be a non-negative decimal' }) PAPER_SLIPPAGE_BPS?: string = undefined;
  @IsOptional() @Matches(DECIMAL, { message: 'PAPER_FEE_BPS must be a non-negative decimal' }) PAPER_FEE_BPS?: string = undefined;
  @IsOptional() @Matches(DECIMAL, { message: 'PAPER_MAKER_FEE_BPS must be a non-negative decimal' }) PAPER_MAKER_FEE_BPS?: string = undefined;
  @IsOptional() @Matches(DECIMAL, { message: 'PAPER_FIXED_FEE must be a non-negative decimal' }) PAPER_FIXED_FEE?: string = undefined;
  /** Share of a bar's volume one order may take (partial fills); unset = no cap. */
  @IsOptional() @Matches(DECIMAL, { message: 'PAPER_MAX_VOLUME_FRACTION must be a non-negative decimal' }) PAPER_MAX_VOLUME_FRACTION?: string = undefined;
  /** Extra a market or stop order reserves above the latest price, in bps. */
  @IsOptional() @Matches(DECIMAL, { message: 'PAPER_RESERVE_ALLOWANCE_BPS must be a non-negative decimal' }) PAPER_RESERVE_ALLOWANCE_BPS?: string = undefined;
  /** DAY orders expire at the first HH:MM (UTC) after placement. */
  @IsOptional() @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'PAPER_SESSION_END_UTC must be HH:MM' }) PAPER_SESSION_END_UTC?: string = undefined;
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
