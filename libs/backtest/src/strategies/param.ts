import type { Params } from '../params.js';

export function num(params: Params, name: string, fallback: number): number {
  const v = params[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new Error(`Parameter ${name} must be a number, got ${String(v)}`);
  return n;
}

export function bool(params: Params, name: string, fallback: boolean): boolean {
  const v = params[name];
  if (v === undefined) return fallback;
  return v === true || v === 'true' || v === 1;
}

export function period(params: Params, name: string, fallback: number): number {
  const n = Math.round(num(params, name, fallback));
  if (n < 1) throw new Error(`Parameter ${name} must be a period of at least 1 bar, got ${n}`);
  return n;
}
