import type { ExpectedRevision } from './types.js';

export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or 'no_stream' when it has none. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(readonly streamId: string) {
    super(`stream ${streamId} not found`);
  }
}

/** One append may carry at most this many events / bytes; larger batches must be split by the caller. */
export const MAX_APPEND_EVENTS = 10_000;
export const MAX_APPEND_BYTES = 16 * 1024 * 1024;

export class AppendSizeExceededError extends Error {
  override readonly name = 'AppendSizeExceededError';
  constructor(readonly streamId: string, readonly events: number, readonly bytes: number) {
    super(`append to ${streamId} of ${events} events / ${bytes} bytes exceeds ${MAX_APPEND_EVENTS} events / ${MAX_APPEND_BYTES} bytes`);
  }
}
