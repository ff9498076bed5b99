import type { ParamSpec } from './space.js';
import { alignToStep, stepOf } from './space.js';
import type { Rng } from './prng.js';
import { LOG_SQRT_2PI, logGaussMass, sampleTruncNorm } from './truncnorm.js';

// One-dimensional Parzen estimator, following optuna/samplers/_tpe/parzen_estimator.py
// (univariate mode, the TPESampler default): one truncated-Gaussian kernel per observation plus a
// prior kernel centred on the range with sigma = range, Optuna's bandwidth rule (distance to the
// farther neighbour, end points optional), the "magic clip" floor on sigma, and stepped/int
// parameters scored by the probability mass of their rounding cell rather than a density.
export interface ParzenOptions {
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
}

export interface Estimator {
  sample(rng: Rng): number; // internal representation (value, or choice index)
  logPdf(x: number): number;
}

export function buildEstimator(p: ParamSpec, obs: readonly number[], weights: readonly number[], o: ParzenOptions): Estimator {
  const w = weights.length === 0 ? [1] : [...weights, o.priorWeight];
  const total = w.reduce((s, v) => s + v, 0);
  const mix = w.map((v) => v / total);
  return p.type === 'categorical'
    ? categorical(p.choices.length, obs, mix, o.priorWeight)
    : numerical(p, obs, mix, o);
}

function categorical(nChoices: number, obs: readonly number[], mix: number[], priorWeight: number): Estimator {
  // The mixture of per-kernel categorical rows collapses into one categorical distribution.
  const probs = new Float64Array(nChoices).fill(1 / nChoices * mix[mix.length - 1]);
  const nKernels = obs.length + 1;
  const rowSum = nChoices * priorWeight / nKernels + 1;
  obs.forEach((x, k) => {
    for (let c = 0; c < nChoices; c++) probs[c] += mix[k] * (priorWeight / nKernels + (c === x ? 1 : 0)) / rowSum;
  });
  const logs = Array.from(probs, Math.log);
  return {
    sample(rng) {
      let u = rng();
      for (let c = 0; c < nChoices - 1; c++) if ((u -= probs[c]) < 0) return c;
      return nChoices - 1;
    },
    logPdf: (x) => logs[x],
  };
}

export function bandwidths(mus: readonly number[], lo: number, hi: number, o: ParzenOptions): number[] {
  const n = mus.length;
  const withPrior = [...mus, 0.5 * (lo + hi)];
  const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a] - withPrior[b] || a - b);
  const s = [lo, ...order.map((i) => withPrior[i]), hi];
  const sorted = order.map((_, j) => Math.max(s[j + 1] - s[j], s[j + 2] - s[j + 1]));
  if (!o.considerEndpoints && s.length >= 4) {
    sorted[0] = s[2] - s[1];
    sorted[sorted.length - 1] = s[s.length - 2] - s[s.length - 3];
  }
  const sigmas = new Array<number>(n + 1);
  order.forEach((i, j) => { sigmas[i] = sorted[j]; });
  const maxSigma = hi - lo;
  const minSigma = o.considerMagicClip ? (hi - lo) / Math.min(100, 1 + (n + 1)) : 1e-12;
  return sigmas.slice(0, n).map((v) => Math.min(Math.max(v, minSigma), maxSigma));
}

function numerical(p: Extract<ParamSpec, { low: number }>, obs: readonly number[], mix: number[], o: ParzenOptions): Estimator {
  const step = stepOf(p);
  const half = (step ?? 0) / 2;
  const t = p.log ? Math.log : (x: number) => x;
  const untransform = p.log ? Math.exp : (x: number) => x;
  const lo = t(p.low - half), hi = t(p.high + half);
  const mus = [...obs.map(t), 0.5 * (lo + hi)];
  const sigmas = [...bandwidths(mus.slice(0, -1), lo, hi, o), hi - lo];
  // Identical kernels merge into one with the summed weight: the same mixture, but an int parameter
  // observed 1,000 times has at most (high - low + 1) distinct kernels, which keeps TPE cheap late on.
  const merged = new Map<string, number>();
  const kernels: [number, number, number][] = [];
  mus.forEach((m, i) => {
    const key = `${m}:${sigmas[i]}`;
    const at = merged.get(key);
    if (at === undefined) { merged.set(key, kernels.length); kernels.push([m, sigmas[i], mix[i]]); }
    else kernels[at][2] += mix[i];
  });
  const K = kernels.length;
  const mu = Float64Array.from(kernels, (k) => k[0]), sg = Float64Array.from(kernels, (k) => k[1]);
  const cum = new Float64Array(K);
  // Per-kernel constant: log weight minus log of the kernel's mass inside the truncation bounds.
  const base = new Float64Array(K);
  let acc = 0;
  for (let k = 0; k < K; k++) {
    acc += kernels[k][2];
    cum[k] = acc;
    base[k] = Math.log(kernels[k][2]) - logGaussMass((lo - mu[k]) / sg[k], (hi - mu[k]) / sg[k]) - (step === undefined ? Math.log(sg[k]) + LOG_SQRT_2PI : 0);
  }
  // Stepped candidates repeat often (24 draws over a few cells), so their scores are memoised.
  const memo = new Map<number, number>();
  const terms = new Float64Array(K);
  const logSumExp = (): number => {
    let m = -Infinity;
    for (let k = 0; k < K; k++) if (terms[k] > m) m = terms[k];
    if (m === -Infinity) return m;
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(terms[k] - m);
    return m + Math.log(s);
  };
  return {
    sample(rng) {
      const u = rng() * acc;
      let k = 0;
      while (k < K - 1 && cum[k] <= u) k++;
      const x = untransform(sampleTruncNorm(rng(), mu[k], sg[k], lo, hi));
      return alignToStep(p, x);
    },
    logPdf(x) {
      if (step === undefined) {
        const tx = t(x);
        for (let k = 0; k < K; k++) { const z = (tx - mu[k]) / sg[k]; terms[k] = base[k] - 0.5 * z * z; }
        return logSumExp();
      }
      const known = memo.get(x);
      if (known !== undefined) return known;
      const a = t(x - half), b = t(x + half);
      for (let k = 0; k < K; k++) terms[k] = base[k] + logGaussMass((a - mu[k]) / sg[k], (b - mu[k]) / sg[k]);
      const v = logSumExp();
      memo.set(x, v);
      return v;
    },
  };
}
