import { Body, ConflictException, Controller, Get, Header, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { CommandHandler } from '#eventstore';
import { CLOCK } from '#libs/platform';
import { signalDecider, signalStreamId } from '#libs/signals';
import { AccountGuard } from '../auth/account.guard.js';
import { CurrentAccount } from '../auth/current-account.decorator.js';
import { JsonBodyGuard } from '../http/json-body.guard.js';
import { ListSignalsQuery, RecordSignalDto, SignalPage, SignalView } from './signal.dto.js';
import { SignalsReadModel, viewOf } from './signals.read-model.js';

@ApiTags('signals')
@ApiBearerAuth()
@UseGuards(JsonBodyGuard, AccountGuard)
@Controller('signals')
export class SignalsController {
  constructor(private readonly commands: CommandHandler, private readonly signals: SignalsReadModel, @Inject(CLOCK) private readonly clock: () => Date) {}

  /** A retried POST with the same signalId answers with the signal first recorded and appends nothing. */
  @Post()
  @ApiCreatedResponse({ type: SignalView })
  async record(@CurrentAccount() accountId: string, @Body() { signalId = randomUUID(), ...signal }: RecordSignalDto): Promise<SignalView> {
    const data = { ...signal, signalId, accountId, source: 'api' as const, receivedAt: this.clock().toISOString() };
    const { state } = await this.commands.handle(signalStreamId(signalId), signalDecider, { type: 'RecordSignal', data }, { commandId: `record-signal:${signalId}`, expectNew: true });
    if (state.status !== 'recorded' || state.signal.accountId !== accountId) {
      throw new ConflictException({ code: 'SIGNAL_ID_TAKEN', message: `signalId ${signalId} is already used; choose another` });
    }
    return viewOf(state.signal);
  }

  /** The hot read path: the page arrives as JSON text from the read model and is sent as is. */
  @Get()
  @Header('content-type', 'application/json; charset=utf-8')
  @ApiOkResponse({ type: SignalPage })
  list(@CurrentAccount() accountId: string, @Query() query: ListSignalsQuery): Promise<string> {
    return this.signals.list(accountId, query);
  }

  /** Another account's signal is a 404, not a 403: ids must not reveal what exists. */
  @Get(':signalId')
  @ApiOkResponse({ type: SignalView })
  async get(@CurrentAccount() accountId: string, @Param('signalId') signalId: string): Promise<SignalView> {
    const signal = await this.signals.get(accountId, signalId);
    if (!signal) throw new NotFoundException({ code: 'SIGNAL_NOT_FOUND', message: `signal ${signalId} does not exist` });
    return signal;
  }
}
