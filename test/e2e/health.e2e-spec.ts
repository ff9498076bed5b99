import { api, startTestApp, type TestApp } from '../support/app.js';

describe('health', () => {
  let app: TestApp;
  beforeAll(async () => void (app = await startTestApp('health')));
  afterAll(async () => app.stop());

  it('answers liveness without touching dependencies', async () => {
    expect(await api(app, 'GET', '/health')).toEqual({ status: 200, body: { status: 'ok', info: {}, error: {}, details: {} } });
  });

  it('reports database, event store and projections when ready', async () => {
    const ready = await api(app, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info.database.status).toBe('up');
    expect(ready.body.info.eventStore.status).toBe('up');
    expect(ready.body.info.projections.runners.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['stream-catalogue', 'market-bars']));
    expect(ready.body.info.redis).toBeUndefined();
  });

  it('answers unknown routes with a problem body, not a stack', async () => {
    expect(await api(app, 'GET', '/nope')).toMatchObject({ status: 404, body: { statusCode: 404, code: 'NOT_FOUND' } });
  });
});
