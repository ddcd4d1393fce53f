import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type LoggerService,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { UserBalanceEvent } from '@app/balances';
import {
  PositionTracker,
  EventStore,
  formatLogPosition,
  parseLogPosition,
  READ_MODEL_DB,
  type EventSubscription,
  type LogPosition,
  type ReadModelDb,
  type RecordedEvent,
  type RunnerState,
} from '@app/event-store';
import { isBalanceStreamId, lifecycleOf, type RecordBalanceOutcome } from '../domain/transaction.commands';
import { transaction, transactionStream } from '../domain/transaction.decider';

export interface RecordTransactionLifecycleOptions {
  /** Attempts per balance event, the first included, before the reactor stops (state `failed`). */
  readonly maxAttempts?: number;
  /** Backoff before the second attempt; doubled for each further one, up to `backoffMaxMs`. */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  readonly logger?: Pick<LoggerService, 'log' | 'warn' | 'error'>;
}

/** Optional DI token for `RecordTransactionLifecycleOptions`. */
export const RECORD_TRANSACTION_LIFECYCLE_OPTIONS = Symbol('RecordTransactionLifecycleOptions');

const DEFAULT_MAX_ATTEMPTS = 8;
const DEFAULT_BACKOFF_BASE_MS = 100;
const DEFAULT_BACKOFF_MAX_MS = 5_000;
/** Error messages are ours (stream ids, amounts), but a log line still gets a bound. */
const MAX_LOGGED_ERROR_CHARS = 300;

/**
 * Keeps each card transaction's stream (`transaction-<lifecycleId>`) consistent with the
 * balance streams: follows `$all` from its checkpoint and records every balance event that
 * concerns a lifecycle through the Transaction decider.
 *
 * Why no money is lost or doubled, whatever dies when:
 * - The balance append is the commit point of the money. The answer to Antaca depends on it
 *   alone; the Transaction stream is a consequence, never a precondition.
 * - The Transaction stream follows **at least once**: the checkpoint is stored only after
 *   `handle` appended (or found nothing to append), so a crash between the two re-delivers the
 *   event on restart; a crash before `handle` loses nothing either, as the checkpoint has not
 *   moved past the event.
 * - And **exactly once in effect**: the Transaction decider ignores a `sourceEventId` it
 *   already recorded, and the append carries the loaded revision, so a re-delivery, or two
 *   instances each running this reactor against their own checkpoint, record it once.
 * - The checkpoint lives in the read-model database (`synchronous = NORMAL`): a power cut may
 *   take back its last moves, which is only more re-delivery.
 *
 * The lag is visible: `position` is the last log position taken into account, and
 * `waitFor(position)` resolves once the reactor has reached a position (read-your-writes).
 *
 * A failing `handle` is logged (event type, stream, revision, id: never the event's data),
 * retried with bounded exponential backoff, and after `maxAttempts` the reactor stops (state
 * `failed`) with its checkpoint before that event: skipping it would leave a lifecycle
 * silently wrong. After the fix, a restart resumes at that event.
 */
@Injectable()
export class RecordTransactionLifecycleWhenBalanceChanges
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  /** The key of this reactor's row in `reactor_checkpoints`. Renaming it replays the whole log (harmless). */
  static readonly checkpointName = 'record-transaction-lifecycle-when-balance-changes';

  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  private readonly stopping = new AbortController();
  private subscription: EventSubscription | undefined;
  private checkpointStatement: ReturnType<typeof prepareCheckpointStatement> | undefined;
  private loop: Promise<void> | undefined;
  private readonly progress = new PositionTracker('Transaction reactor');
  private _state: RunnerState = 'idle';
  private _failure: unknown;

  constructor(
    private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly db: ReadModelDb,
    @Optional() @Inject(RECORD_TRANSACTION_LIFECYCLE_OPTIONS) options: RecordTransactionLifecycleOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.backoffBaseMs = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
    this.backoffMaxMs = options.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS;
    this.logger = options.logger ?? new Logger(RecordTransactionLifecycleWhenBalanceChanges.name);
    if (!Number.isSafeInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a positive integer, got ${this.maxAttempts}`);
    }
    if (!(this.backoffBaseMs >= 0 && this.backoffMaxMs >= this.backoffBaseMs)) {
      throw new RangeError('Backoff must satisfy 0 <= backoffBaseMs <= backoffMaxMs');
    }
  }

  get state(): RunnerState {
    return this._state;
  }

  /** Why the reactor stopped, when `state` is `failed`. */
  get failure(): unknown {
    return this._failure;
  }

  /** The last log position taken into account; `undefined` before the first event. */
  get position(): LogPosition | undefined {
    return this.progress.position;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this._state !== 'idle') throw new Error(`Transaction reactor cannot start from ${this._state}`);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS reactor_checkpoints (
        name     TEXT PRIMARY KEY,
        position TEXT NOT NULL
      );
    `);
    this.checkpointStatement = prepareCheckpointStatement(this.db);
    const from = this.loadCheckpoint();
    this.progress.advance(from);
    this.subscription = this.store.subscribeToAll({ after: from });
    this._state = 'running';
    this.loop = this.consume(this.subscription);
  }

  /** Lets the event in hand finish (and checkpoint), interrupts a backoff, and stops. */
  async stop(): Promise<void> {
    if (this._state === 'running') this._state = 'stopped';
    this.stopping.abort();
    await this.subscription?.close();
    await this.loop;
    this.progress.rejectAll(new Error(`Transaction reactor stopped (${this._state})`));
  }

  /**
   * Resolves once every balance event up to `position` is recorded in its Transaction stream;
   * rejects after `timeoutMs`, or when the reactor is not running or stops.
   */
  waitFor(position: LogPosition | undefined, timeoutMs = 5_000): Promise<void> {
    if (position === undefined || this.progress.hasReached(position)) return Promise.resolve();
    if (this._state !== 'running') {
      return Promise.reject(new Error(`Transaction reactor is not running (${this._state})`));
    }
    return this.progress.waitFor(position, timeoutMs);
  }

  private async consume(subscription: EventSubscription): Promise<void> {
    try {
      for await (const event of subscription) {
        const recorded = await this.recordWithRetries(event);
        if (!recorded) return;
        // Only now: a crash before this line re-delivers the event, which the decider ignores.
        this.saveCheckpoint(event.position);
        this.progress.advance(event.position);
      }
    } catch (error) {
      this.fail(error, 'the subscription to the log failed');
    }
  }

  /** True once recorded (or nothing to record); false when stopped or failed before that. */
  private async recordWithRetries(event: RecordedEvent): Promise<boolean> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (this.stopping.signal.aborted) return false;
      try {
        await this.record(event);
        return true;
      } catch (error) {
        const where = `${event.type} ${event.streamId}@${event.revision} (event ${event.metadata.eventId})`;
        if (attempt === this.maxAttempts) {
          this.fail(error, `recording ${where} failed ${attempt} times`);
          return false;
        }
        const delayMs = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
        this.logger.warn(
          `Recording ${where} failed (attempt ${attempt}/${this.maxAttempts}), retrying in ${delayMs} ms: ${describe(error)}`,
        );
        await sleep(delayMs, this.stopping.signal);
      }
    }
    return false;
  }

  private async record(event: RecordedEvent): Promise<void> {
    if (!isBalanceStreamId(event.streamId)) return;
    // Throws for a type the balances domain does not define: a loud stop, not a silent skip.
    const routed = lifecycleOf({ type: event.type, data: event.data } as UserBalanceEvent);
    if (routed === undefined) return;
    const command: RecordBalanceOutcome = {
      type: 'RecordBalanceOutcome',
      sourceEventId: event.metadata.eventId,
      sourceStreamId: event.streamId,
      balanceEvent: routed.balanceEvent,
    };
    await this.store.handle(transactionStream(routed.lifecycleId), transaction, command, {
      metadata: { causationId: event.metadata.eventId, correlationId: event.metadata.correlationId },
    });
  }

  private fail(error: unknown, what: string): void {
    if (this._state !== 'running') return;
    this._state = 'failed';
    this._failure = error;
    const at = this.progress.position ? formatLogPosition(this.progress.position) : 'the start of the log';
    this.logger.error(
      `Transaction reactor stopped: ${what}: ${describe(error)}. It resumes after ${at} once restarted.`,
    );
    void this.subscription?.close();
    this.progress.rejectAll(new Error(`Transaction reactor failed: ${describe(error)}`));
  }

  private loadCheckpoint(): LogPosition | undefined {
    const row = this.db
      .prepare<[string], { position: string }>('SELECT position FROM reactor_checkpoints WHERE name = ?')
      .get(RecordTransactionLifecycleWhenBalanceChanges.checkpointName);
    return row ? parseLogPosition(row.position) : undefined;
  }

  private saveCheckpoint(position: LogPosition): void {
    if (this.checkpointStatement === undefined) throw new Error('Transaction reactor was not started');
    this.checkpointStatement.run(
      RecordTransactionLifecycleWhenBalanceChanges.checkpointName,
      formatLogPosition(position),
    );
  }
}

function prepareCheckpointStatement(db: ReadModelDb) {
  return db.prepare<[string, string]>(
    `INSERT INTO reactor_checkpoints (name, position) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
  );
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_LOGGED_ERROR_CHARS ? `${text.slice(0, MAX_LOGGED_ERROR_CHARS)}…` : text;
}

/** Resolves after `ms`, or at once when `signal` aborts (shutdown does not wait out a backoff). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
