import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { domainProblem } from '../auth/domain-errors.js';

export interface Problem {
  statusCode: number;
  /** Machine-readable reason, stable across releases (e.g. VALIDATION_FAILED, INSUFFICIENT_BUYING_POWER). */
  code: string;
  message: string;
  details?: unknown;
}

const codeForStatus: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 422: 'UNPROCESSABLE', 429: 'TOO_MANY_REQUESTS',
};

/**
 * Every error leaves as one JSON shape. Known client errors keep their status; anything else is a
 * 500 whose details are logged, never sent (they may hold internals or secrets).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = this.toProblem(error);
    void reply.status(problem.statusCode).send(problem);
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      const fromBody = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const code = typeof fromBody.code === 'string' ? fromBody.code : codeForStatus[status] ?? `HTTP_${status}`;
      const message = Array.isArray(fromBody.message) ? 'request is invalid' : String(fromBody.message ?? error.message);
      const details = fromBody.details ?? (Array.isArray(fromBody.message) ? fromBody.message : undefined);
      return { statusCode: status, code, message, ...(details === undefined ? {} : { details }) };
    }
    const domain = domainProblem(error);
    if (domain) return domain;
    // Fastify's own client errors (bad JSON, body too large, wrong content type) carry a 4xx statusCode.
    const fastify = error as { statusCode?: number; code?: string; message?: string };
    if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
      const code = codeForStatus[fastify.statusCode] ?? fastify.code ?? 'BAD_REQUEST';
      return { statusCode: fastify.statusCode, code, message: fastify.message ?? 'bad request' };
    }
    this.logger.error(error instanceof Error ? error.stack ?? error.message : String(error));
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL', message: 'internal error' };
  }
}
