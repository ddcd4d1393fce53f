import { assertNever, type Decider, type RequestRef } from '@app/shared-kernel';
import type { CardTransaction } from './card-transaction';
import type { Refusal, RefusalReason } from './refusal';
import type {
  Clear,
  Credit,
  Debit,
  ForceCredit,
  ForceDebit,
  LinkBalance,
  OperatorCredit,
  OperatorDebit,
  Reverse,
  UnlinkBalance,
  UserBalanceCommand,
} from './user-balance.commands';
import type { ForcedRequestSuspended, RequestRefused, UserBalanceEvent } from './user-balance.events';
import {
  availableMinor,
  initialUserBalanceState,
  isOpen,
  type Lifecycle,
  type UserBalanceState,
} from './user-balance.state';
import { evolveUserBalance } from './user-balance.evolve';

/**
 * The UserBalance decider (stream `balance-<balanceId>`): External Balance money rules of
 * DOMAIN.md sections 2, 3 and 5. Pure: no clock, no I/O; rules 3-5 (locks, KYC, limits) come
 * in decided, as the command's `policyRefusal`.
 *
 * **Ownership of the state.** The whole stream is folded on every command, so `evolve` must
 * be O(1) per event: it updates the state it is given in place (its collections included) and
 * returns that same object. The state passed to `evolve` is owned by the fold, like a
 * reducer's accumulator: once it has been given to `evolve`, neither it nor anything read
 * from its collections may be used again; use the returned state. `initialState()` returns a
 * new state with new collections on every call, so two folds never share anything.
 * `decide` and `outcomeOf` only read. A state must come from `initialState()` and `evolve`
 * (never built by hand): `evolve` relies on its collections being real `Map`s.
 *
 * **Idempotency.** A command whose idempotency key is already recorded decides nothing;
 * `outcomeOf` then tells the recorded answer (same hash) or a reuse (other hash). Every event
 * records its request's outcome under its key, refusals included, so a retry is answered the
 * same way after the state moved on (DOMAIN.md 3).
 */
export const userBalance: Decider<UserBalanceCommand, UserBalanceState, UserBalanceEvent> = {
  initialState: initialUserBalanceState,
  evolve: evolveUserBalance,
  decide,
};

/** How the application answers a request after `handle()`. */
export type RequestOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'accepted' }
  | { readonly kind: 'refused'; readonly refusal: Refusal }
  | { readonly kind: 'reused' };

/**
 * The recorded answer to `request`: `none` when its key was never recorded (a command that
 * decided nothing, e.g. linking the same balance again: a no-op 204), the recorded outcome
 * for the same key and hash, `reused` for the same key with another hash
 * (422 `IDEMPOTENCY_KEY_REUSED`).
 */
export function outcomeOf(state: UserBalanceState, request: RequestRef): RequestOutcome {
  const recorded = state.requests.get(request.idempotencyKey);
  if (recorded === undefined) return { kind: 'none' };
  if (recorded.requestHash !== request.requestHash) return { kind: 'reused' };
  return recorded.outcome;
}

// ---------------------------------------------------------------------------------------------
// decide

function decide(command: UserBalanceCommand, state: UserBalanceState): readonly UserBalanceEvent[] {
  // Processed at most once, ever: the application answers from `outcomeOf`.
  if (state.requests.has(command.request.idempotencyKey)) return [];
  switch (command.type) {
    case 'LinkBalance':
      return decideLink(command, state);
    case 'UnlinkBalance':
      return decideUnlink(command, state);
    case 'Debit':
      return decideDebit(command, state);
    case 'ForceDebit':
      return decideForceDebit(command, state);
    case 'Credit':
      return decideCredit(command, state);
    case 'ForceCredit':
      return decideForceCredit(command, state);
    case 'Reverse':
      return decideReverse(command, state);
    case 'Clear':
      return decideClear(command, state);
    case 'OperatorCredit':
      return decideOperatorCredit(command, state);
    case 'OperatorDebit':
      return decideOperatorDebit(command, state);
    default:
      return assertNever(command);
  }
}

function decideLink(command: LinkBalance, state: UserBalanceState): UserBalanceEvent[] {
  if (!command.userKnown) return [refused(command, 'USER_NOT_FOUND', `User ${command.userId} is not known`)];
  if (state.status === 'linked') {
    if (state.userId === command.userId && state.currency === command.currency) return [];
    const detail =
      state.userId !== command.userId
        ? `Balance ${command.balanceId} is already linked to another user`
        : `Balance ${command.balanceId} is already linked in ${state.currency}, not ${command.currency}`;
    return [refused(command, 'CLIENT_ERROR', detail)];
  }
  return [
    {
      type: 'BalanceLinked',
      data: {
        request: command.request,
        balanceId: command.balanceId,
        userId: command.userId,
        currency: command.currency,
      },
    },
  ];
}

function decideUnlink(command: UnlinkBalance, state: UserBalanceState): UserBalanceEvent[] {
  if (state.status !== 'linked') return [refused(command, 'BALANCE_NOT_FOUND', balanceNotFound(state))];
  if (state.userId !== command.userId) {
    return [
      refused(command, 'FORBIDDEN', `Balance ${state.balanceId} does not belong to user ${command.userId}`),
    ];
  }
  if (state.bookedMinor !== 0 || state.holdsMinor !== 0) {
    const detail = `Balance ${state.balanceId} is not empty: booked ${state.bookedMinor}, holds ${state.holdsMinor} ${state.currency}`;
    return [refused(command, 'BALANCE_NOT_EMPTY', detail)];
  }
  return [{ type: 'BalanceUnlinked', data: { request: command.request, userId: command.userId } }];
}

/** DOMAIN.md 5 in its order: unknown balance, currency, rules 3-5, (tombstone), funds. */
function decideDebit(command: Debit, state: UserBalanceState): UserBalanceEvent[] {
  const amountMinor = assertAmount(command.transaction.amountMinor);
  if (state.status !== 'linked') return [refused(command, 'BALANCE_NOT_FOUND', balanceNotFound(state))];
  if (command.transaction.currency !== state.currency) {
    return [refused(command, 'CLIENT_ERROR', currencyDiffers(command.transaction, state))];
  }
  if (command.policyRefusal !== null) {
    return [refused(command, command.policyRefusal.reason, command.policyRefusal.detail)];
  }
  if (reversedBeforeArrival(state, command.transaction)) {
    return [{ type: 'DebitIgnoredAfterReversal', data: fromCard(command) }];
  }
  const available = availableMinor(state);
  if (available < amountMinor) {
    const detail = `Available ${available} is less than ${amountMinor} ${state.currency}`;
    return [refused(command, 'INSUFFICIENT_FUNDS', detail)];
  }
  return [{ type: 'FundsHeld', data: { ...fromCard(command), amountMinor, forced: false } }];
}

/** Never refuses: the money already moved at Antaca. */
function decideForceDebit(command: ForceDebit, state: UserBalanceState): UserBalanceEvent[] {
  const amountMinor = assertAmount(command.transaction.amountMinor);
  const cannotApply = whyForcedCannotApply(command, state);
  if (cannotApply !== null) return [suspended(command, cannotApply)];
  const { transaction } = command;
  const lifecycle = state.lifecycles.get(transaction.lifecycleId);
  switch (transaction.status) {
    case 'AUTHORIZED':
      if (reversedBeforeArrival(state, transaction)) {
        return [{ type: 'DebitIgnoredAfterReversal', data: fromCard(command) }];
      }
      return [{ type: 'FundsHeld', data: { ...fromCard(command), amountMinor, forced: true } }];
    case 'CLEARED':
      // The settlement of a lifecycle that still holds money is its clearing: booking the
      // amount on top of the hold would charge the cardholder twice.
      if (lifecycle !== undefined && !lifecycle.cleared && lifecycle.heldMinor > 0) {
        return [clearing(command, lifecycle, amountMinor)];
      }
      return [{ type: 'FundsDebited', data: { ...fromCard(command), amountMinor } }];
    default:
      return [suspended(command, `force-debit with status ${transaction.status} cannot be applied`)];
  }
}

function decideCredit(command: Credit, state: UserBalanceState): UserBalanceEvent[] {
  const amountMinor = assertAmount(command.transaction.amountMinor);
  if (state.status !== 'linked') return [refused(command, 'BALANCE_NOT_FOUND', balanceNotFound(state))];
  if (command.transaction.currency !== state.currency) {
    return [refused(command, 'CLIENT_ERROR', currencyDiffers(command.transaction, state))];
  }
  if (command.policyRefusal !== null) {
    return [refused(command, command.policyRefusal.reason, command.policyRefusal.detail)];
  }
  return [{ type: 'FundsCredited', data: { ...fromCard(command), amountMinor, forced: false } }];
}

/**
 * Never refuses. A force-credit REVERSED is how Antaca reverses an authorized debit (seeds,
 * Transactions Flow): it releases that debit's hold instead of adding money, so no phantom
 * hold is left; what exceeds the hold is credited.
 */
function decideForceCredit(command: ForceCredit, state: UserBalanceState): UserBalanceEvent[] {
  const amountMinor = assertAmount(command.transaction.amountMinor);
  const cannotApply = whyForcedCannotApply(command, state);
  if (cannotApply !== null) return [suspended(command, cannotApply)];
  const { transaction } = command;
  const events: UserBalanceEvent[] = [];
  let creditMinor = amountMinor;
  if (transaction.status === 'REVERSED') {
    const reversed = matchLifecycle(state, transaction.lifecycleId, [transaction.referenceTransactionId]);
    if (reversed !== undefined && !reversed.cleared && reversed.heldMinor > 0) {
      const releaseMinor = Math.min(amountMinor, reversed.heldMinor);
      events.push({
        type: 'HoldReleased',
        data: {
          ...fromCard(command),
          lifecycleId: reversed.lifecycleId,
          amountMinor: releaseMinor,
          cause: 'force-credit-reversed',
        },
      });
      creditMinor = amountMinor - releaseMinor;
    }
  }
  if (events.length === 0 || creditMinor > 0) {
    events.push({
      type: 'FundsCredited',
      data: { ...fromCard(command), amountMinor: creditMinor, forced: true },
    });
  }
  return events;
}

/**
 * Never refuses, always 204. Undoes an uncleared transaction (the request's amount is not
 * used: the lifecycle's own figures are undone); a cleared one is only recorded (refunds come
 * as force-credit); an unknown one leaves a tombstone.
 */
function decideReverse(command: Reverse, state: UserBalanceState): UserBalanceEvent[] {
  if (state.status !== 'linked') return [suspended(command, balanceNotFound(state))];
  const { transaction } = command;
  const lifecycle = matchLifecycle(state, transaction.lifecycleId, [
    transaction.referenceTransactionId,
    transaction.transactionId,
  ]);
  if (lifecycle === undefined) return [reversalRecorded(command, transaction.lifecycleId, 'tombstone')];
  if (lifecycle.cleared) return [reversalRecorded(command, lifecycle.lifecycleId, 'already-cleared')];
  if (lifecycle.reversed) return [reversalRecorded(command, lifecycle.lifecycleId, 'already-reversed')];

  const events: UserBalanceEvent[] = [];
  // A debit is undone by releasing what it still holds (all of its incremental authorizations),
  // even 0, so that the lifecycle is marked reversed.
  if (lifecycle.kind !== 'credit' || lifecycle.heldMinor > 0) {
    events.push({
      type: 'HoldReleased',
      data: {
        ...fromCard(command),
        lifecycleId: lifecycle.lifecycleId,
        amountMinor: lifecycle.heldMinor,
        cause: 'reversal',
      },
    });
  }
  if (lifecycle.kind === 'credit' || lifecycle.creditedMinor > 0) {
    events.push({
      type: 'CreditReversed',
      data: {
        ...fromCard(command),
        lifecycleId: lifecycle.lifecycleId,
        amountMinor: lifecycle.creditedMinor,
      },
    });
  }
  return events;
}

/** No movement of available: the outstanding hold becomes booked. */
function decideClear(command: Clear, state: UserBalanceState): UserBalanceEvent[] {
  const amountMinor = assertAmount(command.transaction.amountMinor);
  const notFound = `No transaction ${command.transaction.lifecycleId} or ${command.pathTransactionId} on this balance`;
  if (state.status !== 'linked') return [refused(command, 'TRANSACTION_NOT_FOUND', notFound)];
  const lifecycle = matchLifecycle(state, command.transaction.lifecycleId, [command.pathTransactionId]);
  if (lifecycle === undefined) return [refused(command, 'TRANSACTION_NOT_FOUND', notFound)];
  return [clearing(command, lifecycle, amountMinor)];
}

function decideOperatorCredit(command: OperatorCredit, state: UserBalanceState): UserBalanceEvent[] {
  const amountMinor = assertAmount(command.amountMinor);
  if (state.status !== 'linked') return [refused(command, 'BALANCE_NOT_FOUND', balanceNotFound(state))];
  const { request, reason, reference } = command;
  return [{ type: 'OperatorCredited', data: { request, amountMinor, reason, reference } }];
}

function decideOperatorDebit(command: OperatorDebit, state: UserBalanceState): UserBalanceEvent[] {
  const amountMinor = assertAmount(command.amountMinor);
  if (state.status !== 'linked') return [refused(command, 'BALANCE_NOT_FOUND', balanceNotFound(state))];
  const available = availableMinor(state);
  if (available < amountMinor) {
    const detail = `Available ${available} is less than ${amountMinor} ${state.currency}`;
    return [refused(command, 'INSUFFICIENT_FUNDS', detail)];
  }
  const { request, reason, reference } = command;
  return [{ type: 'OperatorDebited', data: { request, amountMinor, reason, reference } }];
}

// ---------------------------------------------------------------------------------------------
// decide: helpers

type CardCommand = Debit | ForceDebit | Credit | ForceCredit | Reverse | Clear;

/**
 * DOMAIN.md 2, matching a transaction: by lifecycle `id` first (whatever its state, so a
 * reference never reaches into another lifecycle when the `id` is known); otherwise by each
 * network id in turn among this balance's lifecycles, preferring the most recent open one,
 * then the most recent at all (so a repeat is recorded rather than lost).
 */
function matchLifecycle(
  state: UserBalanceState,
  lifecycleId: string,
  networkIds: readonly (string | null)[],
): Lifecycle | undefined {
  const byId = state.lifecycles.get(lifecycleId);
  if (byId !== undefined) return byId;
  for (const networkId of networkIds) {
    if (networkId === null) continue;
    const candidates = (state.lifecycleIdsByTransactionId.get(networkId) ?? [])
      .map((id) => state.lifecycles.get(id))
      .filter((lifecycle): lifecycle is Lifecycle => lifecycle !== undefined);
    const mostRecent = candidates.findLast(isOpen) ?? candidates.at(-1);
    if (mostRecent !== undefined) return mostRecent;
  }
  return undefined;
}

/** A debit whose lifecycle was reversed (or tombstoned) before it arrived must hold nothing. */
function reversedBeforeArrival(state: UserBalanceState, transaction: CardTransaction): boolean {
  const lifecycle = state.lifecycles.get(transaction.lifecycleId);
  return lifecycle !== undefined && (lifecycle.tombstone || lifecycle.reversed);
}

function whyForcedCannotApply(command: ForceDebit | ForceCredit, state: UserBalanceState): string | null {
  if (state.status !== 'linked') return balanceNotFound(state);
  if (command.transaction.currency !== state.currency) return currencyDiffers(command.transaction, state);
  return null;
}

/**
 * Clearing (or a force-debit CLEARED of a held lifecycle): its outstanding hold becomes
 * booked. The cleared amount is compared with what the lifecycle holds (a credit: with what
 * it credited); a difference is flagged for reconciliation, never moved. A lifecycle already
 * cleared or reversed moves nothing more, and only an exact repeat of its clearing is not a
 * mismatch.
 */
function clearing(command: Clear | ForceDebit, lifecycle: Lifecycle, clearedMinor: number): UserBalanceEvent {
  const heldMinor = lifecycle.heldMinor;
  let mismatch: boolean;
  if (lifecycle.cleared) mismatch = heldMinor !== 0 || lifecycle.clearedMinor !== clearedMinor;
  else if (lifecycle.reversed) mismatch = true;
  else mismatch = clearedMinor !== (lifecycle.kind === 'credit' ? lifecycle.creditedMinor : heldMinor);
  return {
    type: 'TransactionCleared',
    data: { ...fromCard(command), lifecycleId: lifecycle.lifecycleId, heldMinor, clearedMinor, mismatch },
  };
}

function reversalRecorded(
  command: Reverse,
  lifecycleId: string,
  outcome: 'already-cleared' | 'already-reversed' | 'tombstone',
): UserBalanceEvent {
  return { type: 'ReversalRecorded', data: { ...fromCard(command), lifecycleId, outcome } };
}

function suspended(command: ForceDebit | ForceCredit | Reverse, reason: string): ForcedRequestSuspended {
  return { type: 'ForcedRequestSuspended', data: { ...fromCard(command), command: command.type, reason } };
}

function refused(command: UserBalanceCommand, reason: RefusalReason, detail: string): RequestRefused {
  const base = { request: command.request, reason, detail, command: command.type };
  if (!isCardCommand(command)) return { type: 'RequestRefused', data: base };
  return { type: 'RequestRefused', data: { ...base, transaction: command.transaction, body: command.body } };
}

function isCardCommand(command: UserBalanceCommand): command is CardCommand {
  return 'transaction' in command;
}

function fromCard(command: CardCommand) {
  return { request: command.request, transaction: command.transaction, body: command.body };
}

function balanceNotFound(state: UserBalanceState): string {
  if (state.status === 'unlinked') return `Balance ${state.balanceId} is not linked`;
  return 'Balance not found';
}

function currencyDiffers(transaction: CardTransaction, state: UserBalanceState): string {
  return `Currency ${transaction.currency} differs from the balance's currency ${state.currency}`;
}

/** Amounts are validated at the edge; one that reaches the domain broken is a bug, not a request. */
function assertAmount(amountMinor: number): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(`Amount must be a non-negative safe integer, got ${amountMinor}`);
  }
  return amountMinor;
}
