import type {
  CreditReversed,
  DebitIgnoredAfterReversal,
  ForcedRequestSuspended,
  FundsCredited,
  FundsDebited,
  FundsHeld,
  HoldReleased,
  RequestRefused,
  ReversalRecorded,
  TransactionCleared as BalanceTransactionCleared,
  UserBalanceEvent,
} from '@app/balances';
import type { TransactionNotified } from './transaction.events';
import { unexpectedType } from './unexpected-type';

/** Id of a balance stream (`balance-<balanceId>`, named by the balances lib). */
export type BalanceStreamId = `balance-${string}`;

const BALANCE_STREAM_PREFIX = 'balance-';

export function isBalanceStreamId(streamId: string): streamId is BalanceStreamId {
  return streamId.startsWith(BALANCE_STREAM_PREFIX) && streamId.length > BALANCE_STREAM_PREFIX.length;
}

export function balanceIdOfStream(streamId: BalanceStreamId): string {
  return streamId.slice(BALANCE_STREAM_PREFIX.length);
}

/** The balance events that may concern a card transaction lifecycle. */
export type LifecycleBalanceEvent =
  | FundsHeld
  | DebitIgnoredAfterReversal
  | FundsDebited
  | FundsCredited
  | HoldReleased
  | CreditReversed
  | ReversalRecorded
  | BalanceTransactionCleared
  | RequestRefused
  | ForcedRequestSuspended;

/**
 * Record one balance event that concerns this lifecycle. The balance stream decided the
 * money; this only follows it, so it never refuses. Idempotent by `sourceEventId`.
 */
export interface RecordBalanceOutcome {
  readonly type: 'RecordBalanceOutcome';
  /** The store id of the balance event. */
  readonly sourceEventId: string;
  readonly sourceStreamId: BalanceStreamId;
  readonly balanceEvent: LifecycleBalanceEvent;
}

/**
 * Record Antaca's transaction notification about this lifecycle. Never refused (the notifier
 * accepts only 2xx answers); idempotent by the request's key: a repeat records nothing, and
 * `notificationOutcomeOf` tells a repeat from a reuse of the key for another request.
 */
export interface RecordTransactionNotification {
  readonly type: 'RecordTransactionNotification';
  readonly notification: TransactionNotified['data'];
}

export type TransactionCommand = RecordBalanceOutcome | RecordTransactionNotification;

/**
 * The lifecycle a balance event is about, or undefined when it concerns none (linking, operator
 * moves, a refusal of a request that named no card transaction). An event that acts on a
 * lifecycle it matched by network id names it in `lifecycleId`, which wins over the request's
 * own `id`. Exhaustive: a new balance event type is a compile error here until it is routed.
 */
export function lifecycleOf(
  event: UserBalanceEvent,
): { readonly lifecycleId: string; readonly balanceEvent: LifecycleBalanceEvent } | undefined {
  switch (event.type) {
    case 'BalanceLinked':
    case 'BalanceUnlinked':
    case 'OperatorCredited':
    case 'OperatorDebited':
      return undefined;
    case 'RequestRefused':
      return event.data.transaction === undefined
        ? undefined
        : { lifecycleId: event.data.transaction.lifecycleId, balanceEvent: event };
    case 'FundsHeld':
    case 'DebitIgnoredAfterReversal':
    case 'FundsDebited':
    case 'FundsCredited':
    case 'ForcedRequestSuspended':
      return { lifecycleId: event.data.transaction.lifecycleId, balanceEvent: event };
    case 'HoldReleased':
    case 'CreditReversed':
    case 'ReversalRecorded':
    case 'TransactionCleared':
      return { lifecycleId: event.data.lifecycleId, balanceEvent: event };
    default:
      return unexpectedType(event);
  }
}
