import type { CommandHandler } from '#eventstore';
import { accountDecider, accountStreamId, type AccountCommand, type AccountEvent, type AccountState } from '#libs/trading';

type Result = { events: AccountEvent[]; state: AccountState };

interface Queued {
  command: AccountCommand;
  commandId: string;
  settle: (outcome: { ok: true; result: Result } | { ok: false; error: unknown }) => void;
}

const lanes = new WeakMap<CommandHandler, Map<string, Queued[]>>();

/** Far below the store's per-append limit; bounds how long one group keeps a retry busy. */
const MAX_GROUP = 200;

/**
 * Commands on one account go out from this process one group at a time: those queued while a
 * group is in flight are decided together, on the state the earlier ones leave, and appended at
 * one expected revision. Correctness does not depend on it (the expected revision catches every
 * concurrent writer, across processes too), but a burst of orders on one account would otherwise
 * spend its retries on conflicts, or one read-decide-commit round trip per order.
 */
export function onAccount(commands: CommandHandler, command: AccountCommand, commandId: string): Promise<Result> {
  const key = command.data.accountId;
  const queues = lanes.get(commands) ?? new Map<string, Queued[]>();
  lanes.set(commands, queues);
  return new Promise((resolve, reject) => {
    const settle: Queued['settle'] = (outcome) => (outcome.ok ? resolve(outcome.result) : reject(outcome.error));
    const queue = queues.get(key);
    if (queue) return void queue.push({ command, commandId, settle });
    queues.set(key, [{ command, commandId, settle }]);
    void drain(commands, queues, key);
  });
}

async function drain(commands: CommandHandler, queues: Map<string, Queued[]>, key: string): Promise<void> {
  const queue = queues.get(key)!;
  await null; // commands issued in the same turn join the first group
  while (queue.length) {
    const group = queue.splice(0, MAX_GROUP);
    try {
      const outcomes = await commands.handleMany(accountStreamId(key), accountDecider, group, { maxAttempts: 20 });
      outcomes.forEach((outcome, i) => group[i]!.settle(outcome));
    } catch (error) {
      for (const queued of group) queued.settle({ ok: false, error });
    }
  }
  queues.delete(key);
}
