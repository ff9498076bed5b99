import { Body, Controller, HttpCode, Inject, Post, UnprocessableEntityException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '#eventstore';
import { checkBars, InvalidBarError, marketStreamId, type MarketBarsRecorded } from '#libs/market-data';
import { EVENT_STORE } from '#libs/platform';
import { AdminGuard } from '../auth/admin.guard.js';
import { RecordBarsDto } from './record-bars.dto.js';

@ApiTags('market-data')
@ApiBearerAuth()
@Controller('market-data')
export class MarketDataController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Price feeds append without reading the stream back: bars need no decision, only the invariants. */
  @Post('bars')
  @HttpCode(202)
  @UseGuards(AdminGuard)
  async recordBars(@Body() dto: RecordBarsDto) {
    const bars = dto.bars.map((b) => ({ ...b, time: new Date(b.time).toISOString() }));
    try {
      checkBars(bars);
    } catch (error) {
      if (error instanceof InvalidBarError) throw new UnprocessableEntityException({ code: error.code, message: error.message });
      throw error;
    }
    const data: MarketBarsRecorded['data'] = { symbol: dto.symbol, timeframe: dto.timeframe, bars, receivedAt: new Date().toISOString() };
    const result = await this.store.appendToStream(marketStreamId(dto.symbol), [{ id: randomUUID(), type: 'MarketBarsRecorded', data }]);
    return { symbol: dto.symbol, bars: bars.length, revision: result.nextExpectedRevision.toString() };
  }
}
