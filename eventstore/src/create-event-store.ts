import { EventStoreDbEventStore } from './eventstoredb/index.js';
import { PostgresEventStore } from './postgres/index.js';
import type { EventStore } from './types.js';

export interface EventStoreConfig {
  /** PostgreSQL connection string, used when no EventStoreDB is configured. */
  databaseUrl?: string;
  /** EventStoreDB connection string (`esdb://…`); when set, it wins. */
  eventStoreUrl?: string;
}

/** Production (docker compose) points EVENTSTORE_URL at EventStoreDB; embedded mode has only PostgreSQL. */
export function createEventStore(config: EventStoreConfig): EventStore {
  if (config.eventStoreUrl) return EventStoreDbEventStore.fromConnectionString(config.eventStoreUrl);
  if (!config.databaseUrl) throw new Error('createEventStore: neither eventStoreUrl (EVENTSTORE_URL) nor databaseUrl (DATABASE_URL) is set');
  return new PostgresEventStore({ connectionString: config.databaseUrl });
}
