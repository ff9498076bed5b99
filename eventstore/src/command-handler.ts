import { randomUUID } from 'node:crypto';
import type { Decider } from './decider.js';
import { StreamNotFoundError, WrongExpectedVersionError } from './errors.js';
import { uuidFromName } from './ids.js';
import type { EventStore, Metadata, RecordedEvent } from './types.js';

export interface HandleOptions {
  /** Makes event ids deterministic: the same command re-run (after a crash, a retry) appends nothing new. */
  commandId?: string;
  /** Correlation and causation ids and the like, copied onto every event. */
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
  /** Commands recently applied to this stream, so a re-run hidden by the cache is still recognised. */
  recent: Map<string, { type: string; data: unknown }[]>;
}

const RECENT_COMMANDS_PER_STREAM = 16;
export const commandEventId = (commandId: string, index: number) => uuidFromName(`${commandId}:${index}`);

/**
 * read → fold → decide → append with the expected revision, retried on conflict. A bounded cache
 * of folded states spares re-reading a hot stream from zero; it is only a starting point — the
 * expected revision still catches every concurrent writer, and a conflict drops the entry.
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
    const attempts = options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const folded = await this.load(streamId, decider);
      const replayed = options.commandId === undefined ? undefined : folded.recent.get(options.commandId);
      if (replayed) return { events: replayed as E[], state: folded.state, revision: folded.revision };
      const events = decider.decide(command, folded.state);
      if (!events.length) return { events, state: folded.state, revision: folded.revision };
      try {
        const result = await this.store.appendToStream(
          streamId,
          events.map((e, i) => ({
            id: options.commandId === undefined ? randomUUID() : commandEventId(options.commandId, i),
            type: e.type,
            data: e.data,
            metadata: options.commandId === undefined ? options.metadata : { ...options.metadata, commandId: options.commandId },
          })),
          { expectedRevision: folded.revision ?? 'no_stream' },
        );
        const state = events.reduce(decider.evolve, folded.state);
        if (options.commandId !== undefined) remember(folded.recent, options.commandId, events);
        this.put(streamId, { state, revision: result.nextExpectedRevision, recent: folded.recent });
        return { events, state, revision: result.nextExpectedRevision };
      } catch (error) {
        this.cache.delete(streamId);
        if (!(error instanceof WrongExpectedVersionError) || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  /** The current state of a stream, folded from the cache's revision onwards. */
  async load<C, E extends { type: string }, S>(streamId: string, decider: Decider<C, E, S>): Promise<Folded<S>> {
    const cached = this.cache.get(streamId) as Folded<S> | undefined;
    let { state, revision } = cached ?? { state: decider.initialState, revision: null };
    const recent = new Map(cached?.recent);
    let newer: RecordedEvent[];
    try {
      newer = await this.store.readStream(streamId, { fromRevision: revision === null ? 'start' : revision + 1n });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { state: decider.initialState, revision: null, recent };
      throw error;
    }
    for (const event of newer) {
      state = decider.evolve(state, { type: event.type, data: event.data } as unknown as E);
      revision = event.revision;
    }
    noteCommands(recent, newer);
    if (newer.length) this.put(streamId, { state, revision, recent });
    return { state, revision, recent };
  }

  private put(streamId: string, folded: Folded<unknown>): void {
    if (this.cacheSize <= 0) return;
    this.cache.delete(streamId);
    this.cache.set(streamId, folded);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }
}

/** One-off handling without a cache: read, fold, decide, append with retries. */
export function handle<C, E extends { type: string; data: unknown }, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  options?: HandleOptions,
): Promise<HandleResult<E, S>> {
  return new CommandHandler(store, 0).handle(streamId, decider, command, options);
}

function remember(recent: Folded<unknown>['recent'], commandId: string, events: { type: string; data: unknown }[]): void {
  recent.delete(commandId);
  recent.set(commandId, events.map((e) => ({ type: e.type, data: e.data })));
  if (recent.size > RECENT_COMMANDS_PER_STREAM) recent.delete(recent.keys().next().value!);
}

/** Recognises the events of commands that carried an id: a command's events have ids commandEventId(id, 0..n-1). */
function noteCommands(recent: Folded<unknown>['recent'], events: RecordedEvent[]): void {
  const commandIdOf = (event: RecordedEvent) => (typeof event.metadata.commandId === 'string' ? event.metadata.commandId : undefined);
  for (let i = 0; i < events.length; i++) {
    const commandId = commandIdOf(events[i]);
    if (commandId === undefined || events[i].id !== commandEventId(commandId, 0)) continue;
    const batch = [events[i]];
    while (i + 1 < events.length && events[i + 1].id === commandEventId(commandId, batch.length)) batch.push(events[++i]);
    remember(recent, commandId, batch);
  }
}
