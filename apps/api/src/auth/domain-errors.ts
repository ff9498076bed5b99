import { HttpException } from '@nestjs/common';

const statusForKind: Record<string, number> = { invalid: 422, rejected: 422, not_found: 404, conflict: 409 };

/** The fields of ProblemFilter's Problem a domain error fills (declared here so the filter can import this file without a cycle). */
export interface DomainProblem {
  statusCode: number;
  code: string;
  message: string;
}

/**
 * Domain errors (libs/trading, libs/signals) carry a stable `code` and a `kind`; this is the one
 * place that turns the kind into an HTTP status. ProblemFilter applies it to anything thrown, so
 * handlers let domain errors propagate instead of catching them.
 */
export function domainProblem(error: unknown): DomainProblem | null {
  if (!(error instanceof Error)) return null;
  const { code, kind } = error as Error & { code?: unknown; kind?: unknown };
  if (typeof code !== 'string' || typeof kind !== 'string' || !(kind in statusForKind)) return null;
  return { statusCode: statusForKind[kind], code, message: error.message };
}

/** For code that must hand Nest an HttpException itself (e.g. inside an RxJS stream). */
export function toHttpException(error: unknown): HttpException | null {
  const problem = domainProblem(error);
  return problem && new HttpException({ code: problem.code, message: problem.message }, problem.statusCode);
}
