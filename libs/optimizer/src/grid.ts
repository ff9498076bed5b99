import { alignToStep, checkSpace, stepOf, type ParamSpec, type ParamValue, type Params } from './space.js';
import type { ParamConstraint, Sampler } from './types.js';

export interface GridOptions {
  /** explicit values per parameter, overriding the spec */
  values?: Record<string, readonly ParamValue[]>;
  /** points for a float parameter without a step (log-spaced when log) */
  floatPoints?: number;
  constraint?: ParamConstraint;
}

export function gridValues(p: ParamSpec, floatPoints = 10): ParamValue[] {
  if (p.type === 'categorical') return [...p.choices];
  const step = stepOf(p);
  if (step !== undefined) {
    const n = Math.floor((p.high - p.low) / step + 1e-9) + 1;
    return Array.from({ length: n }, (_, i) => alignToStep(p, p.low + i * step));
  }
  if (floatPoints < 2 || p.low === p.high) return [p.low];
  const [a, b] = p.log ? [Math.log(p.low), Math.log(p.high)] : [p.low, p.high];
  return Array.from({ length: floatPoints }, (_, i) => {
    const x = a + ((b - a) * i) / (floatPoints - 1);
    return p.log ? Math.exp(x) : x;
  });
}

// Cartesian product in lexicographic order (first parameter outermost), constraint applied up front
// so the trial budget is spent only on admissible points and trial numbers index the point list.
export class GridSampler implements Sampler {
  readonly points: Params[];

  constructor(space: readonly ParamSpec[], options: GridOptions = {}) {
    checkSpace(space);
    const axes = space.map((p) => options.values?.[p.name] ?? gridValues(p, options.floatPoints));
    const points: Params[] = [];
    const current: Params = {};
    const walk = (d: number): void => {
      if (d === space.length) {
        if (!options.constraint || options.constraint(current)) points.push({ ...current });
        return;
      }
      for (const v of axes[d]) {
        current[space[d].name] = v;
        walk(d + 1);
      }
    };
    walk(0);
    this.points = points;
  }

  get total(): number {
    return this.points.length;
  }

  ask(_history: unknown, numbers: readonly number[]): Params[] {
    return numbers.map((n) => {
      if (n >= this.points.length) throw new Error(`grid has only ${this.points.length} points`);
      return this.points[n];
    });
  }
}
