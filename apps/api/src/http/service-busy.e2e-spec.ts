import { Controller, Get, Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { TypeOrmModule } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js';
import { ProblemFilter } from './problem.filter.js';

@Controller('quote')
class QuoteController {
  constructor(private readonly db: DataSource) {}

  @Get()
  async quote() {
    const [row]: { price: string }[] = await this.db.query("select '64000.5' as price");
    return row;
  }
}

/** The real ProblemFilter and a real pg pool (max 1, 200 ms to wait for a client), served over HTTP. */
async function startApp(url: string): Promise<{ app: NestFastifyApplication; get(): Promise<{ status: number; retryAfter: string | null; body: unknown }> }> {
  @Module({
    imports: [TypeOrmModule.forRoot({ type: 'postgres', url, extra: { max: 1, connectionTimeoutMillis: 200 }, logging: false })],
    controllers: [QuoteController],
    providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
  })
  class BusyTestModule {}
  const app = await NestFactory.create<NestFastifyApplication>(BusyTestModule, new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    async get() {
      const response = await fetch(`http://127.0.0.1:${address.port}/quote`);
      return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
    },
  };
}

const busy = { status: 503, retryAfter: '1', body: { statusCode: 503, code: 'SERVICE_BUSY', message: 'the service is busy; retry in 1 s' } };
const quoted = { status: 200, retryAfter: null, body: { price: '64000.5' } };

describe('a database that refuses connections for load', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('service_busy');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('given the pool\'s only connection is held, when a request needs one, then it is answered 503 SERVICE_BUSY with Retry-After, and 200 once it is free', async () => {
    const { app, get } = await startApp(database.url);
    try {
      const runner = app.get(DataSource).createQueryRunner();
      await runner.connect();
      await runner.query('select 1');
      expect(await get()).toEqual(busy);
      await runner.release();
      expect(await get()).toEqual(quoted);
    } finally {
      await app.close();
    }
  });

  it('given PostgreSQL refuses a new connection for too many clients (53300), when a request needs one, then it is answered 503 SERVICE_BUSY with Retry-After', async () => {
    // Superusers are exempt from connection limits, so the app connects as a role limited to one connection, which another client holds.
    const role = `busy_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`create role ${role} login connection limit 1`);
    const roleUrl = new URL(database.url);
    roleUrl.username = role;
    roleUrl.password = '';
    const { app, get } = await startApp(roleUrl.toString());
    const holder = new pg.Client({ connectionString: roleUrl.toString() });
    try {
      // TypeORM checks a connection at start; end it so the one allowed goes to the holder, and the pool must connect anew.
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
      while ((await admin.query('select 1 from pg_stat_activity where usename = $1', [role])).rowCount) await new Promise((resolve) => setTimeout(resolve, 20));
      await holder.connect();
      expect(await get()).toEqual(busy);
      await holder.end();
      expect(await get()).toEqual(quoted);
    } finally {
      await holder.end().catch(() => undefined);
      await app.close();
      await admin.query(`drop role ${role}`);
      await admin.end();
    }
  });
});
