import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { canonicalDecimal } from '#libs/market-data';

/**
 * A price or quantity given as a JSON number or a decimal string; after validation the property
 * holds the canonical decimal string. NaN, Infinity, 1e400, exponent strings and over-long values
 * are refused.
 */
export function IsDecimalInput(options: { positive?: boolean } & ValidationOptions = {}): PropertyDecorator {
  return (target, property) => {
    Transform(({ value }) => canonicalDecimal(value) ?? value)(target, property);
    registerDecorator({
      name: 'isDecimalInput',
      target: target.constructor,
      propertyName: property as string,
      options: { message: `${String(property)} must be a decimal number${options.positive ? ' greater than 0' : ''} (at most 20 digits, 10 decimals)`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || canonicalDecimal(value) !== value) return false;
          return !options.positive || !/^-|^0(\.0+)?$/.test(value);
        },
      },
    });
  };
}
