import type { Projection, RecordedEvent } from '#eventstore';
import type { AccountEvent } from '#libs/trading';
import type { EntityManager } from 'typeorm';

export const accountsProjection: Projection = {
  name: 'accounts',
  handles: ['AccountOpened', 'AccountSettingsChanged', 'FundsDeposited', 'FundsWithdrawn', 'FillSettled'],
  tables: ['accounts'],
  async apply(recorded: RecordedEvent, tx: EntityManager): Promise<void> {
    const event = { type: recorded.type, data: recorded.data } as AccountEvent;
    switch (event.type) {
      case 'AccountOpened': {
        const { accountId, name, settings, openingDeposit, openedAt } = event.data;
        await tx.query(
          `insert into accounts (account_id, name, settings, cash, opened_at, updated_at) values ($1, $2, $3, $4, $5, $5)
           on conflict (account_id) do nothing`,
          [accountId, name, JSON.stringify(settings), openingDeposit, openedAt],
        );
        return;
      }
      case 'AccountSettingsChanged':
        await tx.query('update accounts set settings = $2, updated_at = $3 where account_id = $1', [event.data.accountId, JSON.stringify(event.data.settings), event.data.at]);
        return;
      // The events carry the cash the decider computed, so the read model never redoes the accounting.
      case 'FundsDeposited':
      case 'FundsWithdrawn':
      case 'FillSettled':
        await tx.query('update accounts set cash = $2, updated_at = $3 where account_id = $1', [event.data.accountId, event.data.cashAfter, event.data.at]);
        return;
      default:
        return;
    }
  },
};
