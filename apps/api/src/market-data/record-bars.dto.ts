import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, Matches, ValidateNested } from 'class-validator';
import { TIMEFRAMES, type Timeframe } from '#libs/market-data';
import { IsDecimalInput } from '../http/decimal.validator.js';

export const SYMBOL_PATTERN = /^[A-Z0-9][A-Z0-9._:/-]{0,31}$/;
export const MAX_BARS_PER_REQUEST = 5000;

export class BarDto {
  @ApiProperty({ example: '2024-01-02T00:00:00Z' }) @IsISO8601({ strict: true }) time: string;
  @ApiProperty({ example: '100.25' }) @IsDecimalInput({ positive: true }) open: string;
  @ApiProperty({ example: '101.5' }) @IsDecimalInput({ positive: true }) high: string;
  @ApiProperty({ example: '99.75' }) @IsDecimalInput({ positive: true }) low: string;
  @ApiProperty({ example: '101' }) @IsDecimalInput({ positive: true }) close: string;
  @ApiProperty({ example: '12000' }) @IsDecimalInput() volume: string;
}

export class RecordBarsDto {
  @ApiProperty({ example: 'AAPL' }) @Matches(SYMBOL_PATTERN, { message: 'symbol must be 1-32 upper-case letters, digits or . _ : / -' })
  symbol: string;

  @ApiProperty({ enum: TIMEFRAMES }) @IsIn(TIMEFRAMES)
  timeframe: Timeframe;

  @ApiProperty({ type: [BarDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BARS_PER_REQUEST) @ValidateNested({ each: true }) @Type(() => BarDto)
  bars: BarDto[];
}
