import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '@app/shared-kernel';
import { WrongExpectedVersion } from '../errors';
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
import type { LogPosition } from '../log-position';
import { AppendSignal } from './append-signal';
import { PollingSubscription } from './polling-subscription';

export interface SqliteEventStoreOptions {
  /** Database file, or `:memory:` for tests. */
  readonly file: string;
  readonly clock?: Clock;
  /**
   * How often a subscription looks for appends made by *other* processes on the same file.
   * Appends of this process wake subscriptions at once.
   */
  readonly pollIntervalMs?: number;
}

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

const SUBSCRIPTION_BATCH = 500;

/**
 * The embedded adapter: one SQLite file in WAL mode. Durability: `synchronous = FULL`, so an
 * append is acknowledged only after its transaction reached the disk (survives kill -9 and a
 * power cut). SQLite admits one writer at a time, so positions are assigned in commit order
 * and a reader never sees a gap that fills later.
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly appended = new AppendSignal();
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly statements: ReturnType<SqliteEventStore['prepare']>;

  constructor(options: SqliteEventStoreOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position  INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_id TEXT    NOT NULL,
        revision  INTEGER NOT NULL,
        type      TEXT    NOT NULL,
        data      TEXT    NOT NULL,
        metadata  TEXT    NOT NULL,
        UNIQUE (stream_id, revision)
      );
    `);
    this.statements = this.prepare();
  }

  private prepare() {
    return {
      lastRevision: this.db.prepare<[string], { revision: number }>(
        'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
      ),
      insert: this.db.prepare<[string, number, string, string, string]>(
        'INSERT INTO events (stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?)',
      ),
      forwards: this.db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?',
      ),
      backwards: this.db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
      ),
      all: this.db.prepare<[number, number], EventRow>(
        'SELECT * FROM events WHERE position > ? ORDER BY position ASC LIMIT ?',
      ),
    };
  }

  override async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error(`Append to ${streamId}: no events`);
    const recordedAt = this.clock.now().toISOString();
    const rows = events.map((event) => ({
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify({
        ...event.metadata,
        eventId: event.eventId ?? randomUUID(),
        recordedAt,
      } satisfies EventMetadata),
    }));
    const append = this.db.transaction(() => {
      const last = this.statements.lastRevision.get(streamId);
      const actual = last === undefined ? 'no_stream' : BigInt(last.revision);
      const expected = options.expectedRevision;
      if (expected !== 'any' && expected !== actual) {
        throw new WrongExpectedVersion(streamId, expected, actual);
      }
      let revision = last === undefined ? 0 : last.revision + 1;
      let position = 0;
      for (const row of rows) {
        const info = this.statements.insert.run(streamId, revision++, row.type, row.data, row.metadata);
        position = Number(info.lastInsertRowid);
      }
      return { nextExpectedRevision: BigInt(revision - 1), position: toLogPosition(position) };
    });
    // IMMEDIATE takes the write lock before reading the revision, so two processes cannot both pass the check.
    const result = append.immediate();
    this.appended.notify();
    return result;
  }

  override async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? -1;
    const rows =
      options.direction === 'backwards'
        ? this.statements.backwards.all(
            streamId,
            toSafeNumber(options.fromRevision, Number.MAX_SAFE_INTEGER),
            limit,
          )
        : this.statements.forwards.all(streamId, toSafeNumber(options.fromRevision, 0), limit);
    return rows.map(toRecordedEvent);
  }

  override async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options.after, options.maxCount ?? -1);
  }

  override subscribeToAll(options: SubscribeToAllOptions = {}): EventSubscription {
    const subscription = new PollingSubscription({
      after: options.after,
      readBatch: (after) => this.readAllSync(after, SUBSCRIPTION_BATCH),
      waitForAppend: (signal) => this.appended.wait(this.pollIntervalMs, signal),
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  override async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    if (this.db.open) this.db.close();
  }

  private readAllSync(after: LogPosition | undefined, limit: number): RecordedEvent[] {
    const afterPosition = after === undefined ? 0 : Number(after.commit);
    return this.statements.all.all(Math.max(afterPosition, 0), limit).map(toRecordedEvent);
  }
}

function toLogPosition(position: number): LogPosition {
  return { commit: BigInt(position), prepare: BigInt(position) };
}

function toSafeNumber(value: bigint | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: toLogPosition(row.position),
    type: row.type,
    data: JSON.parse(row.data) as object,
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}
