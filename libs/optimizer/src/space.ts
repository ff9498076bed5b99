import type { ParamSpec, ParamValue, Params } from '#libs/backtest';
import { type Rng, uniform } from './prng.js';

export type { ParamSpec, ParamValue, Params };

// Numeric parameters live in an "internal" number space: the value itself for int/float, the choice
// index for categoricals. Samplers work there; trials carry the external value.
export function stepOf(p: ParamSpec): number | undefined {
  if (p.type === 'categorical') return undefined;
  return p.type === 'int' ? (p.step ?? 1) : p.step;
}

export function checkSpace(space: readonly ParamSpec[]): void {
  const names = new Set<string>();
  for (const p of space) {
    if (names.has(p.name)) throw new Error(`duplicate parameter ${p.name}`);
    names.add(p.name);
    if (p.type === 'categorical') {
      if (p.choices.length === 0) throw new Error(`${p.name}: no choices`);
      continue;
    }
    if (!(p.low <= p.high)) throw new Error(`${p.name}: low > high`);
    if (p.log && p.low <= 0) throw new Error(`${p.name}: log scale needs low > 0`);
    const step = stepOf(p);
    if (step !== undefined && !(step > 0)) throw new Error(`${p.name}: step must be > 0`);
    // Stepped log parameters are scored on [low - step/2, high + step/2] in log space.
    if (p.log && step !== undefined && p.low - step / 2 <= 0) throw new Error(`${p.name}: log scale needs low > step / 2`);
  }
}

export function alignToStep(p: ParamSpec, x: number): number {
  if (p.type === 'categorical') return x;
  const step = stepOf(p);
  if (step === undefined) return Math.min(Math.max(x, p.low), p.high);
  const k = Math.round((x - p.low) / step);
  const maxK = Math.floor((p.high - p.low) / step + 1e-9);
  const v = p.low + Math.min(Math.max(k, 0), maxK) * step;
  // Snap float steps to a decimal representation so 0.1 + 2*0.1 prints and compares as 0.3.
  return p.type === 'int' ? Math.round(v) : Number(v.toPrecision(12));
}

export function toExternal(p: ParamSpec, internal: number): ParamValue {
  if (p.type === 'categorical') return p.choices[internal];
  return alignToStep(p, internal);
}

export function toInternal(p: ParamSpec, v: ParamValue): number {
  if (p.type === 'categorical') {
    const i = p.choices.indexOf(v);
    if (i < 0) throw new Error(`${p.name}: ${String(v)} is not a choice`);
    return i;
  }
  return v as number;
}

// Uniform over the parameter's support, like Optuna's RandomSampler: a stepped range is widened by
// half a step each side before rounding so the end points are as likely as inner points.
export function sampleUniform(p: ParamSpec, rng: Rng): ParamValue {
  if (p.type === 'categorical') return p.choices[Math.min(p.choices.length - 1, Math.floor(rng() * p.choices.length))];
  const half = (stepOf(p) ?? 0) / 2;
  const lo = p.low - half, hi = p.high + half;
  const x = p.log ? Math.exp(uniform(rng, Math.log(lo), Math.log(hi))) : uniform(rng, lo, hi);
  return alignToStep(p, x);
}

export function paramKey(params: Params, space: readonly ParamSpec[]): string {
  return space.map((p) => String(params[p.name])).join('|');
}
