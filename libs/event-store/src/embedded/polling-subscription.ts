import type { EventSubscription, RecordedEvent } from '../event-store.port';
import type { LogPosition } from '../log-position';

interface PollingSubscriptionOptions {
  readonly after: LogPosition | undefined;
  /** Up to a batch of events strictly after the position, in commit order. */
  readonly readBatch: (after: LogPosition | undefined) => RecordedEvent[];
  /** Resolves when there may be new events, or when `abort` fires. */
  readonly waitForAppend: (abort: AbortSignal) => Promise<void>;
  readonly onClose: () => void;
}

/**
 * Catch-up then live, by reading batches after the last delivered position and sleeping
 * until the next append when there are none. The cursor only moves past an event once it
 * has been handed out, so nothing is skipped; it never moves back, so nothing repeats.
 */
export class PollingSubscription implements EventSubscription {
  private readonly abort = new AbortController();
  private started = false;

  constructor(private readonly options: PollingSubscriptionOptions) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('A subscription can be iterated once');
    this.started = true;
    return this.events();
  }

  async close(): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.options.onClose();
  }

  private async *events(): AsyncGenerator<RecordedEvent> {
    let cursor = this.options.after;
    while (!this.abort.signal.aborted) {
      const batch = this.options.readBatch(cursor);
      if (batch.length === 0) {
        await this.options.waitForAppend(this.abort.signal);
        continue;
      }
      for (const event of batch) {
        if (this.abort.signal.aborted) return;
        yield event;
        cursor = event.position;
      }
    }
  }
}
