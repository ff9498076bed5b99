import type { ParamSpec, Params } from './space.js';

// Standard global-optimisation test functions (minimised), used by the sampler tests and benchmark.
export interface TestFunction {
  space: ParamSpec[];
  minimum: number;
  fn(params: Params): number;
}

export const branin: TestFunction = {
  space: [
    { name: 'x1', type: 'float', low: -5, high: 10 },
    { name: 'x2', type: 'float', low: 0, high: 15 },
  ],
  minimum: 0.397887,
  fn(p) {
    const x1 = p.x1 as number, x2 = p.x2 as number;
    const b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

export const hartmann6: TestFunction = {
  space: Array.from({ length: 6 }, (_, i) => ({ name: `x${i}`, type: 'float' as const, low: 0, high: 1 })),
  minimum: -3.32237,
  fn(p) {
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H_A[i][j] * ((p[`x${j}`] as number) - H_P[i][j]) ** 2;
      sum += H_ALPHA[i] * Math.exp(-inner);
    }
    return -sum;
  },
};

export const testFunctions: Record<string, TestFunction> = { branin, hartmann6 };
