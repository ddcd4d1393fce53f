import type { LockSubject } from './lock-subject';

/** Where one reason stands for a subject. */
export interface LockReasonStatus {
  readonly active: boolean;
  /** The `timestamp` (as sent) of the add that started the active period; null while inactive. */
  readonly since: string | null;
  /** UTC instant of the newest notification about this reason that took effect: it orders later arrivals. */
  readonly newestUtc: string;
}

/**
 * The transactional lock reasons of one user or corporation (stream `lock-reasons-<type>-<id>`).
 * Plain data rebuilt by folding the stream: `evolve` copies, never mutates.
 */
export interface LockReasonsState {
  /** `null` until the first notification. */
  readonly subject: LockSubject | null;
  /** By upper-case reason code: every reason ever notified, active or not. */
  readonly reasons: ReadonlyMap<string, LockReasonStatus>;
  /** Request hash by idempotency key, of every request recorded: a repeat decides nothing. */
  readonly requests: ReadonlyMap<string, string>;
}

export function initialLockReasonsState(): LockReasonsState {
  return { subject: null, reasons: new Map(), requests: new Map() };
}

/** The active reasons with the start of their active period, in the order they were first notified. */
export function activeReasons(state: LockReasonsState): { reason: string; since: string }[] {
  return [...state.reasons].flatMap(([reason, status]) =>
    status.active && status.since !== null ? [{ reason, since: status.since }] : [],
  );
}
