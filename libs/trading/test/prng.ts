/** The backtest's seeded PRNG (mulberry32): a property test that fails fails the same way every run. */
export { seededRandom as prng } from '#libs/backtest';

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
export const int = (random: () => number, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
