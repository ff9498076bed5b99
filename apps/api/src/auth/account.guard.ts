import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { ApiKeys } from './api-keys.js';
import { bearerToken } from './bearer.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by AccountGuard: the account the API key belongs to. */
    accountId?: string;
  }
}

/** Trader endpoints: `Authorization: Bearer <api key>` of an open account; the key's account is the only one it may touch. */
@Injectable()
export class AccountGuard implements CanActivate {
  constructor(private readonly keys: ApiKeys) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; accountId?: string }>();
    const key = bearerToken(request);
    const accountId = key === null ? null : await this.keys.accountFor(key);
    if (accountId === null) throw new UnauthorizedException({ code: 'UNAUTHORIZED', message: 'a valid API key is required' });
    request.accountId = accountId;
    return true;
  }
}
