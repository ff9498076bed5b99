import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandHandler } from '#eventstore';
import { CLOCK } from '#libs/platform';
import { accountDecider, accountStreamId } from '#libs/trading';
import { openAccount, recordOpening } from '#projections/accounts';
import { DataSource } from 'typeorm';
import { AccountGuard } from '../auth/account.guard.js';
import { AdminGuard } from '../auth/admin.guard.js';
import { ApiKeys, hashApiKey, newApiKey } from '../auth/api-keys.js';
import { CurrentAccount } from '../auth/current-account.decorator.js';
import { JsonBodyGuard } from '../http/json-body.guard.js';
import { AccountView, ApiKeyView, OpenAccountDto, OpenedAccountView } from './account.dto.js';

@ApiTags('accounts')
@ApiBearerAuth()
@UseGuards(JsonBodyGuard)
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly commands: CommandHandler,
    private readonly keys: ApiKeys,
    private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  @Post()
  @UseGuards(AdminGuard)
  @ApiCreatedResponse({ type: OpenedAccountView })
  async open(@Body() dto: OpenAccountDto): Promise<OpenedAccountView> {
    const account = await openAccount(this.commands, { ...dto, at: this.clock().toISOString() });
    await recordOpening(this.db, account);
    return { accountId: account.accountId, apiKey: account.apiKey };
  }

  @Get('me')
  @UseGuards(AccountGuard)
  @ApiOkResponse({ type: AccountView })
  async me(@CurrentAccount() accountId: string): Promise<AccountView> {
    const [row] = await this.db.query(
      `select account_id, name, settings, cash::text, opened_at,
              (select coalesce(sum(r.cash), 0)::text from account_reservations r where r.account_id = a.account_id) as reserved
         from accounts a where account_id = $1`,
      [accountId],
    );
    if (!row) throw new NotFoundException({ code: 'ACCOUNT_NOT_FOUND', message: `account ${accountId} does not exist` });
    return { accountId, name: row.name, settings: row.settings, cash: row.cash, reserved: row.reserved, openedAt: row.opened_at.toISOString() };
  }

  /** The old key is revoked in the same request: a leaked key must stop working now, not after the projection's lag. */
  @Post('me/api-key/rotate')
  @HttpCode(200)
  @UseGuards(AccountGuard)
  @ApiOkResponse({ type: ApiKeyView })
  async rotate(@CurrentAccount() accountId: string): Promise<ApiKeyView> {
    const apiKey = newApiKey();
    const at = this.clock().toISOString();
    const keyHash = hashApiKey(apiKey);
    const result = await this.commands.handle(accountStreamId(accountId), accountDecider, { type: 'RotateApiKey', data: { accountId, apiKeyHash: keyHash, at } });
    await this.keys.issued({ keyHash, accountId, revision: result.revision!, at });
    return { apiKey };
  }
}
