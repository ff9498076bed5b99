import { Body, Controller, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CommandHandler } from '#eventstore';
import { CLOCK } from '#libs/platform';
import { accountDecider, accountStreamId, type FundsDeposited, type FundsWithdrawn } from '#libs/trading';
import { AccountGuard } from '../auth/account.guard.js';
import { CurrentAccount } from '../auth/current-account.decorator.js';
import { JsonBodyGuard } from '../http/json-body.guard.js';
import { TransferDto, TransferView } from './account.dto.js';

@ApiTags('accounts')
@ApiBearerAuth()
@UseGuards(JsonBodyGuard, AccountGuard)
@Controller('accounts/me')
export class TransfersController {
  constructor(private readonly commands: CommandHandler, @Inject(CLOCK) private readonly clock: () => Date) {}

  @Post('deposits')
  @ApiCreatedResponse({ type: TransferView })
  deposit(@CurrentAccount() accountId: string, @Body() dto: TransferDto): Promise<TransferView> {
    return this.transfer('DepositFunds', accountId, dto);
  }

  @Post('withdrawals')
  @ApiCreatedResponse({ type: TransferView })
  withdraw(@CurrentAccount() accountId: string, @Body() dto: TransferDto): Promise<TransferView> {
    return this.transfer('WithdrawFunds', accountId, dto);
  }

  /**
   * A retried transfer (same transferId) appends nothing and answers like the first one when the
   * handler still remembers it; long after, with the request's amount and the current cash.
   */
  private async transfer(type: 'DepositFunds' | 'WithdrawFunds', accountId: string, dto: TransferDto): Promise<TransferView> {
    const data = { accountId, transferId: dto.transferId, amount: dto.amount, at: this.clock().toISOString() };
    const result = await this.commands.handle(accountStreamId(accountId), accountDecider, { type, data }, { commandId: `${type}:${accountId}:${dto.transferId}` });
    const [event] = result.events as (FundsDeposited | FundsWithdrawn)[];
    const cash = event?.data.cashAfter ?? (result.state.status === 'open' ? result.state.cash : '0');
    return { transferId: dto.transferId, amount: event?.data.amount ?? dto.amount, cash };
  }
}
