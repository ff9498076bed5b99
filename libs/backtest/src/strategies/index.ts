import type { StrategyDefinition } from '../strategy.js';
import { bollingerBreakout } from './bollinger-breakout.js';
import { macdCross } from './macd-cross.js';
import { rsiReversion } from './rsi-reversion.js';
import { smaCross } from './sma-cross.js';

export { bollingerBreakout, macdCross, rsiReversion, smaCross };
export { crossSignals } from './two-line-cross.js';

export const strategies: Record<string, StrategyDefinition> = {
  [smaCross.name]: smaCross,
  [rsiReversion.name]: rsiReversion,
  [bollingerBreakout.name]: bollingerBreakout,
  [macdCross.name]: macdCross,
};
