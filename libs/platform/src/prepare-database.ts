import path from 'node:path';
import type { AppConfig } from './config.js';
import { ensureDatabase, resolveDatabaseServer, type DatabaseServer } from './database-server.js';
import { runMigrations } from './migrate.js';

export interface PreparedDatabase {
  url: string;
  server: DatabaseServer;
  applied: string[];
}

/**
 * DATABASE_URL when set; else the product's database on a local server or on the embedded
 * PostgreSQL (kept in DATA_DIR between starts), created when missing; then migrations.
 */
export async function prepareDatabase(config: AppConfig, log: (line: string) => void): Promise<PreparedDatabase> {
  const server = await resolveDatabaseServer({
    databaseUrl: config.DATABASE_URL,
    dataDir: path.resolve(config.DATA_DIR),
    alwaysEmbedded: config.EMBEDDED_POSTGRES === 'always',
    log: (line) => log(`[postgres] ${line.trim()}`),
  });
  const url = config.DATABASE_URL ?? (await ensureDatabase(server.url, config.DATABASE_NAME));
  const applied = await runMigrations(url);
  return { url, server, applied };
}
