import { type CanActivate, type ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';

/**
 * Trader endpoints take JSON bodies only. A form or text body would reach validation as strings
 * ("0.5", "true") and could pass as something the client never meant to send. Webhook intake
 * accepts text/plain on purpose, so this is per controller, not a global parser change.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const type = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['content-type'];
    if (type === undefined || (typeof type === 'string' && /^application\/(?:[\w.+-]+\+)?json\s*(;|$)/i.test(type))) return true;
    throw new UnsupportedMediaTypeException({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the request body as application/json' });
  }
}
