// Test-only: builds the server's real gRPC read responses and feeds them through the client's own
// Subscription class, so the adapter is exercised against the client's real event conversion and
// its real 'caughtUp' emission, without a server.
import { PassThrough } from 'node:stream';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import { Subscription as ClientSubscriptionClass } from '@eventstore/db-client/dist/streams/utils/Subscription.js';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent.js';
import { createUUID } from '@eventstore/db-client/dist/utils/grpcUUID.js';
import { createStreamIdentifier } from '@eventstore/db-client/dist/utils/grpcStreamIdentifier.js';
import type { AllStreamResolvedEvent, Filter } from '@eventstore/db-client';

const { ReadResp } = streamsPb;
type ReadRespMessage = InstanceType<typeof ReadResp>;

export interface FixtureEvent {
  id: string;
  streamId: string;
  revision: bigint;
  type: string;
  position: bigint;
  data?: unknown;
}

export function eventResp(e: FixtureEvent): ReadRespMessage {
  const record = new ReadResp.ReadEvent.RecordedEvent()
    .setId(createUUID(e.id))
    .setStreamIdentifier(createStreamIdentifier(e.streamId))
    .setStreamRevision(e.revision.toString())
    .setCommitPosition(e.position.toString())
    .setPreparePosition(e.position.toString())
    .setData(Buffer.from(JSON.stringify(e.data ?? {})))
    .setCustomMetadata(Buffer.from('{}'));
  // "created" is in .NET ticks (100 ns) since the Unix epoch, as the server sends it.
  record.getMetadataMap().set('type', e.type).set('content-type', 'application/json').set('created', '17000000000000000');
  return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(record));
}

export const caughtUpResp = (): ReadRespMessage => new ReadResp().setCaughtUp(new ReadResp.CaughtUp());

export const checkpointResp = (position: bigint): ReadRespMessage =>
  new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(position.toString()).setPreparePosition(position.toString()));

/** The client's Subscription reading from a fake gRPC call we write responses into. */
export function fakeClientSubscription(checkpointReached?: Filter['checkpointReached']) {
  const grpc = Object.assign(new PassThrough({ objectMode: true }), { cancelled: false, cancel() { grpc.cancelled = true; grpc.end(); } });
  const subscription = new ClientSubscriptionClass<AllStreamResolvedEvent>(
    async () => grpc as never,
    (e) => convertGrpcEvent(e) as AllStreamResolvedEvent,
    {},
    checkpointReached,
  );
  return { grpc, subscription, send: (...resps: ReadRespMessage[]) => resps.forEach((r) => grpc.write(r)) };
}
