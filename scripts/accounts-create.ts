import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { CommandHandler } from '#eventstore';
import { openAccount, recordOpening } from '#projections/accounts';
import { runCli, withRuntime } from './cli-runtime.js';

const USAGE = 'usage: npm run accounts:create -- --name NAME --deposit AMOUNT [--allow-short] [--max-order-notional AMOUNT]';

/**
 * Opens an account from the operator's shell (same database settings as the app) and prints its
 * API key: the only time the key is shown, since only its hash is stored.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      deposit: { type: 'string', default: '0' },
      'allow-short': { type: 'boolean', default: false },
      'max-order-notional': { type: 'string' },
    },
  });
  if (!values.name) throw new Error(USAGE);
  await withRuntime(async ({ store, db }) => {
    const account = await openAccount(new CommandHandler(store, 0), {
      name: values.name!,
      openingDeposit: values.deposit,
      settings: { allowShort: values['allow-short'], maxOrderNotional: values['max-order-notional'] ?? null },
      at: new Date().toISOString(),
    });
    await recordOpening(db, account);
    console.log(`account ${account.accountId} opened for ${values.name} with ${account.opened.openingDeposit}`);
    console.log(`API key (shown once, store it now): ${account.apiKey}`);
  });
}

runCli(main);
