import type { Decider } from '#eventstore';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * given(events).when(command).then(events) / .thenThrows(ErrorClass, code): the whole contract of
 * a decider, stated as history in, decision out. Events are folded with the decider's own evolve,
 * so a test also proves the events it starts from are ones evolve understands.
 */
export function deciderSpec<C, E extends { type: string }, S>(decider: Decider<C, E, S>) {
  return {
    given(history: E[]) {
      const state = history.reduce(decider.evolve, decider.initialState);
      return {
        state,
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: E[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(errorClass: ErrorClass, code?: string): void {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(errorClass);
              if (code !== undefined) expect((thrown as { code?: string }).code).toBe(code);
            },
          };
        },
      };
    },
  };
}

/** The state after a history, for assertions on what evolve keeps. */
export function fold<C, E extends { type: string }, S>(decider: Decider<C, E, S>, history: E[]): S {
  return history.reduce(decider.evolve, decider.initialState);
}
