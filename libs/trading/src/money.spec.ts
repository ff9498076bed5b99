import { InvalidDecimalError, dec, parseDecimal, parseNonNegative, parsePositive, roundCash, roundCashUp, sum, toDecimalString } from './money.js';

describe('money', () => {
  it('adds 0.1 + 0.2 exactly', () => expect(toDecimalString(dec('0.1').plus(dec('0.2')))).toBe('0.3'));

  it('keeps large notionals exact (beyond decimal.js default 20 digits; checked against Python decimal)', () => {
    const notional = dec('123456789012345.12345678').times('98765.43210987');
    expect(toDecimalString(notional)).toBe('12193263113701316860.0885687431564186');
    expect(toDecimalString(roundCash(notional))).toBe('12193263113701316860.08856874');
    expect(toDecimalString(sum(Array.from({ length: 10 }, () => dec('0.1'))))).toBe('1');
  });

  it('rounds cash half-up to 8 decimals, and reservations up', () => {
    expect(toDecimalString(roundCash(dec('1.000000005')))).toBe('1.00000001');
    expect(toDecimalString(roundCash(dec('1.000000004999')))).toBe('1');
    expect(toDecimalString(roundCash(dec('-1.000000005')))).toBe('-1.00000001');
    expect(toDecimalString(roundCashUp(dec('1.000000000001')))).toBe('1.00000001');
  });

  it('writes canonical strings: no exponent, no trailing zeros, no negative zero', () => {
    expect(toDecimalString(dec('1e-10'))).toBe('0.0000000001');
    expect(toDecimalString(dec('100.500'))).toBe('100.5');
    expect(toDecimalString(dec('0').neg())).toBe('0');
    expect(toDecimalString(dec('1e25'))).toBe('10000000000000000000000000');
  });

  it.each([['12'], ['-0.5'], ['0'], ['99999999999999999999.999999999999999999']])('parses %s', (text) =>
    expect(toDecimalString(parseDecimal(text, 'x'))).toBe(dec(text).toFixed()));

  it.each([[0.3], ['1e5'], ['0x10'], [''], [' 1'], ['1.'], ['.5'], ['NaN'], ['Infinity'], ['1.0000000000000000001'], ['123456789012345678901'], [null]])(
    'refuses %j',
    (value) => expect(() => parseDecimal(value, 'price')).toThrow(InvalidDecimalError),
  );

  it('checks signs', () => {
    expect(() => parsePositive('0', 'quantity')).toThrow('quantity must be greater than 0 (got "0")');
    expect(() => parseNonNegative('-0.00000001', 'fee')).toThrow(InvalidDecimalError);
    expect(toDecimalString(parseNonNegative('0', 'fee'))).toBe('0');
  });
});
