import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AlertError, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '#libs/webhooks';
import { webhookAckSeconds, webhookRequests } from '../metrics/metrics.js';
import { HookRefused } from './hook-errors.js';
import { IntakeService } from './intake.service.js';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * TradingView and other producers post here without a bearer token: the webhook's secret (in the
 * body or as an HMAC signature) is the credential. 202 = recorded durably; 200 = a duplicate of a
 * signal already recorded (same signalId); 4xx = nothing was recorded.
 */
@ApiTags('webhooks')
@Controller('hooks')
export class HooksController {
  constructor(private readonly intake: IntakeService) {}

  @Post(':webhookId')
  @HttpCode(202)
  async receive(@Param('webhookId') webhookId: string, @Req() request: FastifyRequest & { rawBody?: Buffer }, @Res({ passthrough: true }) reply: FastifyReply) {
    const started = process.hrtime.bigint();
    const observe = (status: number, code: string) => {
      webhookAckSeconds.observe({ status: String(status) }, Number(process.hrtime.bigint() - started) / 1e9);
      webhookRequests.inc({ status: String(status), code });
    };
    try {
      const accepted = await this.intake.accept({
        webhookId,
        body: request.body,
        // JSON bodies keep their bytes (rawBody: true); text/plain arrives as the UTF-8 string itself.
        rawBody: request.rawBody ?? Buffer.from(typeof request.body === 'string' ? request.body : ''),
        socketIp: request.socket.remoteAddress ?? '',
        forwardedFor: header(request, 'x-forwarded-for'),
        signature: header(request, SIGNATURE_HEADER),
        timestamp: header(request, TIMESTAMP_HEADER),
        idempotencyKey: header(request, 'idempotency-key'),
      });
      if (accepted.duplicate) reply.status(200);
      observe(accepted.duplicate ? 200 : 202, accepted.duplicate ? 'DUPLICATE' : 'ACCEPTED');
      return accepted;
    } catch (error) {
      const refused = error instanceof AlertError ? new HookRefused(error.status, error.code, error.message, error.field && { field: error.field }) : error;
      if (refused instanceof HookRefused) {
        if (refused.getStatus() === 429) void reply.header('retry-after', '1');
        observe(refused.getStatus(), refused.code);
      }
      throw refused;
    }
  }
}
