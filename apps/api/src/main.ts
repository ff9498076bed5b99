import 'reflect-metadata';
import { ConfigError, loadConfig } from '#libs/platform';
import { startApp } from './start.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const running = await startApp(config);
  process.stdout.write(`trading backend listening on ${running.url} (role ${config.ROLE}; docs ${running.url}/docs)\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received, shutting down\n`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // A bad environment gets its one-line reason, not a stack trace.
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `startup failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
