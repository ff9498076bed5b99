// Truncated-normal helpers for the Parzen estimators (what Optuna gets from its _truncnorm.py).
// erfc uses the Numerical Recipes Chebyshev form (relative error < 1.2e-7 everywhere) because it
// yields log(erfc) directly, so far-tail masses stay finite instead of underflowing to log(0).
const SQRT1_2 = Math.SQRT1_2;
const LOG_HALF = Math.log(0.5);
export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

// log(erfc(z)) for z >= 0
function logErfcPos(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  return Math.log(t) - z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
}

export function ndtr(x: number): number {
  const z = x * SQRT1_2;
  return z < 0 ? 0.5 * Math.exp(logErfcPos(-z)) : 1 - 0.5 * Math.exp(logErfcPos(z));
}

export function logNdtr(x: number): number {
  const z = x * SQRT1_2;
  return z < 0 ? LOG_HALF + logErfcPos(-z) : Math.log1p(-0.5 * Math.exp(logErfcPos(z)));
}

// log of the standard normal mass in [a, b], accurate in both tails (mirrors Optuna's _log_gauss_mass).
export function logGaussMass(a: number, b: number): number {
  if (b - a < 1e-4) {
    // Narrow interval: the midpoint rule beats subtracting two nearly equal CDF values.
    const m = 0.5 * (a + b);
    return -0.5 * m * m - LOG_SQRT_2PI + Math.log(b - a);
  }
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

function logDiff(logP: number, logQ: number): number {
  return logP + Math.log1p(-Math.exp(logQ - logP));
}

// Acklam's inverse normal CDF (relative error 1.15e-9).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

export function ndtri(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < 0.02425 || p > 0.97575) {
    const q = Math.sqrt(-2 * Math.log(p < 0.5 ? p : 1 - p));
    const x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    return p < 0.5 ? x : -x;
  }
  const q = p - 0.5, r = q * q;
  return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

// Inverse-CDF draw from N(mu, sigma) truncated to [low, high]. The kernels' means always lie inside
// [low, high], so a <= 0 <= b and the linear-space CDF difference never underflows.
export function sampleTruncNorm(u: number, mu: number, sigma: number, low: number, high: number): number {
  const pa = ndtr((low - mu) / sigma), pb = ndtr((high - mu) / sigma);
  const x = mu + sigma * ndtri(pa + u * (pb - pa));
  return Math.min(Math.max(x, low), high);
}
