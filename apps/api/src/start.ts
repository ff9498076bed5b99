import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { createEventStore, type Projection } from '#eventstore';
import { prepareDatabase, type AppConfig } from '#libs/platform';
import { AppModule } from './app.module.js';
import { setupDocs } from './http/docs.js';

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

/** Largest request body accepted; bigger ones get 413 before any parsing. */
export const BODY_LIMIT_BYTES = 256 * 1024;
/**
 * Connections the kernel may hold complete but not yet accepted (capped by net.core.somaxconn).
 * Node's default of 511 overflowed when a burst of alert producers connected at once while the
 * event loop was busy: each dropped handshake cost its sender a 1 s SYN retransmit, the largest
 * part of intake's tail (bench:webhooks, 16,467 listen drops in one run; 107 with 4,096).
 */
const LISTEN_BACKLOG = 4096;

/** Database (embedded when nothing else is configured), migrations, event store, then HTTP. */
export async function startApp(config: AppConfig, options: { projections?: Projection[] } = {}): Promise<RunningApp> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const db = await prepareDatabase(config, config.LOG_LEVEL === 'debug' ? say : () => undefined);
  if (db.server.embedded) say(`embedded PostgreSQL running (data in ${config.DATA_DIR})`);
  const eventStore = createEventStore({ databaseUrl: db.url, eventStoreUrl: config.EVENTSTORE_URL });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register({ config, databaseUrl: db.url, eventStore, projections: options.projections }),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
    // rawBody: webhook intake verifies HMAC signatures over the exact bytes received.
    { bufferLogs: true, rawBody: true },
  );
  app.useLogger(app.get(Logger));
  setupDocs(app);
  await app.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  let closed = false;
  return {
    app,
    url,
    async close() {
      if (closed) return;
      closed = true;
      // Each step is bounded: a dependency that died first must not keep the process from exiting.
      await bounded(app.close(), 'http and workers');
      await bounded(eventStore.close(), 'event store');
      await bounded(db.server.stop(), 'postgres');
    },
  };
}

async function bounded(step: Promise<unknown>, what: string, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      process.stderr.write(`shutdown: ${what} did not stop within ${ms} ms, going on\n`);
      resolve();
    }, ms);
  });
  await Promise.race([step.catch(() => undefined), timeout]);
  clearTimeout(timer);
}
