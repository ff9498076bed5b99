import { addId, emptyIdSet, hasId } from './id-set.js';

describe('IdSet', () => {
  it('adds without changing earlier versions', () => {
    const v0 = emptyIdSet();
    const v1 = addId(v0, 'a');
    const v2 = addId(v1, 'b');
    expect([hasId(v0, 'a'), hasId(v1, 'a'), hasId(v1, 'b'), hasId(v2, 'b')]).toEqual([false, true, false, true]);
    expect(addId(v2, 'a')).toBe(v2);
  });

  it('branches from an older version without leaking the other branch', () => {
    const v1 = addId(emptyIdSet(), 'a');
    const left = addId(v1, 'b');
    const right = addId(v1, 'c');
    expect([hasId(left, 'b'), hasId(left, 'c'), hasId(right, 'b'), hasId(right, 'c'), hasId(right, 'a')]).toEqual([true, false, false, true, true]);
    expect(hasId(addId(left, 'd'), 'c')).toBe(false);
  });
});
