import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { domainProblem } from '../auth/domain-errors.js';
import { isServiceBusy, RETRY_AFTER_SECONDS } from './service-busy.js';

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
 * Every error leaves as one JSON shape. Known client errors keep their status; a database that
 * refuses connections for load is a 503 with Retry-After; anything else is a 500 whose details are
 * logged, never sent (they may hold internals or secrets).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');
  /** Refusals for load come in floods: one warning per interval with their count, not one line each. */
  private busy = { count: 0, loggedAt: 0 };

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = this.toProblem(error);
    if (problem.statusCode === HttpStatus.SERVICE_UNAVAILABLE) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply.status(problem.statusCode).send(problem);
  }

  private serviceBusy(error: unknown): Problem {
    this.busy.count++;
    const now = Date.now();
    if (now - this.busy.loggedAt >= 10_000) {
      this.logger.warn(`${this.busy.count} request(s) answered 503: the database refused a connection for load (${error instanceof Error ? error.message : String(error)})`);
      this.busy = { count: 0, loggedAt: now };
    }
    return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, code: 'SERVICE_BUSY', message: `the service is busy; retry in ${RETRY_AFTER_SECONDS} s` };
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
    if (isServiceBusy(error)) return this.serviceBusy(error);
    this.logger.error(error instanceof Error ? error.stack ?? error.message : String(error));
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, code: 'INTERNAL', message: 'internal error' };
  }
}
