import type { RecordedEvent } from '../event-store.port';
import type { ReadModelDb } from './read-model-database';

export interface ProjectionOptions {
  /** Stable name: the key of the projection's checkpoint. Renaming it rebuilds the read model. */
  readonly name: string;
  /** The event types it applies; every other event only moves its checkpoint. */
  readonly handles: readonly string[];
  /**
   * Only events of streams `<category>-...`: event types are named per aggregate, and two
   * aggregates may both have, say, a `TransactionCleared`.
   */
  readonly category?: string;
}

/**
 * A read model. Both methods run inside a transaction of the read-model database that the
 * runner commits together with the checkpoint, so they must be synchronous and must not
 * touch anything but `db`.
 */
export interface ReadModelProjection {
  /** Creates or migrates its tables; run once at start. Must be idempotent (IF NOT EXISTS). */
  migrate(db: ReadModelDb): void;
  apply(event: RecordedEvent, db: ReadModelDb): void;
}

const registry = new WeakMap<object, ProjectionOptions>();

/** Marks a class as a read model; the runner finds it among the application's providers. */
export function Projection(options: ProjectionOptions): ClassDecorator {
  return (target) => {
    registry.set(target, options);
  };
}

export function projectionOptionsOf(type: object): ProjectionOptions | undefined {
  return registry.get(type);
}
