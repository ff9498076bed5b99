import { type CanActivate, type ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '#libs/platform';
import { bearerToken } from './bearer.js';

/** Operator endpoints (account creation, price feeds) take the ADMIN_TOKEN from the environment. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.ADMIN_TOKEN;
    const given = bearerToken(context.switchToHttp().getRequest());
    if (!expected || !given || !sameSecret(given, expected)) {
      throw new UnauthorizedException({ code: 'UNAUTHORIZED', message: 'a valid admin token is required' });
    }
    return true;
  }
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
