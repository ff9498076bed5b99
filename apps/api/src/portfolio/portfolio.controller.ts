import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CommandHandler } from '#eventstore';
import { accountDecider, accountStreamId, AccountNotFoundError, portfolioOf, type OpenAccountState } from '#libs/trading';
import { AccountGuard } from '../auth/account.guard.js';
import { CurrentAccount } from '../auth/current-account.decorator.js';
import { PortfolioHistoryDto, INTERVALS } from './portfolio-history.dto.js';
import { PortfolioReadModel } from './portfolio.read-model.js';

@ApiTags('portfolio')
@ApiBearerAuth()
@UseGuards(AccountGuard)
@Controller('portfolio')
export class PortfolioController {
  constructor(private readonly db: DataSource, private readonly commands: CommandHandler, private readonly portfolios: PortfolioReadModel) {}

  /** The read model, marked with the domain's own portfolioOf so the arithmetic is the accounts'. */
  @Get()
  async portfolio(@CurrentAccount() accountId: string) {
    const { account, prices } = (await this.portfolios.portfolio(accountId)) ?? { account: await this.fromStream(accountId), prices: {} };
    const p = portfolioOf(account, prices);
    return {
      cash: p.cash, reservedCash: p.reservedCash, buyingPower: p.buyingPower, equity: p.equity,
      marketValue: p.marketValue, realizedPnl: p.realizedPnl, unrealizedPnl: p.unrealizedPnl,
      positions: p.positions.map(({ symbol, quantity, averageCost, realizedPnl, unrealizedPnl, marketValue, marketPrice }) =>
        ({ symbol, quantity, averageCost, realizedPnl, unrealizedPnl, marketValue, lastPrice: marketPrice })),
    };
  }

  /** The last snapshot in each interval between from and to (the whole day buckets by UTC midnight). */
  @Get('history')
  async history(@CurrentAccount() accountId: string, @Query() q: PortfolioHistoryDto) {
    const to = q.to ? new Date(q.to) : new Date('9999-12-31T00:00:00Z');
    const from = q.from ? new Date(q.from) : new Date(0);
    const rows: { time: Date; cash: string; marketValue: string; equity: string }[] = await this.db.query(
      `select distinct on (bucket) time, trim_scale(cash)::text as cash, trim_scale(market_value)::text as "marketValue", trim_scale(equity)::text as equity
         from (select *, ${q.interval === 'raw' ? 'time' : `date_bin($4::interval, time, timestamptz '2000-01-01T00:00:00Z')`} as bucket
                 from portfolio_snapshots where account_id = $1 and time >= $2 and time <= $3) s
        order by bucket, time desc
        limit 5000`,
      q.interval === 'raw' ? [accountId, from, to] : [accountId, from, to, INTERVALS[q.interval]],
    );
    return { interval: q.interval, points: rows.map((r) => ({ ...r, time: r.time.toISOString() })) };
  }

  /** A just-opened account may not have reached the read model yet; its stream has the same numbers. */
  private async fromStream(accountId: string): Promise<OpenAccountState> {
    const { state } = await this.commands.load(accountStreamId(accountId), accountDecider);
    if (state.status === 'none') throw new AccountNotFoundError(accountId);
    return state;
  }
}
