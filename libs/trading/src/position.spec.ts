import { prng, int, pick } from '../test/prng.js';
import type { PositionSnapshot } from './account.events.js';
import { dec, sum } from './money.js';
import { applyFill, FLAT_POSITION } from './position.js';

const fill = (p: PositionSnapshot, side: 'buy' | 'sell', q: string, price: string, fee: string) => applyFill(p, side, dec(q), dec(price), dec(fee));

describe('position accounting', () => {
  it('capitalises buy fees and realises sell fees, with non-terminating averages', () => {
    const bought = fill(FLAT_POSITION, 'buy', '3', '10', '0.01');
    expect(bought).toEqual({ cashDelta: '-30.01', realizedPnl: '0', position: { quantity: '3', costBasis: '30.01', averageCost: '10.00333333', realizedPnl: '0' } });
    const one = fill(bought.position, 'sell', '1', '11', '0');
    expect(one).toEqual({ cashDelta: '11', realizedPnl: '0.99666667', position: { quantity: '2', costBasis: '20.00666667', averageCost: '10.00333334', realizedPnl: '0.99666667' } });
    const closed = fill(one.position, 'sell', '2', '11', '0');
    // closing takes the whole remaining basis, so realized sums to exactly 33 − 30.01
    expect(closed.position).toEqual({ quantity: '0', costBasis: '0', averageCost: '0', realizedPnl: '2.99' });
  });

  it('flips a long through zero into a short, splitting the fee pro rata', () => {
    const long = fill(FLAT_POSITION, 'buy', '10', '100', '1').position;
    const flipped = fill(long, 'sell', '15', '110', '1.5');
    // closing 10: 1100 − 1 − 1001 = 98; opening short 5 at 110 net of 0.5 fee: basis −549.5
    expect(flipped).toEqual({ cashDelta: '1648.5', realizedPnl: '98', position: { quantity: '-5', costBasis: '-549.5', averageCost: '109.9', realizedPnl: '98' } });
    const covered = fill(flipped.position, 'buy', '5', '100', '0.5');
    expect(covered).toEqual({ cashDelta: '-500.5', realizedPnl: '49', position: { quantity: '0', costBasis: '0', averageCost: '0', realizedPnl: '147' } });
  });

  it('adds to a short at a new average', () => {
    const short = fill(FLAT_POSITION, 'sell', '2', '50', '0').position;
    expect(fill(short, 'sell', '2', '60', '0').position).toEqual({ quantity: '-4', costBasis: '-220', averageCost: '55', realizedPnl: '0' });
  });

  it('conserves cash: cash + cost basis − realized PnL equals deposits over any fill sequence (seeded)', () => {
    const random = prng(20240301);
    let position = FLAT_POSITION;
    const flows = [];
    for (let i = 0; i < 2000; i++) {
      const side = pick(random, ['buy', 'sell'] as const);
      const quantity = `${int(random, 1, 500)}.${int(random, 0, 999)}`;
      const price = `${int(random, 1, 300)}.${String(int(random, 0, 9999)).padStart(4, '0')}`;
      const fee = `0.${String(int(random, 0, 99999999)).padStart(8, '0')}`;
      const result = fill(position, side, quantity, price, fee);
      flows.push(dec(result.cashDelta));
      position = result.position;
      expect(sum(flows).plus(position.costBasis).minus(position.realizedPnl).toFixed()).toBe('0');
    }
  });
});
