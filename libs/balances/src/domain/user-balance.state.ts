import type { Refusal } from './refusal';

/**
 * `unknown`: no link has ever been recorded on this stream; `linked`: Antaca linked the
 * balance to a user and it can move money; `unlinked`: it was linked once and deleted since.
 */
export type BalanceStatus = 'unknown' | 'linked' | 'unlinked';

/** Whether a lifecycle started as money out (debit, force-debit) or money in (credit, force-credit). */
export type LifecycleKind = 'debit' | 'credit';

/**
 * One card transaction's lifecycle on this balance, keyed by Antaca's `id` (DOMAIN.md 1):
 * its authorization(s), reversal and clearing all carry the same `id`.
 */
export interface Lifecycle {
  /** Antaca's transaction `id`. */
  readonly lifecycleId: string;
  /** `null` while the lifecycle is known only from a reversal that arrived before its transaction. */
  readonly kind: LifecycleKind | null;
  /** Outstanding hold: what its authorizations hold now, not yet cleared or released. Never negative. */
  readonly heldMinor: number;
  /** Everything ever held on it (incremental authorizations add up), released or not. */
  readonly authorizedMinor: number;
  /** booked += by credits and force-credits on this `id`, minus what a reversal took back. */
  readonly creditedMinor: number;
  /** booked -= by force-debits CLEARED on this `id`. */
  readonly debitedMinor: number;
  /** Cleared (by clearing or by a force-debit CLEARED): final, a reversal only records. */
  readonly cleared: boolean;
  /** The amount of the first clearing, to recognise an exact repeat; `null` until cleared. */
  readonly clearedMinor: number | null;
  /** Reversed (a reversal, a tombstone, or a force-credit REVERSED that released all of its hold). */
  readonly reversed: boolean;
  /** A reversal arrived before any transaction with this `id`: a later debit must hold nothing. */
  readonly tombstone: boolean;
  /** Network `transactionId`s seen on this lifecycle's own requests, in arrival order. */
  readonly transactionIds: readonly string[];
  /** Order of arrival on this balance (0 for the first lifecycle): the tie-breaker for "most recent". */
  readonly arrival: number;
}

/** What a request was answered: `accepted` is a 204 (or a no-op), `refused` its `{title, detail}`. */
export type RecordedOutcome =
  { readonly kind: 'accepted' } | { readonly kind: 'refused'; readonly refusal: Refusal };

/** The outcome of an already processed request, kept under its idempotency key (DOMAIN.md 3). */
export interface RecordedRequest {
  /** Hash of the request that used the key first: another hash under the same key is a reuse. */
  readonly requestHash: string;
  readonly outcome: RecordedOutcome;
}

/**
 * The UserBalance aggregate (stream `balance-<balanceId>`) as `evolve` leaves it.
 * Read-only for everyone but `evolve` (see the ownership note on `userBalance`).
 */
export interface UserBalanceState {
  readonly status: BalanceStatus;
  /** Lower-case UUID; `null` until linked. */
  readonly balanceId: string | null;
  /** The user the balance is (or, once unlinked, was last) linked to. */
  readonly userId: string | null;
  /** ISO 4217 code the balance keeps its figures in; `null` until linked. */
  readonly currency: string | null;
  /** Settled money, in minor units. May go negative through forced requests and reversed credits. */
  readonly bookedMinor: number;
  /** Sum of the outstanding holds of all lifecycles, in minor units. Never negative. */
  readonly holdsMinor: number;
  /** Every lifecycle seen on this balance, by Antaca's transaction `id`. */
  readonly lifecycles: ReadonlyMap<string, Lifecycle>;
  /**
   * Network `transactionId` -> the lifecycle ids that carried it, in the order the id was first
   * seen on each: network ids are not unique over time, so a reference picks the most recent.
   */
  readonly lifecycleIdsByTransactionId: ReadonlyMap<string, readonly string[]>;
  /** Every processed request by idempotency key, refusals included. */
  readonly requests: ReadonlyMap<string, RecordedRequest>;
}

/** The state of a stream with no events. A new object with new collections on every call. */
export function initialUserBalanceState(): UserBalanceState {
  return {
    status: 'unknown',
    balanceId: null,
    userId: null,
    currency: null,
    bookedMinor: 0,
    holdsMinor: 0,
    lifecycles: new Map(),
    lifecycleIdsByTransactionId: new Map(),
    requests: new Map(),
  };
}

/** What `GET /users/:id/balances/:balanceId` answers as `amount`: booked minus holds. */
export function availableMinor(state: Pick<UserBalanceState, 'bookedMinor' | 'holdsMinor'>): number {
  return state.bookedMinor - state.holdsMinor;
}

/** Neither cleared nor reversed: the lifecycle a reversal or clearing would act on. */
export function isOpen(lifecycle: Lifecycle): boolean {
  return !lifecycle.cleared && !lifecycle.reversed;
}
