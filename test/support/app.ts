import { loadConfig } from '#libs/platform';
import { startApp, type RunningApp } from '../../apps/api/src/start.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp extends RunningApp {
  db: TestDatabase;
  stop(): Promise<void>;
}

/** The real app on a real port over a fresh database: end-to-end tests talk to it with fetch/ws. */
export async function startTestApp(label: string, env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase(label);
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'error', ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...env });
  const running = await startApp(config);
  return {
    ...running,
    db,
    async stop() {
      await running.close();
      await db.drop();
    },
  };
}

export async function api(app: { url: string }, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* non-JSON bodies stay text */
  }
  return { status: response.status, body: parsed };
}
