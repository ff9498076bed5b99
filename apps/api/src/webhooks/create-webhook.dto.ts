import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, ValidateIf, ValidateNested } from 'class-validator';
import { MAX_ALLOW_LIST, SIZING_MODES, WEBHOOK_ORDER_TYPES, WEBHOOK_TIMES_IN_FORCE, type Sizing, type WebhookOrderType, type WebhookTimeInForce } from '#libs/webhooks';
import { IsDecimalInput } from '../http/decimal.validator.js';

export class SizingDto {
  @ApiProperty({ enum: SIZING_MODES }) @IsIn(SIZING_MODES)
  mode: Sizing['mode'];

  /** fixed_quantity: the quantity an alert without its own trades. */
  @ApiPropertyOptional({ example: '10' }) @ValidateIf((s: SizingDto) => s.mode === 'fixed_quantity') @IsDecimalInput({ positive: true })
  quantity?: string;

  /** percent_of_equity: the share of equity an alert without its own trades, in (0, 100]. */
  @ApiPropertyOptional({ example: '5' }) @ValidateIf((s: SizingDto) => s.mode === 'percent_of_equity') @IsDecimalInput({ positive: true })
  percent?: string;
}

export class OrderDefaultsDto {
  @ApiPropertyOptional({ enum: WEBHOOK_ORDER_TYPES, default: 'market' }) @IsOptional() @IsIn(WEBHOOK_ORDER_TYPES)
  type: WebhookOrderType = 'market';

  @ApiPropertyOptional({ enum: WEBHOOK_TIMES_IN_FORCE, default: 'GTC' }) @IsOptional() @IsIn(WEBHOOK_TIMES_IN_FORCE)
  timeInForce: WebhookTimeInForce = 'GTC';
}

export class CreateWebhookDto {
  @ApiProperty({ example: 'sma-cross-1h' }) @IsString() @Length(1, 64)
  strategy: string;

  @ApiProperty({ type: SizingDto }) @ValidateNested() @Type(() => SizingDto)
  sizing: SizingDto;

  @ApiPropertyOptional({ type: OrderDefaultsDto }) @IsOptional() @ValidateNested() @Type(() => OrderDefaultsDto)
  orderDefaults: OrderDefaultsDto = new OrderDefaultsDto();

  /** TradingView sends from 52.89.214.238, 34.212.75.30, 54.218.53.128, 52.32.178.7. Empty = any address. */
  @ApiPropertyOptional({ example: ['52.89.214.238'] }) @IsOptional() @IsArray() @ArrayMaxSize(MAX_ALLOW_LIST) @IsString({ each: true })
  ipAllowList: string[] = [];
}
