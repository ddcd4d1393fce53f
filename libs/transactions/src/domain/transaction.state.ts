import type { RefusalReason } from '@app/balances';
import type { RequestRef } from '@app/shared-kernel';
import type { NotifiedStatus, TransactionKind } from './transaction.events';

/** DOMAIN.md 2, clearing status. */
export type TransactionStatus = 'AUTHORIZED' | 'CLEARED' | 'REVERSED' | 'DECLINED';

/**
 * One card transaction lifecycle (stream `transaction-<lifecycleId>`), as its balance events
 * left it. Plain JSON (no Map, no bigint): the operator reads it as is.
 *
 * The figures mirror the balance's own `Lifecycle` (the balance stream stays the source of
 * truth for money); if the same `id` was used on several balances, they are summed and the
 * status follows the latest transition.
 */
export interface TransactionState {
  /** Antaca's `id`; `null` until the first event. */
  readonly lifecycleId: string | null;
  /**
   * `null` while nothing was authorized, declined or reversed on this `id` (no event yet, or
   * only a refused clearing or a suspended forced request).
   */
  readonly status: TransactionStatus | null;
  /** Set by the first accepted debit or credit; `null` for a lifecycle known only from a reversal. */
  readonly kind: TransactionKind | null;
  /** Balances whose streams recorded something about this lifecycle, in order of first appearance. */
  readonly balanceIds: readonly string[];
  /** Everything ever held (incremental authorizations add up), released or not. */
  readonly authorizedMinor: number;
  /** The outstanding hold: authorized, not yet cleared or released. */
  readonly heldMinor: number;
  /** booked += by credits and force-credits, minus what a reversal took back. */
  readonly creditedMinor: number;
  /** booked -= by a force-debit CLEARED that had no hold to settle. */
  readonly debitedMinor: number;
  /** The amount of the first clearing (or direct debit); `null` until cleared. */
  readonly clearedMinor: number | null;
  /** A clearing disagreed with what was authorized: reconcile by hand. */
  readonly mismatch: boolean;
  /** A reversal arrived before any transaction with this `id`. */
  readonly tombstoned: boolean;
  /** Forced requests on this `id` waiting in suspense. */
  readonly suspendedRequests: number;
  /** The latest refusal of a request on this `id`, if any. */
  readonly lastRefusal: { readonly command: string; readonly reason: RefusalReason } | null;
  /** Network `transactionId`s of the requests recorded here, in arrival order, without repeats. */
  readonly transactionIds: readonly string[];
  /** Ids of the balance events already recorded, in order: a re-delivered one decides nothing. */
  readonly appliedSourceEventIds: readonly string[];
  /**
   * Antaca's latest word on the transaction (transaction notifier): the notification with the
   * newest `date` of its own, whatever the arrival order; `null` until one arrives.
   */
  readonly notified: {
    readonly status: NotifiedStatus | null;
    readonly date: string | null;
    readonly description: string | null;
  } | null;
  /** The transaction notifier requests already recorded: a repeat decides nothing. */
  readonly notificationRequests: readonly RequestRef[];
}

export function initialTransactionState(): TransactionState {
  return {
    lifecycleId: null,
    status: null,
    kind: null,
    balanceIds: [],
    authorizedMinor: 0,
    heldMinor: 0,
    creditedMinor: 0,
    debitedMinor: 0,
    clearedMinor: null,
    mismatch: false,
    tombstoned: false,
    suspendedRequests: 0,
    lastRefusal: null,
    transactionIds: [],
    appliedSourceEventIds: [],
    notified: null,
    notificationRequests: [],
  };
}
