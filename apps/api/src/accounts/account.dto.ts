import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, registerDecorator, ValidateNested } from 'class-validator';
import { canonicalDecimal } from '#libs/market-data';
import { IsDecimalInput } from '../http/decimal.validator.js';
import { SYMBOL_PATTERN } from '../market-data/record-bars.dto.js';

const MAX_POSITION_LIMITS = 1000;

/** Symbol (or '*' for every other symbol) → largest absolute position, as positive decimal strings. */
function IsPositionLimits(): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isPositionLimits',
      target: target.constructor,
      propertyName: property as string,
      options: { message: `${String(property)} must map at most ${MAX_POSITION_LIMITS} symbols (or "*") to positive decimal quantities` },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return entries.length <= MAX_POSITION_LIMITS && entries.every(([symbol, limit]) =>
            (symbol === '*' || SYMBOL_PATTERN.test(symbol)) && typeof limit === 'string' && canonicalDecimal(limit) === limit && !/^-|^0(\.0+)?$/.test(limit));
        },
      },
    });
}

export class AccountSettingsDto {
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean()
  allowShort?: boolean;

  @ApiPropertyOptional({ example: '50000', nullable: true, description: 'largest quantity × price of one order; null for no limit' })
  @IsOptional() @IsDecimalInput({ positive: true })
  maxOrderNotional?: string | null;

  @ApiPropertyOptional({ example: { AAPL: '100', '*': '1000' }, description: 'largest absolute position per symbol; "*" for symbols not listed' })
  @IsOptional() @IsObject() @IsPositionLimits()
  maxPositionQuantity?: Record<string, string>;
}

export class OpenAccountDto {
  @ApiProperty({ example: 'Momentum desk' }) @IsString() @MinLength(1) @MaxLength(128) @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ example: '10000' }) @IsDecimalInput() @Matches(/^[^-]/, { message: 'openingDeposit must not be negative' })
  openingDeposit: string;

  @ApiPropertyOptional({ type: AccountSettingsDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => AccountSettingsDto)
  settings?: AccountSettingsDto;
}

export class TransferDto {
  @ApiProperty({ example: '250.50' }) @IsDecimalInput({ positive: true })
  amount: string;

  @ApiProperty({ format: 'uuid', description: 'chosen by the client: a retried transfer with the same id is recorded once' })
  @IsUUID()
  transferId: string;
}

export class OpenedAccountView {
  @ApiProperty() accountId: string;
  @ApiProperty({ description: 'shown once; only its SHA-256 is stored' }) apiKey: string;
}

export class ApiKeyView {
  @ApiProperty({ description: 'shown once; the previous key stops working' }) apiKey: string;
}

export class TransferView {
  @ApiProperty() transferId: string;
  @ApiProperty({ example: '250.5' }) amount: string;
  @ApiProperty({ example: '10250.5', description: 'cash after the transfer' }) cash: string;
}

export class AccountSettingsView {
  @ApiProperty() allowShort: boolean;
  @ApiProperty({ nullable: true, type: String }) maxOrderNotional: string | null;
  @ApiProperty({ example: { AAPL: '100' } }) maxPositionQuantity: Record<string, string>;
}

export class AccountView {
  @ApiProperty() accountId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: AccountSettingsView }) settings: AccountSettingsView;
  @ApiProperty({ example: '10000' }) cash: string;
  @ApiProperty({ example: '0', description: 'cash held for open orders' }) reserved: string;
  @ApiProperty() openedAt: string;
}
