import type { CommandHandler } from '#eventstore';
import { accountDecider, accountStreamId, type AccountCommand, type AccountEvent, type AccountState } from '#libs/trading';

const lanes = new WeakMap<CommandHandler, Map<string, Promise<unknown>>>();

/**
 * Commands on one account run one after another in this process. Correctness does not depend on
 * it (the expected revision catches every concurrent writer, across processes too), but a burst of
 * orders on one account would otherwise spend its retries on conflicts and fail with them.
 */
export function onAccount(
  commands: CommandHandler,
  command: AccountCommand,
  commandId: string,
): Promise<{ events: AccountEvent[]; state: AccountState }> {
  const key = command.data.accountId;
  const tails = lanes.get(commands) ?? new Map<string, Promise<unknown>>();
  lanes.set(commands, tails);
  const run = (tails.get(key) ?? Promise.resolve()).then(() =>
    commands.handle(accountStreamId(key), accountDecider, command, { commandId, maxAttempts: 20 }),
  );
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
