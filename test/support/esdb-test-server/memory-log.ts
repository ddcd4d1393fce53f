/**
 * TEST DOUBLE of EventStoreDB's storage, for CI only: not a product, not durable.
 *
 * What it models, and where that comes from (EventStoreDB / KurrentDB sources):
 * - Positions are byte offsets in one transaction log. A gRPC append writes its events as
 *   self-committed prepare records (implicit transaction), so every event's `$all` position
 *   is (its own log position, its own log position): events of one append do NOT share a
 *   commit position (AllReader: `new CommitEventRecord(eventRecord, prepare.LogPosition)`).
 *   The append result is the last event's position (StorageChaser acks with the last
 *   prepare's LogPosition; WriteEvents returns it as both commit and prepare).
 * - Events committed by an explicit transaction (the old TCP API; they can still sit in a
 *   database today) share the commit record's position and differ by prepare position.
 *   `beginTransaction` writes that shape so readers are tested against it too.
 * - Stream reads report a position only for self-committed events (ResolvedEvent
 *   CalculatePosition); otherwise the server sends the "no position" sentinel (2^64-1).
 * - The expected-revision check and the idempotent-write rules of IndexWriter.CheckCommit.
 */
import { EventEmitter } from 'node:events';

export interface TfPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export function compareTfPositions(a: TfPosition, b: TfPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export interface ProposedEvent {
  /** Canonical lower-case UUID. */
  readonly eventId: string;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface StoredEvent extends ProposedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends them in `created`. */
  readonly createdTicks: bigint;
  /** Where the event sits in `$all`. */
  readonly position: TfPosition;
  /** Written by an implicit transaction (every gRPC append): stream reads can report its position. */
  readonly selfCommitted: boolean;
}

export type ExpectedVersion =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

export type AppendOutcome =
  | {
      readonly kind: 'success';
      /** Undefined when the stream still does not exist (an empty append). */
      readonly currentRevision: bigint | undefined;
      /** Undefined when nothing was written. */
      readonly position: TfPosition | undefined;
    }
  | { readonly kind: 'wrong_expected_version'; readonly currentRevision: bigint | undefined }
  | { readonly kind: 'maximum_append_size_exceeded'; readonly maxAppendSize: number };

/** EventStoreDB's default `MaxAppendSize`: 1 MiB per append. */
export const MAX_APPEND_SIZE = 1024 * 1024;

/** Log record sizes are an approximation of LogV2 records; only their monotony matters. */
const PREPARE_RECORD_OVERHEAD = 96n;
const COMMIT_RECORD_SIZE = 64n;
const TICKS_PER_MILLISECOND = 10_000n;

const utf8Length = (text: string) => BigInt(Buffer.byteLength(text, 'utf8'));

export function eventSizeOnDisk(event: ProposedEvent): number {
  return event.data.length + event.metadata.length + Buffer.byteLength(event.type, 'utf8');
}

export interface ExplicitTransaction {
  write(events: readonly ProposedEvent[]): void;
  /** Commits everything written so far at the next log position; revisions follow the stream's end. */
  commit(): void;
}

export class MemoryLog {
  /** `$all` in commit order (sorted by commit, then prepare position). */
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  /**
   * The server's committed-event cache used by idempotency checks with `any`. The real one
   * is a bounded LRU lost on restart; this one keeps everything.
   */
  private readonly eventIds = new Map<string, { streamId: string; revision: bigint }>();
  private nextLogPosition = 0n;
  private readonly appended = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly options: {
      readonly now?: () => Date;
      /** Called after every commit, with the events it made visible. */
      readonly onCommit?: (events: readonly StoredEvent[]) => void;
    } = {},
  ) {}

  /** The position of the last event in `$all`, undefined while the log is empty. */
  lastPosition(): TfPosition | undefined {
    return this.all.at(-1)?.position;
  }

  append(streamId: string, expected: ExpectedVersion, events: readonly ProposedEvent[]): AppendOutcome {
    const size = events.reduce((sum, event) => sum + eventSizeOnDisk(event), 0);
    if (size > MAX_APPEND_SIZE)
      return { kind: 'maximum_append_size_exceeded', maxAppendSize: MAX_APPEND_SIZE };

    const stream = this.streams.get(streamId) ?? [];
    const current = BigInt(stream.length) - 1n; // -1: no stream
    const currentRevision = current < 0n ? undefined : current;
    const wrong = { kind: 'wrong_expected_version', currentRevision } as const;

    if (expected.kind === 'stream_exists' && current < 0n) return wrong;
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      const duplicate = this.findDuplicateByIds(streamId, events);
      if (duplicate === 'corrupted') return wrong;
      if (duplicate !== undefined) return this.idempotentSuccess(stream, duplicate);
    } else {
      const expectedNumber = expected.kind === 'no_stream' ? -1n : expected.revision;
      if (expectedNumber < current) {
        // A retry of a write that already happened succeeds without writing (CheckCommit).
        let revision = expectedNumber;
        for (const event of events) {
          revision += 1n;
          // A mismatch after the first event is "corrupted idempotency": the same answer.
          if (stream[Number(revision)]?.eventId !== event.eventId) return wrong;
        }
        if (events.length === 0) return wrong;
        return this.idempotentSuccess(stream, revision);
      }
      if (expectedNumber > current) return wrong;
    }

    if (events.length === 0) return { kind: 'success', currentRevision, position: undefined };
    const createdTicks = BigInt((this.options.now?.() ?? new Date()).getTime()) * TICKS_PER_MILLISECOND;
    const written = events.map((event, index): StoredEvent => {
      const logPosition = this.allocate(PREPARE_RECORD_OVERHEAD + recordPayload(streamId, event));
      return {
        ...event,
        streamId,
        revision: current + 1n + BigInt(index),
        createdTicks,
        position: { commit: logPosition, prepare: logPosition },
        selfCommitted: true,
      };
    });
    this.commitEvents(streamId, written);
    const last = written.at(-1)!;
    return { kind: 'success', currentRevision: last.revision, position: last.position };
  }

  /** Writes the shape of the TCP API's explicit transactions (see the file header). */
  beginTransaction(streamId: string): ExplicitTransaction {
    this.allocate(PREPARE_RECORD_OVERHEAD + utf8Length(streamId)); // the TransactionStart record
    const prepared: { event: ProposedEvent; preparePosition: bigint }[] = [];
    let committed = false;
    return {
      write: (events) => {
        if (committed) throw new Error('Transaction already committed');
        for (const event of events) {
          const preparePosition = this.allocate(PREPARE_RECORD_OVERHEAD + recordPayload(streamId, event));
          prepared.push({ event, preparePosition });
        }
      },
      commit: () => {
        if (committed) throw new Error('Transaction already committed');
        committed = true;
        const commitPosition = this.allocate(COMMIT_RECORD_SIZE);
        const first = BigInt(this.streams.get(streamId)?.length ?? 0);
        const createdTicks = BigInt((this.options.now?.() ?? new Date()).getTime()) * TICKS_PER_MILLISECOND;
        this.commitEvents(
          streamId,
          prepared.map(({ event, preparePosition }, index) => ({
            ...event,
            streamId,
            revision: first + BigInt(index),
            createdTicks,
            position: { commit: commitPosition, prepare: preparePosition },
            selfCommitted: false,
          })),
        );
      },
    };
  }

  /** `$all` forwards from a position; `inclusive` as reads are, exclusive as subscriptions are. */
  readAllForwards(from: TfPosition | undefined, inclusive: boolean, limit: number): StoredEvent[] {
    let index = from === undefined ? 0 : this.lowerBound(from);
    const atFrom = this.all[index];
    if (from !== undefined && !inclusive && atFrom && compareTfPositions(atFrom.position, from) === 0)
      index++;
    return this.all.slice(index, index + limit);
  }

  /** `$all` backwards: events strictly before the position (the server compares post-positions). */
  readAllBackwards(before: TfPosition | undefined, limit: number): StoredEvent[] {
    const end = before === undefined ? this.all.length : this.lowerBound(before);
    return this.all.slice(Math.max(0, end - limit), end).reverse();
  }

  /** Undefined when the stream does not exist. */
  readStream(
    streamId: string,
    direction: 'forwards' | 'backwards',
    from: bigint | 'start' | 'end',
    limit: number,
  ): StoredEvent[] | undefined {
    const stream = this.streams.get(streamId);
    if (!stream) return undefined;
    if (direction === 'forwards') {
      const start = from === 'start' ? 0 : from === 'end' ? stream.length : clampIndex(from, stream.length);
      return stream.slice(start, start + limit);
    }
    const last =
      from === 'end' ? stream.length - 1 : from === 'start' ? 0 : clampIndex(from, stream.length - 1);
    return stream.slice(Math.max(0, last - limit + 1), last + 1).reverse();
  }

  /** Resolves at the next commit, or when `signal` aborts. */
  waitForAppend(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        this.appended.off('appended', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.appended.on('appended', done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private commitEvents(streamId: string, events: StoredEvent[]): void {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    for (const event of events) {
      stream.push(event);
      this.all.push(event); // commit positions only grow, so `all` stays sorted
      this.eventIds.set(event.eventId, { streamId, revision: event.revision });
    }
    this.appended.emit('appended');
    this.options.onCommit?.(events);
  }

  /**
   * CheckCommit for `any`: if the first event id was already committed to this stream, the
   * write is a retry. Undefined: not a duplicate; 'corrupted': only partly a duplicate.
   */
  private findDuplicateByIds(
    streamId: string,
    events: readonly ProposedEvent[],
  ): bigint | 'corrupted' | undefined {
    let last: bigint | undefined;
    for (const [index, event] of events.entries()) {
      const known = this.eventIds.get(event.eventId);
      if (!known || known.streamId !== streamId) return index === 0 ? undefined : 'corrupted';
      last = known.revision;
    }
    return last;
  }

  private idempotentSuccess(stream: StoredEvent[], revision: bigint): AppendOutcome {
    const event = stream[Number(revision)]!;
    // The server answers with the log position of the duplicate's last event, as commit and prepare.
    return {
      kind: 'success',
      currentRevision: revision,
      position: { commit: event.position.prepare, prepare: event.position.prepare },
    };
  }

  private allocate(size: bigint): bigint {
    const position = this.nextLogPosition;
    this.nextLogPosition += size;
    return position;
  }

  /** Index of the first event at or after `position`. */
  private lowerBound(position: TfPosition): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareTfPositions(this.all[middle]!.position, position) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function recordPayload(streamId: string, event: ProposedEvent): bigint {
  return utf8Length(streamId) + utf8Length(event.type) + BigInt(event.data.length + event.metadata.length);
}

function clampIndex(revision: bigint, max: number): number {
  return revision > BigInt(max) ? max : Number(revision);
}
