import { deciderSpec } from '../../trading/test/decider-test.js';
import { InvalidSignalError } from './errors.js';
import { signalDecider } from './signal.decider.js';
import { MAX_METADATA_BYTES, signalStreamId, type RecordSignal, type SignalData, type SignalEvent } from './signal.events.js';

const spec = deciderSpec(signalDecider);
const command = (over: Partial<RecordSignal['data']> = {}): RecordSignal => ({
  type: 'RecordSignal',
  data: {
    signalId: 's1', accountId: 'a1', symbol: 'BTCUSD', side: 'buy', strategy: 'sma-cross', strength: '0.75', price: '64000.50',
    time: '2024-03-01T14:30:00Z', metadata: { interval: '1h', fast: 10, tags: ['tv'] }, source: 'webhook', receivedAt: '2024-03-01T14:30:01.250Z', ...over,
  },
});
const recorded = (over: Partial<SignalData> = {}): SignalEvent => ({
  type: 'SignalRecorded',
  data: {
    signalId: 's1', accountId: 'a1', symbol: 'BTCUSD', side: 'buy', strategy: 'sma-cross', strength: '0.75', price: '64000.5',
    time: '2024-03-01T14:30:00.000Z', metadata: { interval: '1h', fast: 10, tags: ['tv'] }, source: 'webhook', receivedAt: '2024-03-01T14:30:01.250Z', ...over,
  },
});

describe('signal decider', () => {
  it('names its stream', () => expect(signalStreamId('s1')).toBe('signal-s1'));

  it('records a signal with canonical decimals and times', () => spec.given([]).when(command()).then([recorded()]));

  it('records a close without price or metadata', () =>
    spec.given([]).when(command({ side: 'close', price: undefined, metadata: undefined, strength: '1' }))
      .then([recorded({ side: 'close', price: null, metadata: {}, strength: '1' })]));

  it('recording the same id twice emits nothing, whatever the payload', () => {
    spec.given([recorded()]).when(command()).then([]);
    spec.given([recorded()]).when(command({ side: 'sell' })).then([]);
  });

  it.each([
    ['strength above 1', { strength: '1.01' }],
    ['strength as a float', { strength: 0.5 as never }],
    ['negative strength', { strength: '-0.1' }],
    ['zero price', { price: '0' }],
    ['price in exponent form', { price: '6.4e4' }],
    ['an unknown side', { side: 'hold' as never }],
    ['an unknown source', { source: 'email' as never }],
    ['a time without zone', { time: '2024-03-01T14:30:00' }],
    ['a nonsense time', { time: 'yesterday' }],
    ['an empty strategy', { strategy: ' ' }],
    ['metadata that is an array', { metadata: [] as never }],
    ['metadata over the size bound', { metadata: { blob: 'x'.repeat(MAX_METADATA_BYTES) } }],
    ['metadata nested too deep', { metadata: { a: { b: { c: { d: { e: { f: 1 } } } } } } }],
  ])('refuses %s', (_name, over) => spec.given([]).when(command(over)).thenThrows(InvalidSignalError, 'INVALID_SIGNAL'));

  it('refuses metadata that is not JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    spec.given([]).when(command({ metadata: cyclic as never })).thenThrows(InvalidSignalError, 'INVALID_SIGNAL');
  });

  it('stores only what JSON keeps', () => {
    const [event] = signalDecider.decide(command({ metadata: { at: new Date('2024-03-01T00:00:00Z') as never, skip: undefined as never } }), signalDecider.initialState);
    expect(event.data.metadata).toEqual({ at: '2024-03-01T00:00:00.000Z' });
  });
});
