import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Trading backend API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"><link rel="icon" href="/docs/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/swagger-ui-standalone-preset.js"></script><script src="/docs/swagger-ui-init.js"></script>
</body></html>`;

const INIT = `window.onload = () => {
  window.ui = SwaggerUIBundle({
    url: '/docs-json', dom_id: '#swagger-ui', persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout',
  });
};`;

/** swagger-ui-dist as @nestjs/swagger resolves it, so the UI matches the version it was built for. */
const assetsDir = () => {
  const swagger = createRequire(import.meta.url).resolve('@nestjs/swagger');
  return path.dirname(createRequire(swagger).resolve('swagger-ui-dist/package.json'));
};

/**
 * OpenAPI document at /docs-json, Swagger UI at /docs. SwaggerModule would serve the UI's assets
 * through @fastify/static, which this product does not depend on; the page needs four files, so
 * they are served from swagger-ui-dist here (read once, then from memory).
 */
export function setupDocs(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Trading backend')
    .setDescription('Event-sourced trading API. Trader endpoints take `Authorization: Bearer <API key>`; operator endpoints take the admin token.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'account API key (tk_...) or the admin token' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), { ui: false, raw: ['json'] });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/docs', (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  fastify.get('/docs/swagger-ui-init.js', (_request, reply) => reply.type('application/javascript; charset=utf-8').send(INIT));
  const dir = assetsDir();
  for (const [file, type] of Object.entries(ASSETS)) {
    let body: Promise<Buffer> | undefined;
    fastify.get(`/docs/${file}`, async (_request, reply) => reply.type(type).header('cache-control', 'public, max-age=86400').send(await (body ??= readFile(path.join(dir, file)))));
  }
}
