import { randomUUID } from 'node:crypto';
import type { Decider } from './decider.js';
import { StreamNotFoundError, WrongExpectedVersionError } from './errors.js';
import { uuidFromName } from './ids.js';
import type { EventStore, Metadata, RecordedEvent } from './types.js';

export interface HandleOptions {
  /** Makes event ids deterministic: the same command re-run after a crash appends nothing new. */
  commandId?: string;
  metadata?: Metadata;
  maxAttempts?: number;
}

export interface HandleResult<Event, State> {
  events: Event[];
  state: State;
  /** Revision after the append; null when the command decided nothing and the stream is new. */
  revision: bigint | null;
}

interface Folded<State> {
  state: State;
  revision: bigint | null;
}

/**
 * read → fold → decide → append with the expected revision, retried on conflict. A bounded cache
 * of folded states spares re-reading a hot stream from zero; it is only a starting point — the
 * expected revision still catches every concurrent writer.
 */
export class CommandHandler {
  private readonly cache = new Map<string, Folded<unknown>>();

  constructor(private readonly store: EventStore, private readonly cacheSize = 10_000) {}

  async handle<C, E extends { type: string; data: unknown }, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    options: HandleOptions = {},
  ): Promise<HandleResult<E, S>> {
    const attempts = options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      const folded = await this.load(streamId, decider);
      const events = decider.decide(command, folded.state);
      if (!events.length) return { events, state: folded.state, revision: folded.revision };
      try {
        const result = await this.store.appendToStream(
          streamId,
          events.map((e, i) => ({
            id: options.commandId ? uuidFromName(`${options.commandId}:${i}`) : randomUUID(),
            type: e.type,
            data: e.data,
            metadata: options.metadata,
          })),
          { expectedRevision: folded.revision ?? 'no_stream' },
        );
        const state = events.reduce(decider.evolve, folded.state);
        this.remember(streamId, { state, revision: result.nextExpectedRevision });
        return { events, state, revision: result.nextExpectedRevision };
      } catch (error) {
        this.cache.delete(streamId);
        if (!(error instanceof WrongExpectedVersionError) || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * attempt));
      }
    }
  }

  /** The current state of a stream, folded from the cache's revision onwards. */
  async load<C, E extends { type: string }, S>(streamId: string, decider: Decider<C, E, S>): Promise<Folded<S>> {
    const cached = this.cache.get(streamId) as Folded<S> | undefined;
    let { state, revision } = cached ?? { state: decider.initialState, revision: null };
    let newer: RecordedEvent[];
    try {
      newer = await this.store.readStream(streamId, { fromRevision: revision === null ? 'start' : revision + 1n });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { state: decider.initialState, revision: null };
      throw error;
    }
    for (const event of newer) {
      state = decider.evolve(state, { type: event.type, data: event.data } as unknown as E);
      revision = event.revision;
    }
    if (newer.length) this.remember(streamId, { state, revision });
    return { state, revision };
  }

  private remember(streamId: string, folded: Folded<unknown>): void {
    this.cache.delete(streamId);
    this.cache.set(streamId, folded);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }
}
