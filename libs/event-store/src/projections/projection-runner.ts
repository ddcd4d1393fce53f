import type { EventStore, EventSubscription, RecordedEvent } from '../event-store.port';
import { compareLogPositions, formatLogPosition, parseLogPosition, type LogPosition } from '../log-position';
import { PositionTracker } from '../position-tracker';
import type { ProjectionOptions, ReadModelProjection } from './projection';
import type { ReadModelDb } from './read-model-database';

export interface RegisteredProjection {
  readonly options: ProjectionOptions;
  readonly projection: ReadModelProjection;
}

export type RunnerState = 'idle' | 'running' | 'failed' | 'stopped';

/**
 * Feeds the registered read models from one catch-up subscription to the log.
 *
 * Exactly once: each event is applied and every checkpoint moved past it in one SQLite
 * transaction. After a crash, the subscription restarts after the oldest checkpoint and a
 * projection applies only the events after its own, so nothing is applied twice or skipped.
 *
 * A projection that throws stops the runner (state `failed`, readiness goes down): skipping
 * the event would make a read model silently wrong, which is worse for money than a stop.
 */
export class ProjectionRunner {
  private subscription: EventSubscription | undefined;
  private loop: Promise<void> | undefined;
  private readonly progress = new PositionTracker('Read models');
  private checkpoints = new Map<string, LogPosition | undefined>();
  private _state: RunnerState = 'idle';
  private _failure: unknown;
  private readonly saveCheckpoint;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDb,
    private readonly projections: readonly RegisteredProjection[],
    private readonly onFailure: (error: unknown, event: RecordedEvent) => void = () => undefined,
  ) {
    const names = projections.map((entry) => entry.options.name);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate) throw new Error(`Two projections are named ${duplicate}`);
    this.saveCheckpoint = db.prepare<[string, string]>(
      `INSERT INTO projection_checkpoints (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
  }

  get state(): RunnerState {
    return this._state;
  }

  get failure(): unknown {
    return this._failure;
  }

  /** The last log position every read model has taken into account. */
  get position(): LogPosition | undefined {
    return this.progress.position;
  }

  start(): void {
    if (this._state !== 'idle') throw new Error(`Projection runner cannot start from ${this._state}`);
    this.db.transaction(() => {
      for (const { projection } of this.projections) projection.migrate(this.db);
    })();
    this.checkpoints = this.loadCheckpoints();
    const from = this.oldestCheckpoint();
    this.progress.advance(from);
    this.subscription = this.store.subscribeToAll({ after: from });
    this._state = 'running';
    this.loop = this.consume(this.subscription);
  }

  async stop(): Promise<void> {
    if (this._state === 'running') this._state = 'stopped';
    await this.subscription?.close();
    await this.loop;
    this.progress.rejectAll(new Error(`Read models stopped (${this._state})`));
  }

  /**
   * Resolves once every read model reflects the log up to `position` (read-your-writes
   * after a command); rejects after `timeoutMs` or if the runner is not running.
   */
  waitFor(position: LogPosition | undefined, timeoutMs = 5_000): Promise<void> {
    if (position === undefined || this.progress.hasReached(position)) return Promise.resolve();
    if (this._state !== 'running')
      return Promise.reject(new Error(`Read models are not running (${this._state})`));
    return this.progress.waitFor(position, timeoutMs);
  }

  private async consume(subscription: EventSubscription): Promise<void> {
    try {
      for await (const event of subscription) {
        this.applyEverywhere(event);
        this.progress.advance(event.position);
      }
    } catch (error) {
      this._state = 'failed';
      this._failure = error;
      this.progress.rejectAll(new Error('Read models failed'));
      await subscription.close();
    }
  }

  private applyEverywhere(event: RecordedEvent): void {
    const position = formatLogPosition(event.position);
    try {
      this.db.transaction(() => {
        for (const { options, projection } of this.projections) {
          const checkpoint = this.checkpoints.get(options.name);
          if (checkpoint !== undefined && compareLogPositions(event.position, checkpoint) <= 0) continue;
          if (concerns(options, event)) projection.apply(event, this.db);
          this.saveCheckpoint.run(options.name, position);
        }
      })();
    } catch (error) {
      this.onFailure(error, event);
      throw error;
    }
    for (const { options } of this.projections) {
      const checkpoint = this.checkpoints.get(options.name);
      if (checkpoint === undefined || compareLogPositions(event.position, checkpoint) > 0) {
        this.checkpoints.set(options.name, event.position);
      }
    }
  }

  private loadCheckpoints(): Map<string, LogPosition | undefined> {
    const read = this.db.prepare<[string], { position: string }>(
      'SELECT position FROM projection_checkpoints WHERE name = ?',
    );
    return new Map(
      this.projections.map(({ options }) => {
        const row = read.get(options.name);
        return [options.name, row ? parseLogPosition(row.position) : undefined];
      }),
    );
  }

  private oldestCheckpoint(): LogPosition | undefined {
    let oldest: LogPosition | undefined;
    for (const checkpoint of this.checkpoints.values()) {
      if (checkpoint === undefined) return undefined;
      if (oldest === undefined || compareLogPositions(checkpoint, oldest) < 0) oldest = checkpoint;
    }
    return oldest;
  }
}

function concerns(options: ProjectionOptions, event: RecordedEvent): boolean {
  return (
    options.handles.includes(event.type) &&
    (options.category === undefined || event.streamId.startsWith(`${options.category}-`))
  );
}
