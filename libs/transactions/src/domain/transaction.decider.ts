import { assertNever, type Decider, type RequestRef } from '@app/shared-kernel';
import {
  balanceIdOfStream,
  lifecycleOf,
  type LifecycleBalanceEvent,
  type RecordTransactionNotification,
  type TransactionCommand,
} from './transaction.commands';
import type {
  BalanceOutcomeEvent,
  TransactionEvent,
  TransactionKind,
  TransactionNotified,
} from './transaction.events';
import { initialTransactionState, type TransactionState, type TransactionStatus } from './transaction.state';
import { unexpectedType } from './unexpected-type';

/** Stream of one card transaction lifecycle: `transaction-<lifecycleId>` (Antaca's `id`). */
export const transactionStream = (lifecycleId: string): string => `transaction-${lifecycleId}`;

/**
 * The Transaction decider: one lifecycle's history, told by the balance events that concern
 * it. It never decides money: the balance stream already did, and this records the outcome,
 * so it never refuses. Pure: no clock, no I/O.
 *
 * **Exactly once in effect.** Balance events reach it at least once (a reactor re-delivers
 * after a crash); a `sourceEventId` already recorded decides nothing, and every balance event
 * it accepts produces exactly one event carrying that id, so the check always has a trace.
 * Antaca's transaction notifications share the stream but not that check: they are recorded
 * once per notifier request (`request.idempotencyKey`), leave `appliedSourceEventIds` alone,
 * and never change the figures or the status the balance events give.
 */
export const transaction: Decider<TransactionCommand, TransactionState, TransactionEvent> = {
  initialState: initialTransactionState,
  evolve,
  decide,
};

// ---------------------------------------------------------------------------------------------
// decide

function decide(command: TransactionCommand, state: TransactionState): readonly TransactionEvent[] {
  switch (command.type) {
    case 'RecordBalanceOutcome': {
      if (state.appliedSourceEventIds.includes(command.sourceEventId)) return [];
      const routed = lifecycleOf(command.balanceEvent);
      // The reactor routes by the same function: anything else reaching here is a bug, not data.
      if (routed === undefined) {
        throw new Error(`Balance event ${command.sourceEventId} concerns no transaction lifecycle`);
      }
      if (state.lifecycleId !== null && state.lifecycleId !== routed.lifecycleId) {
        throw new Error(
          `Balance event ${command.sourceEventId} concerns lifecycle ${routed.lifecycleId}, not ${state.lifecycleId}`,
        );
      }
      const from = {
        sourceEventId: command.sourceEventId,
        balanceId: balanceIdOfStream(command.sourceStreamId),
        lifecycleId: routed.lifecycleId,
      };
      return [record(routed.balanceEvent, from, state)];
    }
    case 'RecordTransactionNotification':
      return decideNotification(command, state);
    default:
      return assertNever(command);
  }
}

function decideNotification(
  { notification }: RecordTransactionNotification,
  state: TransactionState,
): readonly TransactionEvent[] {
  if (notificationOutcomeOf(state, notification.request) !== 'none') return [];
  // The application names the stream after this id: anything else is a bug, not data.
  if (state.lifecycleId !== null && state.lifecycleId !== notification.lifecycleId) {
    throw new Error(
      `A notification about ${notification.lifecycleId} reached lifecycle ${state.lifecycleId}`,
    );
  }
  return [{ type: 'TransactionNotified', data: notification }];
}

/**
 * What the lifecycle recorded for a notifier request: `none` (not seen), `recorded` (a repeat:
 * answer as the first time) or `reused` (the key was recorded with another request's hash).
 */
export function notificationOutcomeOf(
  state: TransactionState,
  request: RequestRef,
): 'none' | 'recorded' | 'reused' {
  const seen = state.notificationRequests.find((known) => known.idempotencyKey === request.idempotencyKey);
  if (seen === undefined) return 'none';
  return seen.requestHash === request.requestHash ? 'recorded' : 'reused';
}

interface Source {
  readonly sourceEventId: string;
  readonly balanceId: string;
  readonly lifecycleId: string;
}

/** One balance event, one Transaction event (so every recorded source leaves its id behind). */
function record(event: LifecycleBalanceEvent, source: Source, state: TransactionState): TransactionEvent {
  switch (event.type) {
    case 'FundsHeld':
    case 'FundsCredited': {
      const kind: TransactionKind = event.type === 'FundsHeld' ? 'debit' : 'credit';
      const data = {
        ...source,
        transaction: event.data.transaction,
        kind,
        amountMinor: assertAmount(event.data.amountMinor),
        forced: event.data.forced,
      };
      return state.kind === null
        ? { type: 'TransactionAuthorized', data }
        : { type: 'TransactionAdjusted', data };
    }
    case 'FundsDebited': {
      const amountMinor = assertAmount(event.data.amountMinor);
      return {
        type: 'TransactionCleared',
        data: {
          ...source,
          transaction: event.data.transaction,
          settlement: 'direct-debit',
          heldMinor: 0,
          clearedMinor: amountMinor,
          debitedMinor: amountMinor,
          mismatch: false,
        },
      };
    }
    case 'TransactionCleared':
      return {
        type: 'TransactionCleared',
        data: {
          ...source,
          transaction: event.data.transaction,
          settlement: 'clearing',
          heldMinor: assertAmount(event.data.heldMinor),
          clearedMinor: assertAmount(event.data.clearedMinor),
          debitedMinor: 0,
          mismatch: event.data.mismatch,
        },
      };
    case 'HoldReleased': {
      const releasedMinor = assertAmount(event.data.amountMinor);
      const { cause } = event.data;
      return {
        type: 'TransactionReversed',
        data: {
          ...source,
          transaction: event.data.transaction,
          cause,
          releasedMinor,
          creditReversedMinor: 0,
          // Mirrors the balance: only a force-credit REVERSED can release part of a hold.
          partial: cause === 'force-credit-reversed' && state.heldMinor - releasedMinor > 0,
        },
      };
    }
    case 'CreditReversed':
      return {
        type: 'TransactionReversed',
        data: {
          ...source,
          transaction: event.data.transaction,
          cause: 'reversal',
          releasedMinor: 0,
          creditReversedMinor: assertAmount(event.data.amountMinor),
          partial: false,
        },
      };
    case 'ReversalRecorded': {
      const { outcome, transaction } = event.data;
      if (outcome === 'tombstone') return { type: 'TransactionTombstoned', data: { ...source, transaction } };
      return { type: 'TransactionReversalRecorded', data: { ...source, transaction, outcome } };
    }
    case 'DebitIgnoredAfterReversal':
      return {
        type: 'TransactionAuthorizationIgnored',
        data: { ...source, transaction: event.data.transaction },
      };
    case 'RequestRefused': {
      const { transaction, command, reason, detail } = event.data;
      // lifecycleOf() routes a refusal only when it names a card transaction.
      if (transaction === undefined) throw new Error(`Refusal ${source.sourceEventId} names no transaction`);
      return { type: 'TransactionDeclined', data: { ...source, transaction, command, reason, detail } };
    }
    case 'ForcedRequestSuspended': {
      const { transaction, command, reason } = event.data;
      return { type: 'TransactionSuspended', data: { ...source, transaction, command, reason } };
    }
    default:
      return unexpectedType(event);
  }
}

/** Amounts come from recorded balance events; a broken one is a bug to stop on, not to copy. */
function assertAmount(amountMinor: number): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(`Amount must be a non-negative safe integer, got ${amountMinor}`);
  }
  return amountMinor;
}

// ---------------------------------------------------------------------------------------------
// evolve

/** Total and deterministic: the figures come from the events as recorded. */
function evolve(state: TransactionState, event: TransactionEvent): TransactionState {
  return event.type === 'TransactionNotified'
    ? evolveNotified(state, event.data)
    : evolveBalanceOutcome(state, event);
}

function evolveNotified(state: TransactionState, data: TransactionNotified['data']): TransactionState {
  const { status, date, description } = data;
  return {
    ...state,
    lifecycleId: data.lifecycleId,
    notified: isNewer(date, state.notified?.date) ? { status, date, description } : state.notified,
    notificationRequests: [...state.notificationRequests, data.request],
  };
}

/**
 * Notifications arrive in any order; the one dated last is Antaca's latest word. An undated
 * one (its `date` failed validation) counts only when nothing dated came before it.
 */
function isNewer(date: string | null, current: string | null | undefined): boolean {
  if (current === undefined) return true;
  if (date === null) return current === null;
  return current === null || Date.parse(date) >= Date.parse(current);
}

function evolveBalanceOutcome(state: TransactionState, event: BalanceOutcomeEvent): TransactionState {
  const { data } = event;
  const next: TransactionState = {
    ...state,
    lifecycleId: data.lifecycleId,
    balanceIds: appendOnce(state.balanceIds, data.balanceId),
    transactionIds: appendOnce(state.transactionIds, data.transaction.transactionId),
    appliedSourceEventIds: [...state.appliedSourceEventIds, data.sourceEventId],
  };
  switch (event.type) {
    case 'TransactionAuthorized':
    case 'TransactionAdjusted': {
      const { kind, amountMinor } = event.data;
      const figures =
        kind === 'debit'
          ? { authorizedMinor: next.authorizedMinor + amountMinor, heldMinor: next.heldMinor + amountMinor }
          : { creditedMinor: next.creditedMinor + amountMinor };
      // An incremental authorization neither reopens nor settles the lifecycle.
      const status = event.type === 'TransactionAuthorized' ? 'AUTHORIZED' : next.status;
      return { ...next, ...figures, status, kind: next.kind ?? kind };
    }
    case 'TransactionCleared': {
      const { heldMinor, clearedMinor, debitedMinor, mismatch, settlement } = event.data;
      return {
        ...next,
        status: 'CLEARED',
        kind: next.kind ?? (settlement === 'direct-debit' ? 'debit' : null),
        heldMinor: next.heldMinor - heldMinor,
        debitedMinor: next.debitedMinor + debitedMinor,
        clearedMinor: next.clearedMinor ?? clearedMinor,
        mismatch: next.mismatch || mismatch,
      };
    }
    case 'TransactionReversed': {
      const { releasedMinor, creditReversedMinor, partial } = event.data;
      return {
        ...next,
        status: partial ? next.status : 'REVERSED',
        heldMinor: next.heldMinor - releasedMinor,
        creditedMinor: next.creditedMinor - creditReversedMinor,
      };
    }
    case 'TransactionDeclined': {
      const { command, reason } = event.data;
      // A refused incremental authorization leaves the earlier ones standing; a refused
      // clearing is not a declined transaction.
      const declines = (command === 'Debit' || command === 'Credit') && isUndecided(next.status);
      return {
        ...next,
        status: declines ? 'DECLINED' : next.status,
        lastRefusal: { command, reason },
      };
    }
    case 'TransactionTombstoned':
      return { ...next, tombstoned: true, status: isUndecided(next.status) ? 'REVERSED' : next.status };
    case 'TransactionAuthorizationIgnored':
      return { ...next, kind: next.kind ?? 'debit' };
    case 'TransactionReversalRecorded':
      return next;
    case 'TransactionSuspended':
      return { ...next, suspendedRequests: next.suspendedRequests + 1 };
    default:
      return unexpectedType(event);
  }
}

/** Nothing accepted on this `id` yet: a decline or a tombstone may still say what it is. */
function isUndecided(status: TransactionStatus | null): boolean {
  return status === null || status === 'DECLINED';
}

function appendOnce(values: readonly string[], value: string | null): readonly string[] {
  return value === null || values.includes(value) ? values : [...values, value];
}
