import { createRng } from './prng.js';
import { checkSpace, sampleUniform, type ParamSpec, type Params } from './space.js';
import type { ParamConstraint, Sampler, Trial } from './types.js';

export interface RandomOptions {
  seed: number;
  constraint?: ParamConstraint;
}

// Rejection attempts before a constrained draw gives up and returns the last (violating) sample,
// which the study then records as infeasible.
export const MAX_CONSTRAINT_ATTEMPTS = 100;

export function sampleWithConstraint(draw: () => Params, constraint?: ParamConstraint): Params {
  let params = draw();
  for (let i = 1; constraint && !constraint(params) && i < MAX_CONSTRAINT_ATTEMPTS; i++) params = draw();
  return params;
}

export class RandomSampler implements Sampler {
  constructor(private readonly space: readonly ParamSpec[], private readonly options: RandomOptions) {
    checkSpace(space);
  }

  ask(_history: readonly Trial[], numbers: readonly number[]): Params[] {
    return numbers.map((n) => {
      const rng = createRng(this.options.seed, n, 1);
      return sampleWithConstraint(
        () => Object.fromEntries(this.space.map((p) => [p.name, sampleUniform(p, rng)])),
        this.options.constraint,
      );
    });
  }
}
