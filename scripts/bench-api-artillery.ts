import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { call, freshDatabase, inParallel, seed, startProduct } from './bench-api-support.js';

/**
 * `npm run bench:artillery [-- api|webhooks]`: the product started as for bench:api (built dist, a
 * fresh database), seeded through its API, one webhook per account; the keys, hook paths and secrets
 * go to artillery/data/accounts.csv, then each artillery/<name>.yml runs against it. Exits non-zero
 * when an `ensure` check fails. Reports (JSON) land in artillery/reports/. ARTILLERY_OVERRIDES (JSON) is
 * passed to `artillery run --overrides`, e.g. shorter phases for a trial run.
 */
const ARTILLERY = path.resolve('artillery/node_modules/.bin/artillery');
const SCENARIOS = process.argv.slice(2).length ? process.argv.slice(2) : ['api', 'webhooks'];
const ACCOUNTS = 20;

function artillery(scenario: string, target: string, output: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const overrides = process.env.ARTILLERY_OVERRIDES ? ['--overrides', process.env.ARTILLERY_OVERRIDES] : [];
    const child = spawn(ARTILLERY, ['run', '--target', target, '--output', output, ...overrides, path.resolve(`artillery/${scenario}.yml`)], {
      stdio: 'inherit',
      env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' },
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** The report's per-endpoint response times (time to first byte) and status codes as a Markdown table. */
function summary(scenario: string, reportPath: string): string {
  if (!existsSync(reportPath)) return `(no report at ${reportPath})`;
  const { aggregate } = JSON.parse(readFileSync(reportPath, 'utf8')) as { aggregate: { counters: Record<string, number>; summaries: Record<string, Record<string, number>> } };
  const prefix = 'plugins.metrics-by-endpoint.response_time.';
  const lines = [`| ${scenario}: endpoint | requests | p50 ms | p95 ms | p99 ms | max ms | codes and errors |`, '|---|---|---|---|---|---|---|'];
  for (const [name, s] of Object.entries(aggregate.summaries).filter(([n]) => n.startsWith(prefix))) {
    const endpoint = name.slice(prefix.length);
    const codes = Object.entries(aggregate.counters)
      .filter(([n]) => n.startsWith(`plugins.metrics-by-endpoint.${endpoint}.`))
      .map(([n, c]) => `${c}× ${n.slice(`plugins.metrics-by-endpoint.${endpoint}.`.length)}`).join(', ');
    lines.push(`| ${endpoint} | ${s.count} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} | ${codes} |`);
  }
  const c = aggregate.counters;
  lines.push(`vusers: ${c['vusers.created'] ?? 0} created, ${c['vusers.completed'] ?? 0} completed, ${c['vusers.failed'] ?? 0} failed`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(ARTILLERY)) throw new Error('artillery is not installed: run `npm run bench:artillery` (it installs artillery/ on demand)');
  const database = await freshDatabase('bench_artillery');
  const product = await startProduct(database.url);
  let failed = 0;
  try {
    console.log(`product at ${product.url}; database ${database.name}; ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const seeded = await seed(product.url, database.url, { accounts: ACCOUNTS, signalAccounts: ACCOUNTS, signalsPerAccount: 250 });
    const hooks: { url: string; secret: string }[] = [];
    await inParallel(seeded.accounts, 4, async (account, i) => {
      hooks[i] = await call(product.url, 'POST', '/webhooks', { strategy: 'artillery', sizing: { mode: 'fixed_quantity', quantity: '1' }, orderDefaults: { type: 'limit' } }, account.apiKey);
    });
    mkdirSync('artillery/data', { recursive: true });
    mkdirSync('artillery/reports', { recursive: true });
    const rows = seeded.accounts.map((a, i) => `${a.apiKey},${hooks[i].url},${hooks[i].secret}`);
    writeFileSync('artillery/data/accounts.csv', ['apiKey,hookPath,hookSecret', ...rows].join('\n') + '\n');
    for (const scenario of SCENARIOS) {
      const output = path.resolve(`artillery/reports/${scenario}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
      console.log(`\nartillery run artillery/${scenario}.yml against ${product.url} (report: ${path.relative(process.cwd(), output)})`);
      const code = await artillery(scenario, product.url, output);
      console.log(summary(scenario, output));
      console.log(`artillery ${scenario}: ${code === 0 ? 'every ensure check passed' : `exit ${code} (an ensure check failed)`}`);
      if (code !== 0) failed++;
    }
  } finally {
    await product.stop();
    await database.drop();
  }
  if (failed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
