import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ORDER_TYPES, TIMES_IN_FORCE, type OrderType, type Side, type TimeInForce } from '#libs/trading';
import { IsDecimalInput } from '../http/decimal.validator.js';
import { SYMBOL_PATTERN } from '../market-data/record-bars.dto.js';

export class PlaceOrderDto {
  /** The trader's idempotency key: the same key on the same account is the same order. */
  @ApiProperty({ example: 'bot-7-000123' }) @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'clientOrderId must be 1-64 letters, digits or . _ : -' })
  clientOrderId: string;

  @ApiProperty({ example: 'AAPL' }) @Matches(SYMBOL_PATTERN, { message: 'symbol must be 1-32 upper-case letters, digits or . _ : / -' })
  symbol: string;

  @ApiProperty({ enum: ['buy', 'sell'] }) @IsIn(['buy', 'sell'])
  side: Side;

  @ApiProperty({ enum: ORDER_TYPES }) @IsIn(ORDER_TYPES)
  type: OrderType;

  @ApiProperty({ example: '10' }) @IsDecimalInput({ positive: true })
  quantity: string;

  @ApiPropertyOptional({ example: '101.5' }) @IsOptional() @IsDecimalInput({ positive: true })
  limitPrice?: string;

  @ApiPropertyOptional({ example: '99' }) @IsOptional() @IsDecimalInput({ positive: true })
  stopPrice?: string;

  @ApiProperty({ enum: TIMES_IN_FORCE }) @IsIn(TIMES_IN_FORCE)
  timeInForce: TimeInForce;
}
