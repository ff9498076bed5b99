import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { SIGNAL_SIDES, SIGNAL_SOURCES, type SignalMetadata, type SignalSide, type SignalSource } from '#libs/signals';
import { IsDecimalInput } from '../http/decimal.validator.js';
import { SYMBOL_PATTERN } from '../market-data/record-bars.dto.js';

const ZONED_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/;
const ZONED_TIME_MESSAGE = 'must be an ISO-8601 time with a zone, e.g. 2024-03-01T14:30:00Z';
export const MAX_PAGE = 500;

export class RecordSignalDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'chosen by the producer so a retried POST records the signal once; generated when absent' })
  @IsOptional() @IsUUID()
  signalId?: string;

  @ApiProperty({ example: 'BTCUSD' }) @Matches(SYMBOL_PATTERN, { message: 'symbol must be 1-32 upper-case letters, digits or . _ : / -' })
  symbol: string;

  @ApiProperty({ enum: SIGNAL_SIDES }) @IsIn(SIGNAL_SIDES)
  side: SignalSide;

  @ApiProperty({ example: 'sma-cross' }) @IsString() @MinLength(1) @MaxLength(128) @Matches(/\S/, { message: 'strategy must not be blank' })
  strategy: string;

  @ApiProperty({ example: '0.75', description: 'decimal in [0, 1]' }) @IsDecimalInput()
  strength: string;

  @ApiPropertyOptional({ example: '64000.5', description: "the producer's reference price" }) @IsOptional() @IsDecimalInput({ positive: true })
  price?: string;

  @ApiProperty({ example: '2024-03-01T14:30:00Z', description: 'when the strategy fired' }) @Matches(ZONED_TIME, { message: `time ${ZONED_TIME_MESSAGE}` }) @IsISO8601({ strict: true })
  time: string;

  @ApiPropertyOptional({ example: { interval: '1h' }, description: 'free-form JSON object, at most 4 KiB and 5 levels deep' }) @IsOptional() @IsObject()
  metadata?: SignalMetadata;
}

export class ListSignalsQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(SYMBOL_PATTERN, { message: 'symbol must be 1-32 upper-case letters, digits or . _ : / -' })
  symbol?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128)
  strategy?: string;

  @ApiPropertyOptional({ enum: SIGNAL_SIDES }) @IsOptional() @IsIn(SIGNAL_SIDES)
  side?: SignalSide;

  @ApiPropertyOptional({ description: 'signals at or after this time' }) @IsOptional() @Matches(ZONED_TIME, { message: `from ${ZONED_TIME_MESSAGE}` }) @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'signals before this time' }) @IsOptional() @Matches(ZONED_TIME, { message: `to ${ZONED_TIME_MESSAGE}` }) @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor is not one this API issued' })
  cursor?: string;

  @ApiPropertyOptional({ default: 50, maximum: MAX_PAGE }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE)
  limit?: number;
}

export class SignalView {
  @ApiProperty() signalId: string;
  @ApiProperty() symbol: string;
  @ApiProperty({ enum: SIGNAL_SIDES }) side: SignalSide;
  @ApiProperty() strategy: string;
  @ApiProperty({ example: '0.75' }) strength: string;
  @ApiProperty({ nullable: true, type: String, example: '64000.5' }) price: string | null;
  @ApiProperty() time: string;
  @ApiProperty({ type: Object }) metadata: SignalMetadata;
  @ApiProperty({ enum: SIGNAL_SOURCES }) source: SignalSource;
  @ApiProperty() receivedAt: string;
}

export class SignalPage {
  @ApiProperty({ type: [SignalView] }) items: SignalView[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as cursor for the next (older) page; null on the last page' }) nextCursor: string | null;
}
