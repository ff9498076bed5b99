import type { DomainEvent } from '#eventstore';

export const signalStreamId = (signalId: string): string => `signal-${signalId}`;

export const SIGNAL_SIDES = ['buy', 'sell', 'close'] as const;
export type SignalSide = (typeof SIGNAL_SIDES)[number];
export const SIGNAL_SOURCES = ['api', 'webhook'] as const;
export type SignalSource = (typeof SIGNAL_SOURCES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type SignalMetadata = { [key: string]: JsonValue };

/** Metadata is free-form but bounded, so a webhook cannot bloat every stream and read model. */
export const MAX_METADATA_BYTES = 4096;
export const MAX_METADATA_DEPTH = 5;

/**
 * strength is a decimal string in [0, 1] (canonical, like every number in events), not a float:
 * events must replay bit-identically. price is the producer's reference price, if it sent one.
 * time is when the strategy fired; receivedAt when we took it in (both ISO-8601 UTC).
 */
export interface SignalData {
  signalId: string;
  accountId: string;
  symbol: string;
  side: SignalSide;
  strategy: string;
  strength: string;
  price: string | null;
  time: string;
  metadata: SignalMetadata;
  source: SignalSource;
  receivedAt: string;
}

export interface RecordSignal {
  type: 'RecordSignal';
  data: Omit<SignalData, 'price' | 'metadata'> & { price?: string | null; metadata?: SignalMetadata };
}
export type SignalCommand = RecordSignal;

export type SignalRecorded = DomainEvent<'SignalRecorded', SignalData>;
export type SignalEvent = SignalRecorded;

export type SignalState = { status: 'none' } | { status: 'recorded'; signal: SignalData };
