import type { ParamValue } from './space.js';
import { better, type Direction, type Trial } from './types.js';

export interface Heatmap {
  x: { name: string; values: ParamValue[] };
  y: { name: string; values: ParamValue[] };
  /** z[iy][ix]: best objective over all other parameters at (x, y); null where nothing completed */
  z: (number | null)[][];
}

function axis(trials: readonly Trial[], name: string): ParamValue[] {
  const values = [...new Set(trials.map((t) => t.params[name]))];
  return values.every((v) => typeof v === 'number') ? (values as number[]).sort((a, b) => a - b) : values;
}

export function heatmap(trials: readonly Trial[], xName: string, yName: string, direction: Direction = 'maximize'): Heatmap {
  const xs = axis(trials, xName), ys = axis(trials, yName);
  const xi = new Map(xs.map((v, i) => [v, i])), yi = new Map(ys.map((v, i) => [v, i]));
  const z: (number | null)[][] = ys.map(() => xs.map(() => null));
  for (const t of trials) {
    if (t.state !== 'complete' || t.value === null) continue;
    const row = z[yi.get(t.params[yName]) as number];
    const ix = xi.get(t.params[xName]) as number;
    const cur = row[ix];
    if (cur === null || better(t.value, cur, direction)) row[ix] = t.value;
  }
  return { x: { name: xName, values: xs }, y: { name: yName, values: ys }, z };
}
