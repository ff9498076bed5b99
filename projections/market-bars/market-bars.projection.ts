import type { Projection, RecordedEvent } from '#eventstore';
import { latestBar, type MarketBarsRecorded } from '#libs/market-data';
import type { EntityManager } from 'typeorm';

export const marketBarsProjection: Projection = {
  name: 'market-bars',
  handles: ['MarketBarsRecorded'],
  tables: ['market_bars', 'latest_prices'],
  async apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
    const { symbol, timeframe, bars } = (event as RecordedEvent<'MarketBarsRecorded', MarketBarsRecorded['data']>).data;
    // One statement per batch: a re-sent bar replaces the earlier one (vendors correct bars).
    await tx.query(
      `insert into market_bars (symbol, timeframe, time, open, high, low, close, volume)
       select $1, $2, b.time, b.open, b.high, b.low, b.close, b.volume
         from jsonb_to_recordset($3::jsonb) as b(time timestamptz, open numeric, high numeric, low numeric, close numeric, volume numeric)
       on conflict (symbol, timeframe, time) do update set
         open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume`,
      [symbol, timeframe, JSON.stringify(bars)],
    );
    const latest = latestBar(bars);
    await tx.query(
      `insert into latest_prices as p (symbol, price, time) values ($1, $2, $3)
       on conflict (symbol) do update set price = excluded.price, time = excluded.time
       where p.time <= excluded.time`,
      [symbol, latest.close, latest.time],
    );
  },
};
