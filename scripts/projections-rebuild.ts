import 'reflect-metadata';
import { rebuildProjection } from '#eventstore';
import { projectionNamed, runnableProjections } from '#projections/registry';
import { runCli, withRuntime } from './cli-runtime.js';

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
  await withRuntime(async ({ store, db }) => {
    for (const name of names) {
      const result = await rebuildProjection(projectionNamed(name)!, store, db);
      console.log(`rebuilt ${result.name}: ${result.eventsApplied} events in ${result.millis} ms`);
    }
  });
}

runCli(main);
