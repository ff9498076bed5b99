/** A strategy's declared parameter space, consumed by the optimizer's samplers and grids. */
export type ParamSpec =
  | { name: string; type: 'int'; low: number; high: number; step?: number; log?: boolean }
  | { name: string; type: 'float'; low: number; high: number; step?: number; log?: boolean }
  | { name: string; type: 'categorical'; choices: readonly (string | number | boolean)[] };

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;
