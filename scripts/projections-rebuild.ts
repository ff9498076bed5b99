import 'reflect-metadata';
import { createEventStore, rebuildProjection } from '#eventstore';
import { loadConfig, prepareDatabase } from '#libs/platform';
import { projectionNamed, readModelEntities, runnableProjections } from '#projections/registry';
import { DataSource } from 'typeorm';

/**
 * `npm run projections:rebuild -- NAME [NAME...]` (or `-- --all`): empties the read model and
 * replays the whole log into it. Safe while the product runs: the live runner notices the rebuild
 * and follows it.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const names = args.includes('--all') ? runnableProjections.map((p) => p.name) : args;
  const unknown = names.filter((n) => !projectionNamed(n));
  if (!names.length || unknown.length) {
    const known = runnableProjections.map((p) => p.name).join(', ');
    throw new Error(`${unknown.length ? `unknown projection ${unknown.join(', ')}; ` : ''}usage: npm run projections:rebuild -- NAME|--all (known: ${known})`);
  }
  const config = loadConfig();
  const db = await prepareDatabase(config, () => undefined);
  const store = createEventStore({ databaseUrl: db.url, eventStoreUrl: config.EVENTSTORE_URL });
  const source = await new DataSource({ type: 'postgres', url: db.url, entities: readModelEntities }).initialize();
  try {
    for (const name of names) {
      const result = await rebuildProjection(projectionNamed(name)!, store, source);
      console.log(`rebuilt ${result.name}: ${result.eventsApplied} events in ${result.millis} ms`);
    }
  } finally {
    await source.destroy();
    await store.close();
    await db.server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
