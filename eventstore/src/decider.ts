/**
 * A decider is the pure heart of an aggregate: `decide` turns a command and the current state
 * into new events (or throws a named domain error), `evolve` folds one event into the state.
 * No I/O, no clocks, no random ids inside: time and ids arrive on the command.
 */
export interface Decider<Command, Event extends { type: string }, State> {
  initialState: State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/** A domain event as a decider emits it: a type and a JSON-serialisable payload. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}
