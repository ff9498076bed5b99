import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SYMBOL_PATTERN } from '../market-data/record-bars.dto.js';

export const ORDER_STATUSES = ['open', 'pending', 'accepted', 'triggered', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired'] as const;

export class PageDto {
  /** nextCursor of the previous page. */
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,18}$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit = 50;

  @ApiPropertyOptional() @IsOptional() @Matches(SYMBOL_PATTERN, { message: 'symbol must be 1-32 upper-case letters, digits or . _ : / -' })
  symbol?: string;
}

export class ListOrdersDto extends PageDto {
  /** `open` = pending, accepted, triggered or partially filled. */
  @ApiPropertyOptional({ enum: ORDER_STATUSES }) @IsOptional() @IsIn(ORDER_STATUSES)
  status?: (typeof ORDER_STATUSES)[number];
}
