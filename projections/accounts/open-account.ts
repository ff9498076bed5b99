import { randomUUID } from 'node:crypto';
import type { CommandHandler } from '#eventstore';
import { accountDecider, accountStreamId, type AccountOpened, type AccountSettings } from '#libs/trading';
import { hashApiKey, newApiKey, recordIssuedKey, type IssuedKey } from '#projections/api-keys';
import type { DataSource } from 'typeorm';
import { recordAccountOpened } from './accounts.projection.js';

/**
 * Opening an account, shared by the API (POST /accounts) and the operator CLI (accounts:create): the
 * command, then the read-your-writes rows. It lives beside the read model it writes, not in apps,
 * because nothing may import from apps.
 */
export const DEFAULT_SETTINGS: AccountSettings = { allowShort: false, maxOrderNotional: null, maxPositionQuantity: {} };

export interface AccountToOpen {
  name: string;
  openingDeposit: string;
  settings?: Partial<AccountSettings>;
  at: string;
}

export interface OpenedAccount {
  accountId: string;
  /** Shown once to whoever opened the account; only its hash is kept. */
  apiKey: string;
  opened: AccountOpened['data'];
  issued: IssuedKey;
}

export async function openAccount(commands: Pick<CommandHandler, 'handle'>, request: AccountToOpen): Promise<OpenedAccount> {
  const accountId = randomUUID();
  const apiKey = newApiKey();
  const apiKeyHash = hashApiKey(apiKey);
  const settings: AccountSettings = {
    allowShort: request.settings?.allowShort ?? DEFAULT_SETTINGS.allowShort,
    maxOrderNotional: request.settings?.maxOrderNotional ?? DEFAULT_SETTINGS.maxOrderNotional,
    maxPositionQuantity: request.settings?.maxPositionQuantity ?? DEFAULT_SETTINGS.maxPositionQuantity,
  };
  const result = await commands.handle(
    accountStreamId(accountId),
    accountDecider,
    { type: 'OpenAccount', data: { accountId, name: request.name, openingDeposit: request.openingDeposit, settings, apiKeyHash, at: request.at } },
    { commandId: `open-account:${accountId}` },
  );
  const [event] = result.events as AccountOpened[];
  return { accountId, apiKey, opened: event.data, issued: { keyHash: apiKeyHash, accountId, revision: result.revision!, at: request.at } };
}

/**
 * Read-your-writes: the rows the projections will write anyway are written here too, right after
 * the append, so the key works and the account reads back on the very next request instead of
 * after the projection's lag. Both writes are idempotent upserts, so the order does not matter.
 */
export async function recordOpening(db: DataSource, account: OpenedAccount): Promise<void> {
  await db.transaction(async (tx) => {
    await recordAccountOpened(tx, account.opened);
    await recordIssuedKey(tx, account.issued);
  });
}
