/** Same shape as the trading errors (code + kind), so the HTTP layer maps both alike: invalid → 422. */
export class InvalidSignalError extends Error {
  override readonly name = 'InvalidSignalError';
  readonly code = 'INVALID_SIGNAL';
  readonly kind = 'invalid';
  constructor(readonly field: string, reason: string) {
    super(`${field} ${reason}`);
  }
}
