import { randomUUID } from 'node:crypto';
import type { EventData, EventFilter, EventStore, RecordedEvent, Subscription, SubscriptionMessage } from '../../src/index.js';

export interface ContractTarget {
  store: EventStore;
  /**
   * Opens a transaction that appends and stays open until commit/rollback: the late-commit case.
   * Adapters without client-visible transactions (EventStoreDB) leave it out.
   */
  openTransaction?(): Promise<{ append(streamId: string, events: EventData[]): Promise<void>; commit(): Promise<void>; rollback(): Promise<void> }>;
  close(): Promise<void>;
}

let streamCounter = 0;
/** Unique per test run, so suites can share one store without seeing each other's streams. */
export const newStream = (category = 'order') => `${category}-${randomUUID().slice(0, 8)}${++streamCounter}`;

export const event = (type = 'OrderPlaced', data: Record<string, unknown> = {}): EventData => ({ id: randomUUID(), type, data });

export const events = (n: number, type = 'OrderPlaced'): EventData[] => Array.from({ length: n }, (_, i) => event(type, { i }));

/** Collects subscription messages until `until` says stop or the timeout passes. */
export async function collect(
  subscription: Subscription,
  until: (messages: SubscriptionMessage[]) => boolean,
  timeoutMs = 5000,
): Promise<SubscriptionMessage[]> {
  const messages: SubscriptionMessage[] = [];
  const timer = setTimeout(() => void subscription.unsubscribe(), timeoutMs);
  try {
    for await (const message of subscription) {
      messages.push(message);
      if (until(messages)) break;
    }
  } finally {
    clearTimeout(timer);
    await subscription.unsubscribe();
  }
  return messages;
}

/** Starts iterating at once; `live` resolves at caught-up, `messages` once `count` events arrived. */
export function collectAfterCaughtUp(subscription: Subscription, count: number, timeoutMs = 5000) {
  let markLive!: () => void;
  const live = new Promise<void>((resolve) => (markLive = resolve));
  const messages = collect(subscription, (m) => {
    if (m[m.length - 1].kind === 'caughtUp') markLive();
    return eventsOf(m).length >= count;
  }, timeoutMs).finally(() => markLive());
  return { live, messages };
}

export const eventsOf = (messages: SubscriptionMessage[]): RecordedEvent[] =>
  messages.flatMap((m) => (m.kind === 'event' ? [m.event] : []));

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Read-all shows the settled log: an append becomes visible once every older transaction in the
 * cluster has finished, which under parallel test load (other suites' transactions) can take a
 * moment. Tests that read right after appending wait for that, with a deadline.
 */
export async function settled(store: EventStore, filter: EventFilter, count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await store.readAll({ filter });
    if (all.length >= count || Date.now() > deadline) return all;
    await delay(10);
  }
}
