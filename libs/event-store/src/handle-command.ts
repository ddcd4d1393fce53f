import type { Decider, DomainEvent } from '@app/shared-kernel';
import { ConcurrencyRetriesExhausted, WrongExpectedVersion } from './errors';
import type { EventMetadataInput, EventStore, RecordedEvent } from './event-store.port';
import type { LogPosition } from './log-position';

export interface HandleOptions {
  /** Attached to every event the command produces. */
  readonly metadata?: EventMetadataInput;
  /** Attempts in all, the first included, before failing closed. */
  readonly maxAttempts?: number;
}

export interface HandleResult<TState, TEvent extends DomainEvent> {
  /** The state after the command (unchanged when it produced no events). */
  readonly state: TState;
  /** What this command wrote; empty when the decider had nothing to record. */
  readonly newEvents: readonly TEvent[];
  /** Of the stream's last event after the command (for read-your-writes); undefined while empty. */
  readonly position: LogPosition | undefined;
}

export const DEFAULT_MAX_ATTEMPTS = 10;
/**
 * Exponential backoff with full jitter between attempts: 5 ms doubling, at most 250 ms.
 * A flat few milliseconds starved the losing writer when two processes hammered one stream
 * over the network (EventStoreDB): it kept reloading just before the winner appended again.
 */
const BACKOFF_BASE_MS = 5;
const BACKOFF_CAP_MS = 250;

/**
 * Load, decide, append with the loaded revision. A conflict means another writer got in
 * between: reload and decide again against the new state, a bounded number of times,
 * then fail closed with nothing written.
 */
export async function handleCommand<TCommand, TState, TEvent extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<TCommand, TState, TEvent>,
  command: TCommand,
  options: HandleOptions = {},
): Promise<HandleResult<TState, TEvent>> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const history = (await store.readStream(streamId)) as RecordedEvent<TEvent>[];
    let state = decider.initialState();
    for (const event of history)
      state = decider.evolve(state, { type: event.type, data: event.data } as TEvent);
    const last = history.at(-1);

    const decided = decider.decide(command, state);
    if (decided.length === 0) return { state, newEvents: [], position: last?.position };

    let appended;
    try {
      appended = await store.appendToStream(
        streamId,
        decided.map((event) => ({ type: event.type, data: event.data, metadata: options.metadata })),
        { expectedRevision: last ? last.revision : 'no_stream' },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion)) throw error;
      await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
      continue;
    }
    for (const event of decided) state = decider.evolve(state, event);
    return { state, newEvents: decided, position: appended.position };
  }
  throw new ConcurrencyRetriesExhausted(streamId, maxAttempts);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
