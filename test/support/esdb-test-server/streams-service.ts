/**
 * TEST DOUBLE of EventStoreDB for CI, not a product: the `event_store.client.streams.Streams`
 * gRPC service over the memory log, answering what the real server answers for the calls
 * the adapter makes (sources: EventStoreDB/KurrentDB `Services/Transport/Grpc/Streams.*.cs`
 * and the subscription enumerators). Not implemented (UNIMPLEMENTED): Delete, Tombstone,
 * stream subscriptions; link resolution (there are no links) and access control.
 */
import { randomUUID } from 'node:crypto';
import {
  status,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerWritableStream,
  type ServiceError,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { Empty as WellKnownEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { AllStreamPosition, Empty } from '@eventstore/db-client/generated/shared_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
import {
  compareTfPositions,
  type AppendOutcome,
  type ExpectedVersion,
  type MemoryLog,
  type ProposedEvent,
  type StoredEvent,
  type TfPosition,
} from './memory-log';
import {
  batchStatus,
  maximumAppendSizeExceeded,
  NO_POSITION,
  parseUuid,
  rpcException,
  streamIdentifier,
  streamName,
  toProposedEvent,
  toUuidMessage,
} from './wire';

/** Enumerator.DefaultReadBatchSize: the page a subscription reads, and its default search window. */
const READ_BATCH_SIZE = 32;

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

export function streamsService(log: MemoryLog): UntypedServiceImplementation {
  return {
    read: (call: ReadCall) => {
      read(log, call).catch((error: unknown) => call.emit('error', asServiceError(error)));
    },
    append: (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>) => {
      const requests: AppendReq[] = [];
      call.on('data', (request: AppendReq) => requests.push(request));
      call.on('error', () => undefined); // the client went away; nothing to answer
      call.on('end', () => {
        try {
          callback(null, append(log, requests));
        } catch (error) {
          callback(asServiceError(error));
        }
      });
    },
    batchAppend: (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => batchAppend(log, call),
  };
}

// ---------------------------------------------------------------------------------------------
// Append (client streaming: the options, then one message per event)

function append(log: MemoryLog, requests: AppendReq[]): AppendResp {
  const [first, ...rest] = requests;
  const options = first?.getOptions();
  if (!options) throw new Error('The first message of an append must be its options');
  const streamId = streamName(options.getStreamIdentifier());
  const expected = expectedFromAppend(options);
  const events = rest.map((request) => {
    const message = request.getProposedMessage();
    if (!message) throw new Error('Every message after the options must be a proposed message');
    return toProposedEvent(message);
  });
  const outcome = log.append(streamId, expected, events);
  const response = new AppendResp();
  switch (outcome.kind) {
    case 'success': {
      const success = new AppendResp.Success();
      if (outcome.currentRevision === undefined) success.setNoStream(new Empty());
      else success.setCurrentRevision(outcome.currentRevision.toString());
      if (outcome.position === undefined) success.setNoPosition(new Empty());
      else
        success.setPosition(
          new AppendResp.Position()
            .setCommitPosition(outcome.position.commit.toString())
            .setPreparePosition(outcome.position.prepare.toString()),
        );
      return response.setSuccess(success);
    }
    case 'wrong_expected_version':
      return response.setWrongExpectedVersion(appendWrongExpectedVersion(expected, outcome.currentRevision));
    case 'maximum_append_size_exceeded':
      throw maximumAppendSizeExceeded(outcome.maxAppendSize);
  }
}

function expectedFromAppend(options: AppendReq.Options): ExpectedVersion {
  switch (options.getExpectedStreamRevisionCase()) {
    case AppendReq.Options.ExpectedStreamRevisionCase.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    case AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    case AppendReq.Options.ExpectedStreamRevisionCase.ANY:
      return { kind: 'any' };
    default:
      throw rpcException(status.INVALID_ARGUMENT, 'Invalid argument: expected stream revision not set');
  }
}

/** Both the current fields and the 20.6.0 ones, as the server fills them. */
function appendWrongExpectedVersion(
  expected: ExpectedVersion,
  current: bigint | undefined,
): AppendResp.WrongExpectedVersion {
  const wrong = new AppendResp.WrongExpectedVersion();
  switch (expected.kind) {
    case 'any':
      wrong.setExpectedAny(new Empty()).setAny2060(new Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new Empty()).setStreamExists2060(new Empty());
      break;
    case 'no_stream':
      // The server also sets expected_revision_20_6_0 = 2^64-1, which this generated code
      // cannot hold (it maps that uint64 to a JS number); clients since 20.10 ignore it.
      wrong.setExpectedNoStream(new Empty());
      break;
    case 'revision':
      wrong
        .setExpectedRevision(expected.revision.toString())
        .setExpectedRevision2060(Number(expected.revision));
      break;
  }
  if (current === undefined) wrong.setCurrentNoStream(new Empty()).setNoStream2060(new Empty());
  else wrong.setCurrentRevision(current.toString()).setCurrentRevision2060(Number(current));
  return wrong;
}

// ---------------------------------------------------------------------------------------------
// BatchAppend (bidirectional: appends identified by correlation id, answered as they complete)

function batchAppend(log: MemoryLog, call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
  const pending = new Map<string, { streamId: string; expected: ExpectedVersion; events: ProposedEvent[] }>();
  call.on('error', () => undefined);
  call.on('end', () => call.end());
  call.on('data', (request: BatchAppendReq) => {
    const respond = (streamId: string | undefined, result: (response: BatchAppendResp) => void) => {
      const response = new BatchAppendResp();
      const correlationId = request.getCorrelationId();
      if (correlationId) response.setCorrelationId(correlationId);
      if (streamId !== undefined) response.setStreamIdentifier(streamIdentifier(streamId));
      result(response);
      call.write(response);
    };
    let key: string;
    try {
      key = parseUuid(request.getCorrelationId());
    } catch (error) {
      return respond(undefined, (response) => response.setError(batchStatus.badRequest(messageOf(error))));
    }
    const options = request.getOptions();
    if (options && !pending.has(key)) {
      if (!options.hasStreamIdentifier()) {
        return respond(undefined, (response) =>
          response.setError(batchStatus.badRequest('Required field StreamIdentifier not set.')),
        );
      }
      pending.set(key, {
        streamId: streamName(options.getStreamIdentifier()),
        expected: expectedFromBatch(options),
        events: [],
      });
    }
    const write = pending.get(key);
    if (!write) return;
    try {
      for (const message of request.getProposedMessagesList()) write.events.push(toProposedEvent(message));
    } catch (error) {
      pending.delete(key);
      return respond(write.streamId, (response) =>
        response.setError(batchStatus.badRequest(messageOf(error))),
      );
    }
    if (!request.getIsFinal()) return;
    pending.delete(key);
    const outcome = log.append(write.streamId, write.expected, write.events);
    respond(write.streamId, (response) => batchResult(response, outcome, write.expected));
  });
}

function expectedFromBatch(options: BatchAppendReq.Options): ExpectedVersion {
  switch (options.getExpectedStreamPositionCase()) {
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_POSITION:
      return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
    case BatchAppendReq.Options.ExpectedStreamPositionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return { kind: 'any' };
  }
}

function batchResult(response: BatchAppendResp, outcome: AppendOutcome, expected: ExpectedVersion): void {
  switch (outcome.kind) {
    case 'success': {
      const success = new BatchAppendResp.Success();
      if (outcome.currentRevision === undefined) success.setNoStream(new WellKnownEmpty());
      else success.setCurrentRevision(outcome.currentRevision.toString());
      if (outcome.position === undefined) success.setNoPosition(new WellKnownEmpty());
      else
        success.setPosition(
          new AllStreamPosition()
            .setCommitPosition(outcome.position.commit.toString())
            .setPreparePosition(outcome.position.prepare.toString()),
        );
      response.setSuccess(success);
      return;
    }
    case 'wrong_expected_version':
      response.setError(batchStatus.wrongExpectedVersion(outcome.currentRevision, expected));
      return;
    case 'maximum_append_size_exceeded':
      response.setError(batchStatus.maximumAppendSizeExceeded(outcome.maxAppendSize));
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Read (server streaming): stream reads, $all reads, $all subscriptions

async function read(log: MemoryLog, call: ReadCall): Promise<void> {
  const options = call.request.getOptions();
  const uuidOption = options?.getUuidOption();
  if (!options || !uuidOption) throw rpcException(status.INVALID_ARGUMENT, 'Required argument uuidOption');
  const structuredIds = uuidOption.hasStructured();
  const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;
  const filtered = options.getFilterOptionCase() === ReadReq.Options.FilterOptionCase.FILTER;
  const stream = options.getStream();
  const all = options.getAll();
  const countCase = options.getCountOptionCase();

  if (stream && countCase === ReadReq.Options.CountOptionCase.COUNT && !filtered) {
    return readStream(log, call, stream, forwards, countLimit(options.getCount()), structuredIds);
  }
  if (all && countCase === ReadReq.Options.CountOptionCase.COUNT) {
    const filter = filtered ? eventFilter(options.getFilter()!) : undefined;
    return readAll(log, call, all, forwards, countLimit(options.getCount()), filter, structuredIds);
  }
  if (all && countCase === ReadReq.Options.CountOptionCase.SUBSCRIPTION && forwards) {
    return subscribeToAll(log, call, all, filtered ? options.getFilter()! : undefined, structuredIds);
  }
  if (stream && countCase === ReadReq.Options.CountOptionCase.SUBSCRIPTION) {
    throw rpcException(status.UNIMPLEMENTED, 'Stream subscriptions are not part of this test double');
  }
  throw rpcException(status.INVALID_ARGUMENT, 'Invalid combination of read options');
}

async function readStream(
  log: MemoryLog,
  call: ReadCall,
  options: ReadReq.Options.StreamOptions,
  forwards: boolean,
  limit: number,
  structuredIds: boolean,
): Promise<void> {
  const streamId = streamName(options.getStreamIdentifier());
  const from = options.hasRevision() ? BigInt(options.getRevision()) : options.hasEnd() ? 'end' : 'start';
  const events = log.readStream(streamId, forwards ? 'forwards' : 'backwards', from, limit);
  const signal = abortOnCancel(call);
  if (events === undefined) {
    const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamId));
    await send(call, new ReadResp().setStreamNotFound(notFound), signal);
  } else {
    for (const event of events) {
      if (!(await send(call, eventResponse(event, structuredIds, 'stream'), signal))) return;
    }
  }
  call.end();
}

async function readAll(
  log: MemoryLog,
  call: ReadCall,
  options: ReadReq.Options.AllOptions,
  forwards: boolean,
  limit: number,
  filter: ((event: StoredEvent) => boolean) | undefined,
  structuredIds: boolean,
): Promise<void> {
  const signal = abortOnCancel(call);
  const position = options.getPosition();
  const from: TfPosition | 'start' | 'end' = position
    ? { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) }
    : options.hasEnd()
      ? 'end'
      : 'start';
  let sent = 0;
  // Reads page through the log like the server does; positions are inclusive forwards.
  let cursor: { after: TfPosition | undefined; inclusive: boolean } | undefined = forwards
    ? from === 'end'
      ? undefined
      : { after: from === 'start' ? undefined : from, inclusive: true }
    : from === 'start'
      ? undefined
      : { after: from === 'end' ? undefined : from, inclusive: false };
  while (cursor && sent < limit) {
    const page = forwards
      ? log.readAllForwards(cursor.after, cursor.inclusive, READ_BATCH_SIZE)
      : log.readAllBackwards(cursor.after, READ_BATCH_SIZE);
    if (page.length === 0) break;
    for (const event of page) {
      if (filter && !filter(event)) continue;
      if (!(await send(call, eventResponse(event, structuredIds, 'all'), signal))) return;
      if (++sent === limit) break;
    }
    cursor = { after: page.at(-1)!.position, inclusive: false };
  }
  call.end();
}

/**
 * A catch-up subscription to `$all`, shaped like Enumerator.AllSubscription(Filtered): a
 * confirmation, events strictly after the start position, a checkpoint every
 * `multiplier x window` considered events when filtered, checkpoint + caught-up on reaching
 * the end, then live events as they commit. Writes wait for the client (HTTP/2 flow control).
 */
async function subscribeToAll(
  log: MemoryLog,
  call: ReadCall,
  options: ReadReq.Options.AllOptions,
  filterOptions: ReadReq.Options.FilterOptions | undefined,
  structuredIds: boolean,
): Promise<void> {
  const signal = abortOnCancel(call);
  const position = options.getPosition();
  let cursor: TfPosition | undefined = position
    ? { commit: BigInt(position.getCommitPosition()), prepare: BigInt(position.getPreparePosition()) }
    : options.hasEnd()
      ? log.lastPosition()
      : undefined;
  const filter = filterOptions ? eventFilter(filterOptions) : undefined;
  const checkpointInterval = filterOptions ? checkpointIntervalOf(filterOptions) : Infinity;

  const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
  if (!(await send(call, new ReadResp().setConfirmation(confirmation), signal))) return;
  let considered = 0;
  let caughtUp = false;
  while (!signal.aborted) {
    const page = log.readAllForwards(cursor, false, READ_BATCH_SIZE);
    if (page.length === 0) {
      if (!caughtUp) {
        caughtUp = true;
        if (filter && cursor && !(await send(call, checkpoint(cursor), signal))) return;
        if (!(await send(call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp()), signal))) return;
        continue; // re-read: something may have committed while the client was slow
      }
      await log.waitForAppend(signal); // registered in the same tick as the empty read: no lost wake-up
      continue;
    }
    for (const event of page) {
      if (cursor && compareTfPositions(event.position, cursor) <= 0) throw new Error('Log out of order');
      cursor = event.position;
      if (
        (!filter || filter(event)) &&
        !(await send(call, eventResponse(event, structuredIds, 'all'), signal))
      ) {
        return;
      }
      if (++considered >= checkpointInterval) {
        considered = 0;
        if (!(await send(call, checkpoint(cursor), signal))) return;
      }
    }
  }
}

function checkpointIntervalOf(filter: ReadReq.Options.FilterOptions): number {
  const multiplier = filter.getCheckpointintervalmultiplier();
  if (multiplier === 0)
    throw rpcException(status.INVALID_ARGUMENT, 'checkpointIntervalMultiplier must not be 0');
  const window =
    filter.getWindowCase() === ReadReq.Options.FilterOptions.WindowCase.MAX
      ? filter.getMax()
      : READ_BATCH_SIZE;
  return multiplier * window;
}

function checkpoint(position: TfPosition): ReadResp {
  return new ReadResp().setCheckpoint(
    new ReadResp.Checkpoint()
      .setCommitPosition(position.commit.toString())
      .setPreparePosition(position.prepare.toString()),
  );
}

/** EventFilter.EventType / StreamName: a regex when one is given, else any of the prefixes. */
function eventFilter(options: ReadReq.Options.FilterOptions): (event: StoredEvent) => boolean {
  const onType = options.hasEventType();
  const expression = onType ? options.getEventType() : options.getStreamIdentifier();
  if (!expression) throw rpcException(status.INVALID_ARGUMENT, 'Filter without an expression');
  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  const pattern = regex ? new RegExp(regex) : undefined;
  const matches = pattern
    ? (value: string) => pattern.test(value)
    : (value: string) => prefixes.some((prefix) => value.startsWith(prefix));
  return (event) => matches(onType ? event.type : event.streamId);
}

/**
 * The server sends the event's `$all` position for `$all` reads, and for stream reads only
 * when the event committed itself; otherwise the Position.End sentinel and `no_position`.
 */
function eventResponse(event: StoredEvent, structuredIds: boolean, source: 'all' | 'stream'): ReadResp {
  const position = source === 'all' || event.selfCommitted ? event.position : undefined;
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(toUuidMessage(event.eventId, structuredIds))
    .setStreamIdentifier(streamIdentifier(event.streamId))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition((position?.commit ?? NO_POSITION).toString())
    .setPreparePosition((position?.prepare ?? NO_POSITION).toString())
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.isJson ? 'application/json' : 'application/octet-stream')
    .set('created', event.createdTicks.toString());
  const readEvent = new ReadResp.ReadEvent().setEvent(recorded);
  if (position) readEvent.setCommitPosition(position.commit.toString());
  else readEvent.setNoPosition(new Empty());
  return new ReadResp().setEvent(readEvent);
}

// ---------------------------------------------------------------------------------------------

function countLimit(count: string): number {
  const value = BigInt(count);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

function abortOnCancel(call: ReadCall): AbortSignal {
  const controller = new AbortController();
  if (call.cancelled) controller.abort();
  call.once('cancelled', () => controller.abort());
  return controller.signal;
}

/** Writes one message, waiting while the client is not reading; false once the call is gone. */
async function send(call: ReadCall, message: ReadResp, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (call.write(message)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      call.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
  return !signal.aborted;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Errors the server did not mean to send become UNKNOWN, as an unhandled exception does in ASP.NET gRPC. */
function asServiceError(error: unknown): ServiceError {
  if (error instanceof Error && 'code' in error && typeof error.code === 'number')
    return error as ServiceError;
  return rpcException(status.UNKNOWN, `Exception was thrown by handler. ${messageOf(error)}`);
}
