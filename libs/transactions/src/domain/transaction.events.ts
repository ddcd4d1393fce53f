import type { CardTransaction, RefusalReason } from '@app/balances';
import type { DomainEvent, RequestRef } from '@app/shared-kernel';

/** Money out (a hold, or a force-debit booked directly) or money in (a credit or force-credit). */
export type TransactionKind = 'debit' | 'credit';

/**
 * What every Transaction event carries: the balance event it records, and the card facts.
 * The raw request body is not copied: it stays in the balance stream, the source of truth.
 */
interface FromBalanceEvent {
  /** The store id of the balance event this one records: the Transaction's idempotency key. */
  readonly sourceEventId: string;
  readonly balanceId: string;
  /** Antaca's `id` of the lifecycle this stream is about; the same on every event of the stream. */
  readonly lifecycleId: string;
  /**
   * The parsed facts of the card request behind the balance event. Its own `lifecycleId` may
   * differ from `lifecycleId` above when a reversal or clearing matched by network id.
   */
  readonly transaction: CardTransaction;
}

type TransactionEventOf<TType extends string, TData extends object = object> = DomainEvent<
  TType,
  FromBalanceEvent & TData
>;

interface Authorization {
  readonly kind: TransactionKind;
  /** A debit: the hold it added; a credit: what it booked in. */
  readonly amountMinor: number;
  /** A force-debit AUTHORIZED or a force-credit: Antaca had already moved the money. */
  readonly forced: boolean;
}

/** The first accepted authorization (hold or credit) of the lifecycle. */
export type TransactionAuthorized = TransactionEventOf<'TransactionAuthorized', Authorization>;

/**
 * A further authorization on the same `id`: an incremental authorization (a second hold, with
 * its own idempotency key) or a credit on a lifecycle that already had one.
 */
export type TransactionAdjusted = TransactionEventOf<'TransactionAdjusted', Authorization>;

/**
 * Settled: a clearing (or a force-debit CLEARED of a held lifecycle) turned the hold into
 * booked money, or a force-debit CLEARED with nothing held booked the amount directly.
 */
export type TransactionCleared = TransactionEventOf<
  'TransactionCleared',
  {
    settlement: 'clearing' | 'direct-debit';
    /** The outstanding hold that became booked; 0 for a direct debit. */
    heldMinor: number;
    /** The amount Antaca cleared. */
    clearedMinor: number;
    /** booked -= by a direct debit; 0 for a clearing (its money was held already). */
    debitedMinor: number;
    /** The cleared amount differs from what was authorized: flagged for reconciliation, not moved. */
    mismatch: boolean;
  }
>;

/**
 * A reversal (or a force-credit REVERSED) undid part or all of the lifecycle: a hold released
 * or a credit taken back. `partial`: a force-credit REVERSED released less than was held, so
 * the rest stays authorized.
 */
export type TransactionReversed = TransactionEventOf<
  'TransactionReversed',
  {
    cause: 'reversal' | 'force-credit-reversed';
    releasedMinor: number;
    creditReversedMinor: number;
    partial: boolean;
  }
>;

/** A refused request on this `id`: a debit or credit declined, or a clearing of an unknown transaction. */
export type TransactionDeclined = TransactionEventOf<
  'TransactionDeclined',
  { command: string; reason: RefusalReason; detail: string }
>;

/** A reversal arrived before any transaction with this `id`: a later debit must hold nothing. */
export type TransactionTombstoned = TransactionEventOf<'TransactionTombstoned'>;

/** A debit that arrived after its lifecycle's reversal: answered and recorded, holding nothing. */
export type TransactionAuthorizationIgnored = TransactionEventOf<'TransactionAuthorizationIgnored'>;

/** A reversal of a lifecycle already cleared (refunds come as force-credit) or reversed: nothing moved. */
export type TransactionReversalRecorded = TransactionEventOf<
  'TransactionReversalRecorded',
  { outcome: 'already-cleared' | 'already-reversed' }
>;

/** A forced request on this `id` could not be applied and waits in suspense for the operator. */
export type TransactionSuspended = TransactionEventOf<
  'TransactionSuspended',
  { command: 'ForceDebit' | 'ForceCredit' | 'Reverse'; reason: string }
>;

/** The outcome Antaca reports in its transaction notifier (`/notifications/transaction`). */
export type NotifiedStatus = 'SUCCESS' | 'DECLINED' | 'INVALID';

/**
 * Antaca's own account of the transaction, from the (legacy) transaction notifier: its
 * processing `status`, `description` (APPROVED, INSUFFICIENT_FUNDS, ...) and the transaction
 * object as sent. It records what Antaca says; it moves no money and does not change the
 * lifecycle's status, which follows the balance events (the source of truth for money).
 * Fields that failed validation are `null` and named in `invalidFields`: the notifier only
 * accepts 2xx answers, so a half-readable notification is kept rather than refused.
 */
export type TransactionNotified = DomainEvent<
  'TransactionNotified',
  {
    readonly lifecycleId: string;
    /** The notifier request: a repeat (same key, same hash) records nothing. */
    readonly request: RequestRef;
    readonly status: NotifiedStatus | null;
    /** ISO 8601 with offset, as sent: when Antaca generated the notification. */
    readonly date: string | null;
    readonly description: string | null;
    readonly invalidFields: readonly string[];
    /** The transaction object exactly as Antaca sent it (unknown fields kept, never bound). */
    readonly transaction: Readonly<Record<string, unknown>>;
  }
>;

/**
 * Events of one lifecycle's stream (`transaction-<lifecycleId>`): each balance event about the
 * lifecycle recorded once, and Antaca's transaction notifications about it.
 */
export type TransactionEvent =
  | TransactionAuthorized
  | TransactionAdjusted
  | TransactionCleared
  | TransactionReversed
  | TransactionDeclined
  | TransactionTombstoned
  | TransactionAuthorizationIgnored
  | TransactionReversalRecorded
  | TransactionSuspended
  | TransactionNotified;

/** The events that record a balance event (they carry its `sourceEventId`). */
export type BalanceOutcomeEvent = Exclude<TransactionEvent, TransactionNotified>;

export type TransactionEventType = TransactionEvent['type'];
