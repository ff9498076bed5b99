import type { Decider } from '#eventstore';
import type { SignalCommand, SignalEvent, SignalState } from './signal.events.js';
import { checkRecordSignal } from './signal.rules.js';

function decide(command: SignalCommand, state: SignalState): SignalEvent[] {
  switch (command.type) {
    case 'RecordSignal':
      // Producers retry (webhooks redeliver): the first recording wins, repeats are no-ops, so one
      // alert never becomes two trades downstream.
      if (state.status === 'recorded') return [];
      return [{ type: 'SignalRecorded', data: checkRecordSignal(command) }];
    default: {
      const unknown: never = command.type;
      throw new Error(`unknown signal command ${String(unknown)}`);
    }
  }
}

function evolve(_state: SignalState, event: SignalEvent): SignalState {
  switch (event.type) {
    case 'SignalRecorded':
      return { status: 'recorded', signal: event.data };
    default: {
      const unknown: never = event.type;
      throw new Error(`unknown signal event ${String(unknown)}`);
    }
  }
}

export const signalDecider: Decider<SignalCommand, SignalEvent, SignalState> = { initialState: { status: 'none' }, decide, evolve };
