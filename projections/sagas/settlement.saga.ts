import { inLanes, type CommandHandler, type Projection, type RecordedEvent } from '#eventstore';
import { settlementCommands, type OrderEvent } from '#libs/trading';
import type { EntityManager } from 'typeorm';
import { onAccount } from './account-lane.js';
import { stderrLog, unlessRefused, type Log } from './tolerate.js';

/**
 * Fills settle on the account, dead orders release what they hold; the command id is the triggering
 * event's. A batch settles different accounts at once and each account's events in log order: an
 * account's commands touch only its own stream, so accounts never wait on one another.
 */
export function settlementSaga({ commands, log = stderrLog }: { commands: CommandHandler; log?: Log }): Projection {
  const settle = async ({ event, due }: { event: RecordedEvent; due: ReturnType<typeof settlementCommands> }): Promise<void> => {
    for (const command of due) {
      await unlessRefused(log, `${command.type} for ${event.type} ${event.id}`, () => onAccount(commands, command, `settle:${event.id}`));
    }
  };
  async function applyBatch(events: RecordedEvent[], _tx: EntityManager): Promise<void> {
    const work = events.map((event) => ({ event, due: settlementCommands(event as unknown as OrderEvent) })).filter((w) => w.due.length);
    await inLanes(work, ({ due }) => due[0].data.accountId, settle);
  }
  return {
    name: 'order-settlement',
    handles: ['OrderPartiallyFilled', 'OrderFilled', 'OrderCancelled', 'OrderExpired', 'OrderRejected'],
    tables: [],
    applyBatch,
    apply: (event, tx) => applyBatch([event], tx),
  };
}
