import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnApp } from '../support/process.js';

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

interface ReadyBody {
  details: { projections: { runners: { name: string; state: string; eventsApplied: number }[] } };
}

/** The newcomer's path: no DATABASE_URL, no server to use, so the product starts its own PostgreSQL. */
describe('embedded start', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'trading-embedded-'));
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts PostgreSQL in the data folder, answers ready, stops it on SIGTERM, and reuses the data on the next start', async () => {
    const env = { EMBEDDED_POSTGRES: 'always', DATA_DIR: dataDir, ADMIN_TOKEN: 'embedded-admin-token-123' };
    const first = await spawnApp(env, 120_000);
    const ready = await fetch(`${first.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    const recorded = await fetch(`${first.url}/market-data/bars`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer embedded-admin-token-123' },
      body: JSON.stringify({ symbol: 'ACME', timeframe: '1d', bars: [{ time: '2024-01-02T00:00:00Z', open: 10, high: 11, low: 9, close: 10.5, volume: 100 }] }),
    });
    expect(recorded.status).toBe(202);
    const pgPort = Number(/:(\d+)\//.exec(first.output())?.[1] ?? 0);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    if (pgPort) expect(await portOpen(pgPort)).toBe(false);

    const second = await spawnApp(env, 120_000);
    // The event appended before the restart is still there and is projected exactly once.
    let catalogue: { state: string; eventsApplied: number } | undefined;
    for (let i = 0; i < 100 && catalogue?.state !== 'live'; i++) {
      const body = (await (await fetch(`${second.url}/health/ready`)).json()) as ReadyBody;
      catalogue = body.details.projections.runners.find((r) => r.name === 'stream-catalogue');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(catalogue).toMatchObject({ state: 'live', eventsApplied: 1 });
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 300_000);
});
