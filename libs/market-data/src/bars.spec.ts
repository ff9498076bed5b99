import { checkBars, InvalidBarError, latestBar } from './bars.js';
import { canonicalDecimal } from './decimal-input.js';
import type { Bar } from './market-data.events.js';

const bar = (over: Partial<Bar> = {}): Bar => ({ time: '2024-01-02T00:00:00.000Z', open: '100', high: '105', low: '99', close: '104', volume: '1000', ...over });

describe('checkBars', () => {
  it('accepts consistent bars', () => {
    expect(() => checkBars([bar(), bar({ time: '2024-01-03T00:00:00.000Z' })])).not.toThrow();
  });

  it.each([
    [{ high: '103' }, 'bar 0: high is below open, close or low'],
    [{ low: '101' }, 'bar 0: low is above open or close'],
    [{ open: '0' }, 'bar 0: prices must be positive'],
    [{ volume: '-1' }, 'bar 0: volume must not be negative'],
  ])('refuses %j', (over, message) => {
    expect(() => checkBars([bar(over)])).toThrow(new InvalidBarError(0, message.replace('bar 0: ', '')));
  });

  it('refuses two bars with the same time in one batch', () => {
    expect(() => checkBars([bar(), bar()])).toThrow('bar 1: duplicate time 2024-01-02T00:00:00.000Z in one batch');
  });

  it('finds the latest bar whatever the order', () => {
    expect(latestBar([bar({ time: '2024-01-05T00:00:00.000Z', close: '110' }), bar()]).close).toBe('110');
  });
});

describe('canonicalDecimal', () => {
  it.each([
    [100, '100'], ['100.50', '100.5'], [0.1, '0.1'], ['0.000001', '0.000001'], [' 42 ', '42'], [-3, '-3'],
  ])('reads %j as %s', (input, expected) => expect(canonicalDecimal(input)).toBe(expected));

  it.each([[NaN], [Infinity], ['1e400'], ['12abc'], [''], ['0x10'], [null], [true], [{}], ['1.00000000001'], ['123456789012345678901']])(
    'refuses %j',
    (input) => expect(canonicalDecimal(input)).toBeNull(),
  );
});
