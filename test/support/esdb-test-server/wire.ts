/**
 * TEST DOUBLE of EventStoreDB for CI: conversions between the client's protobuf messages
 * (the classes `@eventstore/db-client` ships in `generated/`) and the memory log.
 */
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { Empty as WellKnownEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import {
  BadRequest,
  MaximumAppendSizeExceeded,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion as WrongExpectedVersionDetails,
} from '@eventstore/db-client/generated/shared_pb';
import type { ExpectedVersion, ProposedEvent, TfPosition } from './memory-log';

/** Position.End: what the server sends where it does not know a position. */
export const NO_POSITION = (1n << 64n) - 1n;

const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Accepts what .NET's Guid.Parse accepts for the formats clients send; throws otherwise. */
export function parseUuid(uuid: UUID | undefined): string {
  if (!uuid) throw new TypeError('Missing UUID');
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const bytes = Buffer.alloc(16);
    bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
    bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
    return formatUuid(bytes.toString('hex'));
  }
  const text = uuid.getString().replace(/^\{(.*)\}$/, '$1');
  if (!UUID_PATTERN.test(text)) throw new TypeError(`Unrecognized Guid format: ${uuid.getString()}`);
  return formatUuid(text.replaceAll('-', '').toLowerCase());
}

export function toUuidMessage(id: string, structured: boolean): UUID {
  const uuid = new UUID();
  if (!structured) return uuid.setString(id);
  const bytes = Buffer.from(id.replaceAll('-', ''), 'hex');
  const value = new UUID.Structured()
    .setMostSignificantBits(bytes.readBigInt64BE(0).toString())
    .setLeastSignificantBits(bytes.readBigInt64BE(8).toString());
  return uuid.setStructured(value);
}

function formatUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function streamIdentifier(streamId: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(streamId, 'utf8'));
}

export function streamName(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw new TypeError('Missing stream identifier');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function positionOrUndefined(commit: string, prepare: string): TfPosition | undefined {
  const position = { commit: BigInt(commit), prepare: BigInt(prepare) };
  return position.commit === NO_POSITION && position.prepare === NO_POSITION ? undefined : position;
}

interface ProposedMessageLike {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

/** As the server reads a proposed message: `type` and `content-type` are required. */
export function toProposedEvent(message: ProposedMessageLike): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  if (type === undefined) throw requiredMetadataPropertyMissing('type');
  const contentType = metadata.get('content-type');
  if (contentType === undefined) throw requiredMetadataPropertyMissing('content-type');
  return {
    eventId: parseUuid(message.getId()),
    type,
    isJson: contentType === 'application/json',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

/** RpcExceptions of the server: a status plus an `exception` trailer the client maps to its errors. */
export function rpcException(
  code: status,
  details: string,
  trailers: Record<string, string> = {},
): ServiceError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

export function requiredMetadataPropertyMissing(property: string): ServiceError {
  return rpcException(status.INVALID_ARGUMENT, `Required Metadata Property '${property}' is missing`, {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': property,
  });
}

export function maximumAppendSizeExceeded(maxAppendSize: number): ServiceError {
  return rpcException(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(maxAppendSize),
  });
}

function packedStatus(
  code: Code,
  message: string,
  details: { serializeBinary(): Uint8Array },
  typeName: string,
): Status {
  const any = new Any();
  any.pack(details.serializeBinary(), typeName);
  return new Status().setCode(code).setMessage(message).setDetails(any);
}

/** google.rpc.Status the server puts in a BatchAppend response for a failed append. */
export const batchStatus = {
  wrongExpectedVersion(currentRevision: bigint | undefined, expected: ExpectedVersion): Status {
    const details = new WrongExpectedVersionDetails();
    if (currentRevision === undefined) details.setCurrentNoStream(new WellKnownEmpty());
    else details.setCurrentStreamRevision(currentRevision.toString());
    if (expected.kind === 'any') details.setExpectedAny(new WellKnownEmpty());
    else if (expected.kind === 'no_stream') details.setExpectedNoStream(new WellKnownEmpty());
    else if (expected.kind === 'stream_exists') details.setExpectedStreamExists(new WellKnownEmpty());
    else details.setExpectedStreamPosition(expected.revision.toString());
    return packedStatus(
      Code.ALREADY_EXISTS,
      'WrongExpectedVersion',
      details,
      'event_store.client.WrongExpectedVersion',
    );
  },
  maximumAppendSizeExceeded(maxAppendSize: number): Status {
    return packedStatus(
      Code.INVALID_ARGUMENT,
      'MaximumAppendSizeExceeded',
      new MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize),
      'event_store.client.MaximumAppendSizeExceeded',
    );
  },
  badRequest(message: string): Status {
    return packedStatus(
      Code.INVALID_ARGUMENT,
      message,
      new BadRequest().setMessage(message),
      'event_store.client.BadRequest',
    );
  },
};
