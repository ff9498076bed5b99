import { randomUUID } from 'node:crypto';
import type { Decider } from './decider.js';
import { StreamNotFoundError, WrongExpectedVersionError } from './errors.js';
import { uuidFromName } from './ids.js';
import type { EventData, EventStore, Metadata, RecordedEvent } from './types.js';

export interface HandleOptions {
  /** Makes event ids deterministic: the same command re-run (after a crash, a retry) appends nothing new. */
  commandId?: string;
  /** Correlation and causation ids and the like, copied onto every event. */
  metadata?: Metadata;
  maxAttempts?: number;
  /**
   * The stream is expected not to exist yet (its id was just minted from the command): decide on
   * the initial state and append with `no_stream`, without a read. Where the stream exists after
   * all (a retried submission), the append fails or turns out to be a duplicate, and the command is
   * decided again on what the stream holds, as if it had been read first.
   */
  expectNew?: boolean;
}

export interface HandleResult<Event, State> {
  events: Event[];
  state: State;
  /** Revision after the append; null when the command decided nothing and the stream is new. */
  revision: bigint | null;
}

/** One command of a group handled together: its own id, its own outcome. */
export interface Submission<Command> {
  command: Command;
  commandId?: string;
  metadata?: Metadata;
}

/** A command refused by its decider fails alone; the rest of its group goes ahead. */
export type Outcome<Event, State> = { ok: true; result: HandleResult<Event, State> } | { ok: false; error: unknown };

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
 * of folded states spares reading a hot stream at all: a decision taken on a cached state is
 * appended at the cached revision, so a stale cache fails the append (and is dropped) rather than
 * writing anything. A decision the append cannot vouch for (nothing to append: a replay, a no-op,
 * a refusal) is confirmed by a read before it is answered.
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
    const [outcome] = await this.handleMany(streamId, decider, [{ command, commandId: options.commandId, metadata: options.metadata }], options);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.result;
  }

  /**
   * Decides the commands one after another, each on the state the earlier ones left, and appends
   * all their events at one expected revision: a burst on one stream costs one round trip, not
   * one per command. On a conflict the whole group is decided again from a fresh read.
   */
  async handleMany<C, E extends { type: string; data: unknown }, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    submissions: Submission<C>[],
    { maxAttempts = 5, expectNew = false }: Pick<HandleOptions, 'maxAttempts' | 'expectNew'> = {},
  ): Promise<Outcome<E, S>[]> {
    let superseded: Folded<S> | undefined;
    for (let attempt = 1; ; attempt++) {
      // A state taken without a read: the cache's, or the initial one of a stream expected to be new.
      const assumed = attempt === 1 ? (this.cached<S>(streamId) ?? (expectNew ? { state: decider.initialState, revision: null, recent: new Map() } : undefined)) : undefined;
      let folded = assumed ?? (await this.catchUp(streamId, decider, superseded));
      let plan = decideAll(decider, folded, submissions);
      if (!plan.events.length) {
        if (assumed) {
          folded = await this.load(streamId, decider);
          if (folded.revision !== assumed.revision) plan = decideAll(decider, folded, submissions);
        }
        if (!plan.events.length) return plan.outcomes;
      }
      try {
        const base = folded.revision ?? -1n;
        const { nextExpectedRevision, duplicate } = await this.store.appendToStream(streamId, plan.events, { expectedRevision: folded.revision ?? 'no_stream' });
        if (duplicate || nextExpectedRevision !== base + BigInt(plan.events.length)) return await this.appliedElsewhere(streamId, decider, submissions, plan.outcomes);
        this.put(streamId, { state: plan.state, revision: nextExpectedRevision, recent: plan.recent });
        return plan.outcomes;
      } catch (error) {
        // Only the entry this decision started from is stale; a newer one (a winner in this process) is sound.
        const stale = this.cache.get(streamId)?.revision === folded.revision;
        if (stale || !(error instanceof WrongExpectedVersionError)) this.cache.delete(streamId);
        if (!(error instanceof WrongExpectedVersionError) || attempt >= maxAttempts) throw error;
        // A stale fold is still the stream up to its revision: the first retry reads only what came
        // after it (a long account is not replayed per conflict); a later one reads from the start.
        superseded = attempt === 1 ? folded : undefined;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  /** The current state of a stream, folded from the cache's revision onwards. */
  load<C, E extends { type: string }, S>(streamId: string, decider: Decider<C, E, S>): Promise<Folded<S>> {
    return this.catchUp(streamId, decider);
  }

  /** Folds what the stream holds after `from` (the cached entry, else `start`, else nothing) onto it. */
  private async catchUp<C, E extends { type: string }, S>(streamId: string, decider: Decider<C, E, S>, start?: Folded<S>): Promise<Folded<S>> {
    const from = (this.cache.get(streamId) as Folded<S> | undefined) ?? start;
    let { state, revision } = from ?? { state: decider.initialState, revision: null };
    const recent = new Map(from?.recent);
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

  /**
   * The store found these exact ids further back in the stream ('duplicate'): an earlier run
   * applied this very group, perhaps beyond the commands the cache remembers. Each command answers
   * the events the stream recorded for it where they are recent enough to be recognised (a retry
   * may carry different data under the same id: the first one stands), else what was decided; the
   * state is the stream's.
   */
  private async appliedElsewhere<C, E extends { type: string }, S>(streamId: string, decider: Decider<C, E, S>, submissions: Submission<C>[], outcomes: Outcome<E, S>[]) {
    this.cache.delete(streamId);
    const { state, revision, recent } = await this.load(streamId, decider);
    return outcomes.map((o, i) => {
      if (!o.ok) return o;
      const { commandId } = submissions[i];
      const recorded = commandId === undefined ? undefined : (recent.get(commandId) as E[] | undefined);
      return { ok: true as const, result: { events: recorded ?? o.result.events, state, revision } };
    });
  }

  /**
   * The last state this process folded or decided for the stream, without a read; undefined when
   * not cached. It may be behind the store (another process wrote since): callers use it only where
   * a state can only move forward and an older one is still a right answer to their question.
   */
  peek<S>(streamId: string): S | undefined {
    return (this.cache.get(streamId) as Folded<S> | undefined)?.state;
  }

  private cached<S>(streamId: string): Folded<S> | undefined {
    const cached = this.cache.get(streamId) as Folded<S> | undefined;
    return cached && { ...cached, recent: new Map(cached.recent) };
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

interface Plan<E, S> {
  outcomes: Outcome<E, S>[];
  events: EventData[];
  state: S;
  recent: Folded<S>['recent'];
}

/**
 * Decides a group on a folded state, pure: a command already applied (in the stream or earlier
 * in this group) answers its recorded events; a refused one records its error and changes nothing.
 */
function decideAll<C, E extends { type: string; data: unknown }, S>(decider: Decider<C, E, S>, folded: Folded<S>, submissions: Submission<C>[]): Plan<E, S> {
  let { state } = folded;
  let revision = folded.revision;
  const recent = new Map(folded.recent);
  const inGroup = new Map<string, E[]>();
  const events: EventData[] = [];
  const outcomes = submissions.map(({ command, commandId, metadata }): Outcome<E, S> => {
    const replayed = commandId === undefined ? undefined : (inGroup.get(commandId) ?? recent.get(commandId));
    if (replayed) return { ok: true, result: { events: replayed as E[], state, revision } };
    let decided: E[];
    try {
      decided = decider.decide(command, state);
    } catch (error) {
      return { ok: false, error };
    }
    state = decided.reduce(decider.evolve, state);
    if (decided.length) revision = (revision ?? -1n) + BigInt(decided.length);
    for (const [i, e] of decided.entries()) {
      const id = commandId === undefined ? randomUUID() : commandEventId(commandId, i);
      events.push({ id, type: e.type, data: e.data, metadata: commandId === undefined ? metadata : { ...metadata, commandId } });
    }
    if (commandId !== undefined) {
      inGroup.set(commandId, decided);
      if (decided.length) remember(recent, commandId, decided);
    }
    return { ok: true, result: { events: decided, state, revision } };
  });
  return { outcomes, events, state, recent };
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
