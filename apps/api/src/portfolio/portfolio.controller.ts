import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CommandHandler } from '#eventstore';
import { accountDecider, accountStreamId, AccountNotFoundError, portfolioOf, type OpenAccountState } from '#libs/trading';
import { AccountGuard } from '../auth/account.guard.js';
import { CurrentAccount } from '../auth/current-account.decorator.js';
import { PortfolioHistoryDto, INTERVALS } from './portfolio-history.dto.js';

interface Row { cash: string; reserved: string; symbol: string | null; quantity: string; costBasis: string; averageCost: string; realizedPnl: string; lastPrice: string | null }

@ApiTags('portfolio')
@ApiBearerAuth()
@UseGuards(AccountGuard)
@Controller('portfolio')
export class PortfolioController {
  constructor(private readonly db: DataSource, private readonly commands: CommandHandler) {}

  /** One indexed read (account, positions, latest prices), marked with the domain's own portfolioOf so the arithmetic is the accounts'. */
  @Get()
  async portfolio(@CurrentAccount() accountId: string) {
    const rows: Row[] = await this.db.query(
      `select a.cash::text as cash, a.reserved_cash::text as reserved, p.symbol, p.quantity::text as quantity, p.cost_basis::text as "costBasis",
              p.average_cost::text as "averageCost", p.realized_pnl::text as "realizedPnl", lp.price::text as "lastPrice"
         from portfolio_accounts a
         left join portfolio_positions p on p.account_id = a.account_id
         left join latest_prices lp on lp.symbol = p.symbol
        where a.account_id = $1`,
      [accountId],
    );
    const account = rows.length ? accountFromRows(accountId, rows) : await this.fromStream(accountId);
    const prices = Object.fromEntries(rows.filter((r) => r.symbol !== null && r.lastPrice !== null).map((r) => [r.symbol, r.lastPrice!]));
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

/** portfolioOf reads only cash, reservations and positions; the read model gives it the reserved total as one entry. */
function accountFromRows(accountId: string, rows: Row[]): OpenAccountState {
  const positions = Object.fromEntries(rows.filter((r) => r.symbol !== null).map((r) =>
    [r.symbol!, { quantity: r.quantity, costBasis: r.costBasis, averageCost: r.averageCost, realizedPnl: r.realizedPnl }]));
  const reservations = { total: { orderId: 'total', symbol: '', side: 'buy' as const, quantity: '0', price: '0', cash: rows[0].reserved } };
  return { accountId, cash: rows[0].cash, reservations, positions } as unknown as OpenAccountState;
}
