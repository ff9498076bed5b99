import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { OpenAccountState } from '#libs/trading';

interface Row { cash: string; reserved: string; symbol: string | null; quantity: string; costBasis: string; averageCost: string; realizedPnl: string; lastPrice: string | null }

// Named, so each pooled connection parses and plans it once: Get Portfolio is a hot read path.
const PORTFOLIO = {
  name: 'portfolio_of_account',
  text: `select a.cash::text as cash, a.reserved_cash::text as reserved, p.symbol, p.quantity::text as quantity, p.cost_basis::text as "costBasis",
                p.average_cost::text as "averageCost", p.realized_pnl::text as "realizedPnl", lp.price::text as "lastPrice"
           from portfolio_accounts a
           left join portfolio_positions p on p.account_id = a.account_id
           left join latest_prices lp on lp.symbol = p.symbol
          where a.account_id = $1`,
};

export interface PortfolioRead {
  account: OpenAccountState;
  prices: Record<string, string>;
}

/** One indexed read (account, positions, latest prices) through the pg pool, not TypeORM's query runner (no per-call wrapping, a prepared statement). */
@Injectable()
export class PortfolioReadModel {
  private readonly pool: Pool;

  constructor(db: DataSource) {
    this.pool = (db.driver as unknown as { master: Pool }).master;
  }

  /** Null until the projection has seen the account open. */
  async portfolio(accountId: string): Promise<PortfolioRead | null> {
    const { rows } = await this.pool.query<Row>({ ...PORTFOLIO, values: [accountId] });
    if (!rows.length) return null;
    const prices = Object.fromEntries(rows.filter((r) => r.symbol !== null && r.lastPrice !== null).map((r) => [r.symbol, r.lastPrice!]));
    return { account: accountFromRows(accountId, rows), prices };
  }
}

/** portfolioOf reads only cash, the reserved total and positions: the read model has all three. */
function accountFromRows(accountId: string, rows: Row[]): OpenAccountState {
  const positions = Object.fromEntries(rows.filter((r) => r.symbol !== null).map((r) =>
    [r.symbol!, { quantity: r.quantity, costBasis: r.costBasis, averageCost: r.averageCost, realizedPnl: r.realizedPnl }]));
  return { accountId, cash: rows[0].cash, reservedCash: rows[0].reserved, positions } as unknown as OpenAccountState;
}
