import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** The account id AccountGuard resolved from the API key; use only on routes behind AccountGuard. */
export const CurrentAccount = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const accountId = context.switchToHttp().getRequest<{ accountId?: string }>().accountId;
  if (!accountId) throw new Error('CurrentAccount used on a route without AccountGuard');
  return accountId;
});
