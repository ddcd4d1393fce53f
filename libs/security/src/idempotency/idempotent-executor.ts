import { KeyedMutex } from '@app/shared-kernel';
import type { Clock } from '@app/shared-kernel';
import type { IdempotencyCache } from './idempotency-cache';
import type { RequestFingerprint } from './request-fingerprint';

/** An HTTP answer as recorded: status and JSON body (none for 204). */
export interface Answer {
  readonly status: number;
  readonly body?: object;
}

export const IDEMPOTENCY_KEY_REUSED: Answer = {
  status: 422,
  body: {
    title: 'IDEMPOTENCY_KEY_REUSED',
    detail: 'This idempotency key was already used for a different request',
  },
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Once per key, the same answer every time (DOMAIN.md 3):
 * - a repeat arriving while the first is processed waits for it (per-key queue) and then
 *   finds its answer, instead of running twice or failing;
 * - an answer already given is replayed from the cache, status and body identical;
 * - the same key with another request hash is refused, nothing applied.
 * `run` must itself be idempotent by key (the aggregates record the key with the outcome):
 * that is what holds across a crash and across instances, where this cache cannot help.
 */
export class IdempotentExecutor {
  private readonly inFlight = new KeyedMutex();

  constructor(
    private readonly cache: IdempotencyCache,
    private readonly clock: Clock,
    private readonly retentionDays: number,
  ) {}

  execute(fingerprint: RequestFingerprint, run: () => Promise<Answer>): Promise<Answer> {
    const key = fingerprint.idempotencyKey;
    return this.inFlight.run(key, async () => {
      const cached = this.cache.find(key);
      if (cached) {
        if (cached.requestHash !== fingerprint.requestHash) return IDEMPOTENCY_KEY_REUSED;
        return cached.body === null
          ? { status: cached.status }
          : { status: cached.status, body: JSON.parse(cached.body) as object };
      }
      const answer = await run();
      // A failure of ours is not an answer to keep: the retry deserves another attempt.
      if (answer.status < 500 && answer !== IDEMPOTENCY_KEY_REUSED) {
        const body = answer.body === undefined ? null : JSON.stringify(answer.body);
        this.cache.remember(
          key,
          fingerprint.requestHash,
          { status: answer.status, body },
          this.clock.now().getTime(),
        );
      }
      return answer;
    });
  }

  /** Forgets cached answers older than the retention period (the aggregates keep their keys). */
  pruneExpired(): number {
    return this.cache.prune(this.clock.now().getTime() - this.retentionDays * DAY_MS);
  }
}
