// Runs outside Jest's module system, so it loads the compiled platform library
// (`npm test` builds first through its pretest script).
import path from 'node:path';
import { resolveDatabaseServer } from '../../dist/libs/platform/src/index.js';

// Resolved once for the whole run; every suite then creates its own database on this server.
export default async function globalSetup() {
  const server = await resolveDatabaseServer({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: path.resolve('.data/test'),
  });
  process.env.TEST_DATABASE_SERVER_URL = server.url;
  if (server.embedded) {
    console.log(`\n[test] no DATABASE_URL and nothing on 127.0.0.1:5432: using the embedded PostgreSQL (${server.url})`);
  }
  globalThis.__dbServer = server;
}
