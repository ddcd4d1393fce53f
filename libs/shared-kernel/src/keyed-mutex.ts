/**
 * Runs tasks one at a time per key, in arrival order. Used to serialise commands on the
 * same stream inside one process, so concurrent requests queue instead of spinning on
 * optimistic-concurrency conflicts. It is an optimisation, not the guard: across
 * processes the store's expected-revision check still decides.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    try {
      await previous;
      return await task();
    } finally {
      release();
      // Only the last waiter removes the entry, so the map holds idle keys for no longer than needed.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with a task running or queued; for tests and metrics. */
  get size(): number {
    return this.tails.size;
  }
}
