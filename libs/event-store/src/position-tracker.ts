import { compareLogPositions, formatLogPosition, type LogPosition } from './log-position';

interface Waiter {
  readonly position: LogPosition;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * How far a consumer of the log (a projection runner, a reactor) has got, and the callers
 * waiting for it to reach a position: read-your-writes after a command.
 */
export class PositionTracker {
  private current: LogPosition | undefined;
  private waiters: Waiter[] = [];

  /** `name` says whose position it is, in the timeout error. */
  constructor(private readonly name: string) {}

  /** The last position taken into account; undefined before the first event. */
  get position(): LogPosition | undefined {
    return this.current;
  }

  hasReached(position: LogPosition): boolean {
    return this.current !== undefined && compareLogPositions(position, this.current) <= 0;
  }

  /** Moves to `position` (never back) and wakes whoever waited for it. */
  advance(position: LogPosition | undefined): void {
    if (position === undefined || this.hasReached(position)) return;
    this.current = position;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((waiter) => this.hasReached(waiter.position));
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }

  /** Resolves once `position` is reached; rejects after `timeoutMs` or on `rejectAll`. */
  waitFor(position: LogPosition | undefined, timeoutMs: number): Promise<void> {
    if (position === undefined || this.hasReached(position)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`${this.name} did not reach ${formatLogPosition(position)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const entry: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(entry);
    });
  }

  /** Fails every pending wait: the consumer stopped or failed and will not get there. */
  rejectAll(error: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }
}
