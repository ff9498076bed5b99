import type { OpenAccountState } from './account.events.js';
import { Decimal, dec, roundCash, sum, toDecimalString } from './money.js';

export interface PortfolioPosition {
  symbol: string;
  quantity: string;
  averageCost: string;
  costBasis: string;
  realizedPnl: string;
  /** null when no price is known for the symbol; the position is then marked at cost. */
  marketPrice: string | null;
  marketValue: string;
  unrealizedPnl: string;
}

export interface Portfolio {
  accountId: string;
  cash: string;
  reservedCash: string;
  buyingPower: string;
  positions: PortfolioPosition[];
  marketValue: string;
  realizedPnl: string;
  unrealizedPnl: string;
  equity: string;
  unpricedSymbols: string[];
}

/**
 * Marks the account to the latest prices. Market value is signed (shorts are negative), so
 * equity = cash + Σ market value holds for longs and shorts alike; unrealized PnL is market
 * value − cost basis, which already includes the capitalised opening fees. Closed positions stay
 * listed (quantity 0) because their realized PnL is part of the account's result.
 */
export function portfolioOf(account: OpenAccountState, latestPrices: Readonly<Record<string, string>>): Portfolio {
  const unpriced: string[] = [];
  const positions = Object.entries(account.positions)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([symbol, p]): PortfolioPosition & { value: Decimal; unrealized: Decimal } => {
      const price = latestPrices[symbol] ?? null;
      const quantity = dec(p.quantity);
      if (price === null && !quantity.isZero()) unpriced.push(symbol);
      const value = price === null ? dec(p.costBasis) : roundCash(quantity.times(price));
      const unrealized = value.minus(p.costBasis);
      return {
        symbol, quantity: p.quantity, averageCost: p.averageCost, costBasis: p.costBasis, realizedPnl: p.realizedPnl,
        marketPrice: price, marketValue: toDecimalString(value), unrealizedPnl: toDecimalString(unrealized), value, unrealized,
      };
    });
  const reserved = dec(account.reservedCash);
  const marketValue = sum(positions.map((p) => p.value));
  return {
    accountId: account.accountId,
    cash: account.cash,
    reservedCash: toDecimalString(reserved),
    buyingPower: toDecimalString(dec(account.cash).minus(reserved)),
    positions: positions.map(({ value: _v, unrealized: _u, ...position }) => position),
    marketValue: toDecimalString(marketValue),
    realizedPnl: toDecimalString(sum(positions.map((p) => dec(p.realizedPnl)))),
    unrealizedPnl: toDecimalString(sum(positions.map((p) => p.unrealized))),
    equity: toDecimalString(dec(account.cash).plus(marketValue)),
    unpricedSymbols: unpriced,
  };
}
