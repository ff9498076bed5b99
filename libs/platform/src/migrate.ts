import { migrations } from '#migrations';
import { DataSource } from 'typeorm';

/** Applies every pending migration (event store schema and read models) in one go. */
export async function runMigrations(url: string): Promise<string[]> {
  const source = new DataSource({ type: 'postgres', url, migrations, migrationsTableName: 'migrations', logging: false });
  await source.initialize();
  try {
    // Serialises concurrent starts (several api instances) so a migration never runs twice.
    await source.query(`select pg_advisory_lock(hashtextextended('migrations', 0))`);
    const applied = await source.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await source.destroy();
  }
}
