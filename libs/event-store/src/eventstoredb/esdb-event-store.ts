import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  convertToCommandError,
  excludeSystemEvents,
  isCommandError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type CommandError,
  type JSONType,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { systemClock, type Clock } from '@app/shared-kernel';
import { EventStoreUnavailable, WrongExpectedVersion } from '../errors';
import {
  EventStore,
  type AppendResult,
  type EventMetadata,
  type EventSubscription,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port';
import { compareLogPositions, type LogPosition } from '../log-position';

/*
 * Everything that knows `@eventstore/db-client` lives in this folder, so moving to its
 * successor `@kurrent/kurrentdb-client` (renamed options, same protocol) touches only here.
 */

export interface EsdbEventStoreOptions {
  /** e.g. `esdb://host:2113?tls=true`; see the client's connection string reference. */
  readonly connectionString: string;
  readonly clock?: Clock;
}

/** `$all` page size for `readAll`; the server streams each page, so this bounds one request. */
const READ_ALL_PAGE = 1000;

/** Position.End: what the server sends where it does not know an event's position. */
const NO_POSITION = (1n << 64n) - 1n;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The EventStoreDB adapter (gRPC, client v6). Data and metadata are JSON; the metadata holds
 * the writer's correlation, causation and idempotency key plus the event id and the time the
 * injected clock gave at append, exactly as the embedded adapter stores them.
 *
 * Positions come from the server: each event's `$all` position (commit, prepare). The server
 * reports it on stream reads for every event a gRPC append wrote (EventStoreDB 21.10 and
 * later); an event without one makes `readStream` fail rather than invent a position.
 *
 * System events never come through: `$`-typed events are skipped everywhere, and in `$all`
 * also every event of a `$`-prefixed stream (the standard projections' links, settings...).
 */
export class EsdbEventStore extends EventStore {
  private readonly client: EventStoreDBClient;
  private readonly clock: Clock;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private closed = false;

  constructor(options: EsdbEventStoreOptions) {
    super();
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.clock = options.clock ?? systemClock;
  }

  override async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error(`Append to ${streamId}: no events`);
    const recordedAt = this.clock.now().toISOString();
    const data = events.map((event) => {
      const eventId = event.eventId ?? randomUUID();
      // The server only takes UUIDs; refuse here instead of getting a vague error back.
      if (!UUID.test(eventId)) throw new TypeError(`Event id is not a UUID: ${JSON.stringify(eventId)}`);
      const metadata: EventMetadata = { ...event.metadata, eventId, recordedAt };
      return jsonEvent({ id: eventId, type: event.type, data: event.data as JSONType, metadata });
    });
    try {
      const result = await this.client.appendToStream(streamId, data, {
        expectedRevision: toExpectedRevision(options.expectedRevision),
      });
      const position = toLogPosition(result.position);
      if (!position)
        throw new EventStoreUnavailable(`Append to ${streamId}: the server returned no position`);
      return { nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (thrown) {
      const error = asClientError(thrown);
      if (isClientError(error) && error.type === ErrorType.WRONG_EXPECTED_VERSION) {
        throw new WrongExpectedVersion(streamId, options.expectedRevision, error.actualVersion);
      }
      throw unavailable(error, `Append to ${streamId}`);
    }
  }

  override async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { direction = 'forwards', fromRevision, maxCount } = options;
    assertCount(maxCount);
    if (maxCount === 0) return [];
    const backwards = direction === 'backwards';
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: fromRevision ?? (backwards ? END : START),
        ...(maxCount === undefined ? {} : { maxCount }),
      });
      return await collect(read, ({ event }) => {
        if (!event || event.type.startsWith('$')) return undefined;
        const position = toLogPosition(event.position);
        if (!position) {
          throw new EventStoreUnavailable(
            `Read ${streamId}: the server gave no position for revision ${event.revision}`,
          );
        }
        return toRecordedEvent(event, position);
      });
    } catch (thrown) {
      const error = asClientError(thrown);
      if (isClientError(error) && error.type === ErrorType.STREAM_NOT_FOUND) return [];
      throw unavailable(error, `Read ${streamId}`);
    }
  }

  override async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertCount(options.maxCount);
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const recorded: RecordedEvent[] = [];
    let cursor = startingAfter(options.after);
    while (recorded.length < limit) {
      // The server reads from a position inclusively: ask one more to drop the event at `after`.
      const pageSize = Math.min(READ_ALL_PAGE, limit - recorded.length) + (cursor ? 1 : 0);
      const page = await this.readAllPage(cursor, pageSize);
      for (const { event, position } of page) {
        if (cursor && compareLogPositions(position, cursor) <= 0) continue;
        cursor = position;
        if (isSystemEvent(event)) continue;
        recorded.push(toRecordedEvent(event, position));
        if (recorded.length === limit) break;
      }
      if (page.length < pageSize) break;
    }
    return recorded;
  }

  override subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    if (this.closed) throw new Error('The event store is closed');
    const after = startingAfter(options.after);
    const source = this.client.subscribeToAll({
      fromPosition: after ? { commit: after.commit, prepare: after.prepare } : START,
      // Filtered on the server by type; `$` streams holding other types are dropped here.
      filter: excludeSystemEvents(),
    });
    const subscription = new EsdbSubscription(source, after, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    return subscription;
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private async readAllPage(
    after: LogPosition | undefined,
    maxCount: number,
  ): Promise<{ event: EsdbRecordedEvent; position: LogPosition }[]> {
    try {
      const read = this.client.readAll({
        direction: FORWARDS,
        fromPosition: after ? { commit: after.commit, prepare: after.prepare } : START,
        maxCount,
      });
      return await collect(read, withPosition);
    } catch (error) {
      throw unavailable(error, 'Read $all');
    }
  }
}

/**
 * The client's catch-up subscription as an `EventSubscription`. Async iteration of the
 * client's stream pulls, so a slow consumer stops the gRPC stream (HTTP/2 flow control).
 * The cursor only moves forward: an event at or before it is never handed out again.
 */
class EsdbSubscription implements EventSubscription {
  private started = false;
  private closed = false;

  constructor(
    private readonly source: AllStreamSubscription,
    private readonly after: LogPosition | undefined,
    private readonly onClose: () => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('A subscription can be iterated once');
    this.started = true;
    return this.events();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    try {
      await this.source.unsubscribe();
    } catch {
      // The call never started or already failed: nothing left to cancel.
    }
    // Ends an iteration waiting for the next event (it sees `closed` and returns).
    this.source.destroy();
  }

  private async *events(): AsyncGenerator<RecordedEvent> {
    let cursor = this.after;
    let endedByServer = false;
    try {
      for await (const resolved of this.source) {
        if (this.closed) return;
        const { event, position } = withPosition(resolved);
        if (cursor && compareLogPositions(position, cursor) <= 0) continue;
        cursor = position;
        if (isSystemEvent(event)) continue;
        yield toRecordedEvent(event, position);
      }
      endedByServer = !this.closed;
    } catch (error) {
      if (this.closed) return;
      throw unavailable(error, 'Subscription to $all');
    } finally {
      // However the loop ends (break, return, error), the subscription ends on the server too.
      await this.close();
    }
    if (endedByServer) throw new EventStoreUnavailable('Subscription to $all: the server ended it');
  }
}

/** Drains a read; on failure cancels the gRPC call instead of leaving it open until `close()`. */
async function collect<T, R>(read: StreamingRead<T>, map: (item: T) => R | undefined): Promise<R[]> {
  const results: R[] = [];
  try {
    for await (const item of read) {
      const result = map(item);
      if (result !== undefined) results.push(result);
    }
    return results;
  } catch (error) {
    await read.cancel().catch(() => undefined);
    throw error;
  }
}

function toExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return expected;
}

/** Undefined for "from the start": no position, or the START_OF_LOG sentinel. */
function startingAfter(after: LogPosition | undefined): LogPosition | undefined {
  return after && after.commit >= 0n && after.prepare >= 0n ? after : undefined;
}

function toLogPosition(position: Position | undefined): LogPosition | undefined {
  if (!position || position.commit === NO_POSITION || position.prepare === NO_POSITION) return undefined;
  return { commit: position.commit, prepare: position.prepare };
}

function withPosition(resolved: AllStreamResolvedEvent): { event: EsdbRecordedEvent; position: LogPosition } {
  const event = resolved.event;
  const position = toLogPosition(event?.position);
  // `$all` always carries positions; without one the cursor could not move safely.
  if (!event || !position) throw new EventStoreUnavailable('$all returned an event without a position');
  return { event, position };
}

/** EventStoreDB's own events: `$`-prefixed types, and anything in a `$`-prefixed stream. */
function isSystemEvent(event: EsdbRecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** Events written by others keep working: missing metadata falls back to the server's. */
function toRecordedEvent(event: EsdbRecordedEvent, position: LogPosition): RecordedEvent {
  const stored = isPlainObject(event.metadata) ? event.metadata : {};
  const metadata = {
    ...stored,
    eventId: typeof stored.eventId === 'string' ? stored.eventId : event.id,
    recordedAt: typeof stored.recordedAt === 'string' ? stored.recordedAt : event.created.toISOString(),
  } as EventMetadata;
  return {
    streamId: event.streamId,
    revision: event.revision,
    position,
    type: event.type,
    data: event.data as object,
    metadata,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function assertCount(maxCount: number | undefined): void {
  if (maxCount !== undefined && !(Number.isSafeInteger(maxCount) && maxCount >= 0)) {
    throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  }
}

function isClientError(error: unknown): error is CommandError {
  return error instanceof Error && isCommandError(error);
}

/** Some paths of the client (e.g. its server-features probe) reject with raw gRPC errors. */
function asClientError(error: unknown): unknown {
  const isGrpcError =
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'number' &&
    'details' in error &&
    typeof error.details === 'string';
  return isGrpcError ? convertToCommandError(error) : error;
}

/**
 * What the port cannot express (unreachable server, deadline, not leader, access denied,
 * deleted stream...) becomes EventStoreUnavailable, with the client's error as the cause.
 * Our own errors and programming errors pass through unchanged.
 */
function unavailable(thrown: unknown, what: string): unknown {
  if (thrown instanceof EventStoreUnavailable || thrown instanceof WrongExpectedVersion) return thrown;
  const error = asClientError(thrown);
  if (!isClientError(error)) return thrown;
  return new EventStoreUnavailable(`${what}: ${error.type}: ${error.message}`, { cause: error });
}
