import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';

export const INTERVALS = { '1m': '1 minute', '5m': '5 minutes', '15m': '15 minutes', '1h': '1 hour', '4h': '4 hours', '1d': '1 day', '1w': '7 days' } as const;
type Interval = keyof typeof INTERVALS | 'raw';

export class PortfolioHistoryDto {
  @ApiPropertyOptional({ example: '2024-01-01T00:00:00Z' }) @IsOptional() @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2024-02-01T00:00:00Z' }) @IsOptional() @IsISO8601({ strict: true })
  to?: string;

  /** `raw` lists every snapshot (each fill, deposit and bar); the others keep the last one per interval. */
  @ApiPropertyOptional({ enum: ['raw', ...Object.keys(INTERVALS)], default: '1h' }) @IsOptional() @IsIn(['raw', ...Object.keys(INTERVALS)])
  interval: Interval = '1h';
}
