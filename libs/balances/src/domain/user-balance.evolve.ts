import { assertNever } from '@app/shared-kernel';
import type { UserBalanceEvent } from './user-balance.events';
import type {
  BalanceStatus,
  Lifecycle,
  LifecycleKind,
  RecordedRequest,
  UserBalanceState,
} from './user-balance.state';

/**
 * `evolve` of the UserBalance decider (see `userBalance` for the ownership rule: the state
 * given here is updated in place and must not be used again).
 */
/** The writable view `evolve` has of the state it owns (see `userBalance`). */
interface OwnedState {
  status: BalanceStatus;
  balanceId: string | null;
  userId: string | null;
  currency: string | null;
  bookedMinor: number;
  holdsMinor: number;
  lifecycles: Map<string, Lifecycle>;
  lifecycleIdsByTransactionId: Map<string, string[]>;
  requests: Map<string, RecordedRequest>;
}

/**
 * Applies the event's figures exactly as recorded: events are facts, and a replay must give
 * the same figures every time (the independent fold of the property test checks this).
 */
export function evolveUserBalance(state: UserBalanceState, event: UserBalanceEvent): UserBalanceState {
  // The fold owns `state` and everything in it, and only initialState() and evolve() build
  // states, so its collections are real Maps and arrays: writing through them is safe.
  const s = state as unknown as OwnedState;
  recordOutcome(s, event);
  switch (event.type) {
    case 'BalanceLinked':
      s.status = 'linked';
      s.balanceId = event.data.balanceId;
      s.userId = event.data.userId;
      s.currency = event.data.currency;
      break;
    case 'BalanceUnlinked':
      s.status = 'unlinked';
      break;
    case 'RequestRefused':
    case 'ForcedRequestSuspended':
      break;
    case 'FundsHeld': {
      const { amountMinor, transaction } = event.data;
      updateLifecycle(s, transaction.lifecycleId, 'debit', transaction.transactionId, (lifecycle) => ({
        ...lifecycle,
        heldMinor: lifecycle.heldMinor + amountMinor,
        authorizedMinor: lifecycle.authorizedMinor + amountMinor,
      }));
      s.holdsMinor += amountMinor;
      break;
    }
    case 'DebitIgnoredAfterReversal': {
      const { transaction } = event.data;
      updateLifecycle(
        s,
        transaction.lifecycleId,
        'debit',
        transaction.transactionId,
        (lifecycle) => lifecycle,
      );
      break;
    }
    case 'FundsDebited': {
      const { amountMinor, transaction } = event.data;
      updateLifecycle(s, transaction.lifecycleId, 'debit', transaction.transactionId, (lifecycle) => ({
        ...lifecycle,
        debitedMinor: lifecycle.debitedMinor + amountMinor,
        cleared: true,
        clearedMinor: lifecycle.clearedMinor ?? amountMinor,
      }));
      s.bookedMinor -= amountMinor;
      break;
    }
    case 'FundsCredited': {
      const { amountMinor, transaction } = event.data;
      updateLifecycle(s, transaction.lifecycleId, 'credit', transaction.transactionId, (lifecycle) => ({
        ...lifecycle,
        creditedMinor: lifecycle.creditedMinor + amountMinor,
      }));
      s.bookedMinor += amountMinor;
      break;
    }
    case 'HoldReleased': {
      const { amountMinor, lifecycleId, cause } = event.data;
      updateLifecycle(s, lifecycleId, null, null, (lifecycle) => {
        const heldMinor = lifecycle.heldMinor - amountMinor;
        // A force-credit REVERSED may release part of a hold (a partial reversal): the rest
        // stays authorized until cleared or reversed.
        const reversed = lifecycle.reversed || cause === 'reversal' || heldMinor === 0;
        return { ...lifecycle, heldMinor, reversed };
      });
      s.holdsMinor -= amountMinor;
      break;
    }
    case 'CreditReversed': {
      const { amountMinor, lifecycleId } = event.data;
      updateLifecycle(s, lifecycleId, null, null, (lifecycle) => ({
        ...lifecycle,
        creditedMinor: lifecycle.creditedMinor - amountMinor,
        reversed: true,
      }));
      s.bookedMinor -= amountMinor;
      break;
    }
    case 'ReversalRecorded':
      if (event.data.outcome === 'tombstone') {
        updateLifecycle(s, event.data.lifecycleId, null, null, (lifecycle) => ({
          ...lifecycle,
          tombstone: true,
          reversed: true,
        }));
      }
      break;
    case 'TransactionCleared': {
      const { heldMinor, clearedMinor, lifecycleId } = event.data;
      updateLifecycle(s, lifecycleId, null, null, (lifecycle) => ({
        ...lifecycle,
        heldMinor: lifecycle.heldMinor - heldMinor,
        cleared: true,
        clearedMinor: lifecycle.cleared ? lifecycle.clearedMinor : clearedMinor,
      }));
      s.holdsMinor -= heldMinor;
      s.bookedMinor -= heldMinor;
      break;
    }
    case 'OperatorCredited':
      s.bookedMinor += event.data.amountMinor;
      break;
    case 'OperatorDebited':
      s.bookedMinor -= event.data.amountMinor;
      break;
    default:
      return assertNever(event);
  }
  return state;
}

/** The first event of a request records its outcome; the rest of that request's events agree. */
function recordOutcome(s: OwnedState, event: UserBalanceEvent): void {
  const { request } = event.data;
  if (s.requests.has(request.idempotencyKey)) return;
  s.requests.set(request.idempotencyKey, {
    requestHash: request.requestHash,
    outcome:
      event.type === 'RequestRefused'
        ? { kind: 'refused', refusal: { reason: event.data.reason, detail: event.data.detail } }
        : { kind: 'accepted' },
  });
}

/**
 * Replaces one lifecycle (lifecycles themselves are immutable values), creating it on its
 * first event. `kind` is set by the first event that knows it; `transactionId` is a network
 * id this event saw on the lifecycle, indexed for matching by reference.
 */
function updateLifecycle(
  s: OwnedState,
  lifecycleId: string,
  kind: LifecycleKind | null,
  transactionId: string | null,
  change: (lifecycle: Lifecycle) => Lifecycle,
): void {
  let lifecycle = s.lifecycles.get(lifecycleId) ?? newLifecycle(lifecycleId, s.lifecycles.size);
  if (lifecycle.kind === null && kind !== null) lifecycle = { ...lifecycle, kind };
  if (transactionId !== null && !lifecycle.transactionIds.includes(transactionId)) {
    lifecycle = { ...lifecycle, transactionIds: [...lifecycle.transactionIds, transactionId] };
    const ids = s.lifecycleIdsByTransactionId.get(transactionId);
    if (ids === undefined) s.lifecycleIdsByTransactionId.set(transactionId, [lifecycleId]);
    else ids.push(lifecycleId);
  }
  s.lifecycles.set(lifecycleId, change(lifecycle));
}

function newLifecycle(lifecycleId: string, arrival: number): Lifecycle {
  return {
    lifecycleId,
    kind: null,
    heldMinor: 0,
    authorizedMinor: 0,
    creditedMinor: 0,
    debitedMinor: 0,
    cleared: false,
    clearedMinor: null,
    reversed: false,
    tombstone: false,
    transactionIds: [],
    arrival,
  };
}
