import { KeyedMutex, type Decider, type DomainEvent } from '@app/shared-kernel';
import { handleCommand, type HandleOptions, type HandleResult } from './handle-command';
import type { LogPosition } from './log-position';

/** Where a writer believes the stream is: an exact revision, not created yet, or anywhere. */
export type ExpectedRevision = bigint | 'no_stream' | 'any';

/** What a writer may attach to an event; the store adds the event id and the recorded time. */
export interface EventMetadataInput {
  /** The request (or process) this event is part of; the same across everything it caused. */
  readonly correlationId?: string;
  /** The event or request that directly caused this one. */
  readonly causationId?: string;
  /** The caller's idempotency key of the request that produced this event. */
  readonly idempotencyKey?: string;
}

export interface EventMetadata extends EventMetadataInput {
  /** Unique id of this event (a UUID). */
  readonly eventId: string;
  /** When the store recorded the event, ISO 8601 UTC. */
  readonly recordedAt: string;
}

export interface NewEvent<E extends DomainEvent = DomainEvent> {
  readonly type: E['type'];
  readonly data: E['data'];
  readonly metadata?: EventMetadataInput;
  /** Supplied by the writer when it must be stable across retries; generated otherwise. */
  readonly eventId?: string;
}

export interface RecordedEvent<E extends DomainEvent = DomainEvent> {
  readonly streamId: string;
  /** 0 for a stream's first event. */
  readonly revision: bigint;
  readonly position: LogPosition;
  readonly type: E['type'];
  readonly data: E['data'];
  readonly metadata: EventMetadata;
}

export interface AppendResult {
  /** The revision of the last event written: the expected revision of the next append. */
  readonly nextExpectedRevision: bigint;
  /** The log position of the last event written. */
  readonly position: LogPosition;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the first event (forwards) or the last (backwards). */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: only events after this position. Defaults to the start of the log. */
  readonly after?: LogPosition;
  readonly maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive: deliver events after this position (a stored checkpoint). Defaults to the start. */
  readonly after?: LogPosition;
}

/**
 * A catch-up subscription: every event after the starting position in commit order, then
 * live appends as they are committed, until `close()`. Iterating pulls, so a slow consumer
 * slows the subscription instead of buffering without bound.
 */
export interface EventSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

/**
 * The port the domain writes through. Adapters: embedded (SQLite) and EventStoreDB.
 * Every behaviour is pinned down by the contract suite in `contract/`, run against both.
 *
 * System events of a store (EventStoreDB's `$`-prefixed types) never come through the port.
 */
export abstract class EventStore {
  /**
   * Appends all events or none. Fails with `WrongExpectedVersion` when the stream is not
   * where `expectedRevision` says. An empty list is refused: there is nothing to commit.
   */
  abstract appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;

  /** The stream's events in the asked direction; `[]` for a stream that does not exist. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Events of every stream in commit order. */
  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  abstract subscribeToAll(options?: SubscribeToAllOptions): EventSubscription;

  abstract close(): Promise<void>;

  private readonly commandsByStream = new KeyedMutex();

  /**
   * Runs one command against one stream: load, decide, append with the loaded revision,
   * retry on conflict, fail closed (see `handleCommand`). Commands on the same stream
   * queue up inside this process; other processes are kept out by the revision check.
   */
  handle<TCommand, TState, TEvent extends DomainEvent>(
    streamId: string,
    decider: Decider<TCommand, TState, TEvent>,
    command: TCommand,
    options?: HandleOptions,
  ): Promise<HandleResult<TState, TEvent>> {
    return this.commandsByStream.run(streamId, () =>
      handleCommand(this, streamId, decider, command, options),
    );
  }
}
