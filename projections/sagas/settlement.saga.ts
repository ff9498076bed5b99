import type { CommandHandler, Projection, RecordedEvent } from '#eventstore';
import { settlementCommands, type OrderEvent } from '#libs/trading';
import type { EntityManager } from 'typeorm';
import { onAccount } from './account-lane.js';
import { stderrLog, unlessRefused, type Log } from './tolerate.js';

/** Fills settle on the account, dead orders release what they hold; the command id is the triggering event's. */
export function settlementSaga({ commands, log = stderrLog }: { commands: CommandHandler; log?: Log }): Projection {
  return {
    name: 'order-settlement',
    handles: ['OrderPartiallyFilled', 'OrderFilled', 'OrderCancelled', 'OrderExpired', 'OrderRejected'],
    tables: [],
    async apply(event: RecordedEvent, _tx: EntityManager): Promise<void> {
      for (const command of settlementCommands(event as unknown as OrderEvent)) {
        await unlessRefused(log, `${command.type} for ${event.type} ${event.id}`, () => onAccount(commands, command, `settle:${event.id}`));
      }
    },
  };
}
