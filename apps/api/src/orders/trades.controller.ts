import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AccountGuard } from '../auth/account.guard.js';
import { CurrentAccount } from '../auth/current-account.decorator.js';
import { PageDto } from './list-orders.dto.js';
import { FILL_COLUMNS, fillFromRow, page } from './order-views.js';

@ApiTags('orders')
@ApiBearerAuth()
@UseGuards(AccountGuard)
@Controller('trades')
export class TradesController {
  constructor(private readonly db: DataSource) {}

  /** The account's fills, newest first. */
  @Get()
  async list(@CurrentAccount() accountId: string, @Query() q: PageDto) {
    const rows = await this.db.query(
      `select ${FILL_COLUMNS} from fills
        where account_id = $1 and ($2::text is null or symbol = $2) and ($3::bigint is null or seq < $3)
        order by seq desc limit $4`,
      [accountId, q.symbol ?? null, q.cursor ?? null, q.limit + 1],
    );
    const { items, nextCursor } = page(rows, q.limit, fillFromRow);
    return { trades: items, nextCursor };
  }
}
