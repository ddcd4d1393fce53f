import type { DomainEvent, RequestBody, RequestRef } from '@app/shared-kernel';
import type { CardTransaction } from './card-transaction';
import type { Refusal } from './refusal';

/**
 * Events of one balance's stream (`balance-<balanceId>`). Money figures move only through
 * these; a replay of the stream gives the balance exactly (DOMAIN.md 2, the invariant).
 *
 * Every event produced by a request carries `request` (idempotency key and request hash):
 * refusals are events too, so a retried request gets the same answer after the state moved on.
 */
type BalanceEvent<TType extends string, TData extends object> = DomainEvent<
  TType,
  TData & { readonly request: RequestRef }
>;

/** The card request that produced an event: parsed facts plus the body as received. */
interface FromCardRequest {
  readonly transaction: CardTransaction;
  readonly body: RequestBody;
}

export type BalanceLinked = BalanceEvent<
  'BalanceLinked',
  { balanceId: string; userId: string; currency: string }
>;

export type BalanceUnlinked = BalanceEvent<'BalanceUnlinked', { userId: string }>;

/** Any refused request: link, unlink, debit, credit, clearing, operator debit. */
export type RequestRefused = BalanceEvent<
  'RequestRefused',
  Refusal & { command: string; transaction?: CardTransaction; body?: RequestBody }
>;

/** available -= amount, holds += amount. `forced`: a force-debit AUTHORIZED. */
export type FundsHeld = BalanceEvent<'FundsHeld', FromCardRequest & { amountMinor: number; forced: boolean }>;

/** A debit answered but holding nothing: its lifecycle was reversed before it arrived. */
export type DebitIgnoredAfterReversal = BalanceEvent<'DebitIgnoredAfterReversal', FromCardRequest>;

/** booked -= amount (a force-debit CLEARED: money already gone at Antaca). */
export type FundsDebited = BalanceEvent<'FundsDebited', FromCardRequest & { amountMinor: number }>;

/** booked += amount, from a credit or a force-credit that matched no hold to release. */
export type FundsCredited = BalanceEvent<
  'FundsCredited',
  FromCardRequest & { amountMinor: number; forced: boolean }
>;

/**
 * holds -= amount on the lifecycle `lifecycleId` (which may differ from the request's own id
 * when matched by reference): a reversal, or a force-credit REVERSED of an uncleared debit.
 */
export type HoldReleased = BalanceEvent<
  'HoldReleased',
  FromCardRequest & { lifecycleId: string; amountMinor: number; cause: 'reversal' | 'force-credit-reversed' }
>;

/** booked -= amount: a reversal of an uncleared credit (available may go negative). */
export type CreditReversed = BalanceEvent<
  'CreditReversed',
  FromCardRequest & { lifecycleId: string; amountMinor: number }
>;

/**
 * A reversal that changed no figure. `outcome`: `already-cleared` (refunds come as
 * force-credit), `already-reversed`, or `tombstone` (unknown lifecycle: a debit arriving
 * later with this id holds nothing).
 */
export type ReversalRecorded = BalanceEvent<
  'ReversalRecorded',
  FromCardRequest & { lifecycleId: string; outcome: 'already-cleared' | 'already-reversed' | 'tombstone' }
>;

/**
 * Clearing: no movement of available. holds -= heldMinor, booked -= heldMinor.
 * `clearedMinor` differing from `heldMinor` is flagged for reconciliation, not moved.
 */
export type TransactionCleared = BalanceEvent<
  'TransactionCleared',
  FromCardRequest & { lifecycleId: string; heldMinor: number; clearedMinor: number; mismatch: boolean }
>;

/** A forced request that could not be applied: kept for manual reconciliation. */
export type ForcedRequestSuspended = BalanceEvent<
  'ForcedRequestSuspended',
  FromCardRequest & { command: 'ForceDebit' | 'ForceCredit' | 'Reverse'; reason: string }
>;

export type OperatorCredited = BalanceEvent<
  'OperatorCredited',
  { amountMinor: number; reason: string; reference: string }
>;

export type OperatorDebited = BalanceEvent<
  'OperatorDebited',
  { amountMinor: number; reason: string; reference: string }
>;

export type UserBalanceEvent =
  | BalanceLinked
  | BalanceUnlinked
  | RequestRefused
  | FundsHeld
  | DebitIgnoredAfterReversal
  | FundsDebited
  | FundsCredited
  | HoldReleased
  | CreditReversed
  | ReversalRecorded
  | TransactionCleared
  | ForcedRequestSuspended
  | OperatorCredited
  | OperatorDebited;

export type UserBalanceEventType = UserBalanceEvent['type'];
