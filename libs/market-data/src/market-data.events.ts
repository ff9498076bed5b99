export const TIMEFRAMES = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/** One OHLCV bar; prices and volume as canonical decimal strings, time as ISO-8601 (bar open). */
export interface Bar {
  time: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/**
 * Prices are events too: fills and portfolio marks depend on them, so a replay must see the same
 * prices in the same order as the live run did.
 */
export interface MarketBarsRecorded {
  type: 'MarketBarsRecorded';
  data: { symbol: string; timeframe: Timeframe; bars: Bar[]; receivedAt: string };
}

export type MarketDataEvent = MarketBarsRecorded;

export const marketStreamId = (symbol: string): string => `market-${symbol}`;
