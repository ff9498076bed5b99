import { migrations } from '#migrations';
import { DataSource } from 'typeorm';

/** Brings a (fresh, per-suite) test database to the current schema: event store and read models. */
export async function runMigrations(url: string): Promise<void> {
  const source = new DataSource({ type: 'postgres', url, migrations, migrationsRun: true, migrationsTableName: 'migrations', logging: false });
  await source.initialize();
  await source.destroy();
}
