/**
 * Domain errors carry a stable `code` for API clients and a `kind` the HTTP layer maps to a
 * status: invalid → 422, rejected → 422, not_found → 404, conflict → 409.
 */
export type DomainErrorKind = 'invalid' | 'rejected' | 'not_found' | 'conflict';

export abstract class TradingError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;
}

export const ORDER_REJECTION_REASONS = [
  'ACCOUNT_NOT_FOUND',
  'INSUFFICIENT_BUYING_POWER',
  'SHORT_SELLING_NOT_ALLOWED',
  'MAX_ORDER_NOTIONAL_EXCEEDED',
  'MAX_POSITION_EXCEEDED',
  'INVALID_ORDER',
] as const;
export type OrderRejectionReason = (typeof ORDER_REJECTION_REASONS)[number];

/** Risk said no. `code` is the reason, so clients branch on it without parsing messages. */
export class OrderRejectedError extends TradingError {
  override readonly name = 'OrderRejectedError';
  readonly kind = 'rejected';
  constructor(readonly code: OrderRejectionReason, message: string) {
    super(message);
  }
}

export class InvalidOrderError extends TradingError {
  override readonly name = 'InvalidOrderError';
  readonly code = 'INVALID_ORDER';
  readonly kind = 'invalid';
}

export class InvalidCommandError extends TradingError {
  override readonly name = 'InvalidCommandError';
  readonly code = 'INVALID_COMMAND';
  readonly kind = 'invalid';
}

export class AccountNotFoundError extends TradingError {
  override readonly name = 'AccountNotFoundError';
  readonly code = 'ACCOUNT_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(readonly accountId: string) {
    super(`account ${accountId} does not exist`);
  }
}

export class AccountAlreadyOpenedError extends TradingError {
  override readonly name = 'AccountAlreadyOpenedError';
  readonly code = 'ACCOUNT_ALREADY_OPENED';
  readonly kind = 'conflict';
  constructor(readonly accountId: string) {
    super(`account ${accountId} is already open`);
  }
}

export class InsufficientFundsError extends TradingError {
  override readonly name = 'InsufficientFundsError';
  readonly code = 'INSUFFICIENT_FUNDS';
  readonly kind = 'rejected';
}

export class OrderNotFoundError extends TradingError {
  override readonly name = 'OrderNotFoundError';
  readonly code = 'ORDER_NOT_FOUND';
  readonly kind = 'not_found';
  constructor(readonly orderId: string) {
    super(`order ${orderId} does not exist`);
  }
}

export class OrderNotCancellableError extends TradingError {
  override readonly name = 'OrderNotCancellableError';
  readonly code = 'ORDER_NOT_CANCELLABLE';
  readonly kind = 'conflict';
  constructor(readonly orderId: string, readonly status: string) {
    super(`order ${orderId} is ${status} and can no longer be cancelled`);
  }
}

/** A lifecycle step that the order's current status does not allow (fill a cancelled order ...). */
export class OrderStateConflictError extends TradingError {
  override readonly name = 'OrderStateConflictError';
  readonly code = 'ORDER_STATE_CONFLICT';
  readonly kind = 'conflict';
  constructor(readonly orderId: string, readonly status: string, action: string) {
    super(`order ${orderId} is ${status}: cannot ${action}`);
  }
}

export class InvalidFillError extends TradingError {
  override readonly name = 'InvalidFillError';
  readonly code = 'INVALID_FILL';
  readonly kind = 'invalid';
}
