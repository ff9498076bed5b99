import 'reflect-metadata';
import { createEventStore, type EventStore } from '#eventstore';
import { loadConfig, prepareDatabase, type AppConfig } from '#libs/platform';
import { readModelEntities } from '#projections/registry';
import { DataSource } from 'typeorm';

export interface CliRuntime {
  config: AppConfig;
  store: EventStore;
  db: DataSource;
}

/**
 * Operator commands run against the same database and event store as the product (embedded
 * PostgreSQL included), and release them all however the command ends.
 */
export async function withRuntime(work: (runtime: CliRuntime) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const prepared = await prepareDatabase(config, () => undefined);
  const store = createEventStore({ databaseUrl: prepared.url, eventStoreUrl: config.EVENTSTORE_URL });
  const db = await new DataSource({ type: 'postgres', url: prepared.url, entities: readModelEntities }).initialize();
  try {
    await work({ config, store, db });
  } finally {
    await db.destroy();
    await store.close();
    await prepared.server.stop();
  }
}

/** One line on stderr and exit 1: an operator needs the reason, not a stack. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
