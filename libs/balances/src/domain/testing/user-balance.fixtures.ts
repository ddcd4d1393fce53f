import type { CardTransaction } from '../card-transaction';
import type { PolicyRefusal, RefusalReason } from '../refusal';
import type { RequestRef } from '@app/shared-kernel';
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
} from '../user-balance.commands';
import type {
  BalanceLinked,
  BalanceUnlinked,
  CreditReversed,
  DebitIgnoredAfterReversal,
  ForcedRequestSuspended,
  FundsCredited,
  FundsDebited,
  FundsHeld,
  HoldReleased,
  OperatorCredited,
  OperatorDebited,
  RequestRefused,
  ReversalRecorded,
  TransactionCleared,
} from '../user-balance.events';

/** Commands and the events they produce, for given/when/then specs of the UserBalance decider. */

export const BALANCE_ID = '2e520dc2-329d-11ed-a261-0242ac120002';
export const USER_ID = '111';
export const CURRENCY = 'PLN';

let requests = 0;

/** A fresh idempotency key and hash, unless given. */
export function requestRef(idempotencyKey?: string, requestHash?: string): RequestRef {
  requests += 1;
  return {
    idempotencyKey: idempotencyKey ?? `key-${requests}`,
    requestHash: requestHash ?? `hash-${requests}`,
  };
}

export function cardTransaction(overrides: Partial<CardTransaction> = {}): CardTransaction {
  return {
    lifecycleId: 'lifecycle-1',
    transactionId: 'network-1',
    referenceTransactionId: null,
    type: 'pos',
    amountMinor: 100,
    currency: CURRENCY,
    status: 'AUTHORIZED',
    cardId: '222',
    ...overrides,
  };
}

interface CardOptions {
  readonly request?: RequestRef;
}

function cardRequest(transaction: Partial<CardTransaction>, options: CardOptions) {
  const parsed = cardTransaction(transaction);
  return {
    request: options.request ?? requestRef(),
    transaction: parsed,
    body: {
      id: parsed.lifecycleId,
      amount: parsed.amountMinor,
      currency: parsed.currency,
      status: parsed.status,
    },
  };
}

// --- commands ---------------------------------------------------------------------------------

export function linkBalance(overrides: Partial<Omit<LinkBalance, 'type'>> = {}): LinkBalance {
  return {
    type: 'LinkBalance',
    request: requestRef(),
    balanceId: BALANCE_ID,
    userId: USER_ID,
    currency: CURRENCY,
    userKnown: true,
    ...overrides,
  };
}

export function unlinkBalance(overrides: Partial<Omit<UnlinkBalance, 'type'>> = {}): UnlinkBalance {
  return { type: 'UnlinkBalance', request: requestRef(), userId: USER_ID, ...overrides };
}

export function debit(
  transaction: Partial<CardTransaction> = {},
  options: CardOptions & { readonly policyRefusal?: PolicyRefusal } = {},
): Debit {
  return {
    type: 'Debit',
    ...cardRequest(transaction, options),
    policyRefusal: options.policyRefusal ?? null,
  };
}

export function forceDebit(
  transaction: Partial<CardTransaction> = {},
  options: CardOptions = {},
): ForceDebit {
  return { type: 'ForceDebit', ...cardRequest(transaction, options) };
}

export function credit(
  transaction: Partial<CardTransaction> = {},
  options: CardOptions & { readonly policyRefusal?: PolicyRefusal } = {},
): Credit {
  return {
    type: 'Credit',
    ...cardRequest({ type: 'adjustment', ...transaction }, options),
    policyRefusal: options.policyRefusal ?? null,
  };
}

export function forceCredit(
  transaction: Partial<CardTransaction> = {},
  options: CardOptions = {},
): ForceCredit {
  return { type: 'ForceCredit', ...cardRequest({ type: 'adjustment', ...transaction }, options) };
}

export function reverse(transaction: Partial<CardTransaction> = {}, options: CardOptions = {}): Reverse {
  return { type: 'Reverse', ...cardRequest(transaction, options) };
}

export function clear(
  transaction: Partial<CardTransaction> = {},
  options: CardOptions & { readonly pathTransactionId?: string } = {},
): Clear {
  const request = cardRequest({ status: 'CLEARED', ...transaction }, options);
  return {
    type: 'Clear',
    ...request,
    pathTransactionId: options.pathTransactionId ?? request.transaction.transactionId ?? 'unknown',
  };
}

export function operatorCredit(amountMinor: number, request: RequestRef = requestRef()): OperatorCredit {
  return { type: 'OperatorCredit', request, amountMinor, reason: 'incoming transfer', reference: 'TR-1' };
}

export function operatorDebit(amountMinor: number, request: RequestRef = requestRef()): OperatorDebit {
  return { type: 'OperatorDebit', request, amountMinor, reason: 'fee', reference: 'FEE-1' };
}

// --- events -----------------------------------------------------------------------------------

type CardCommand = Debit | ForceDebit | Credit | ForceCredit | Reverse | Clear;

function fromCard(command: CardCommand) {
  return { request: command.request, transaction: command.transaction, body: command.body };
}

export function balanceLinked(command: LinkBalance = linkBalance()): BalanceLinked {
  const { request, balanceId, userId, currency } = command;
  return { type: 'BalanceLinked', data: { request, balanceId, userId, currency } };
}

export function balanceUnlinked(command: UnlinkBalance = unlinkBalance()): BalanceUnlinked {
  return { type: 'BalanceUnlinked', data: { request: command.request, userId: command.userId } };
}

export function requestRefused(
  command: UserBalanceCommand,
  reason: RefusalReason,
  detail: string,
): RequestRefused {
  const data = { request: command.request, reason, detail, command: command.type };
  if (!('transaction' in command)) return { type: 'RequestRefused', data };
  return { type: 'RequestRefused', data: { ...data, transaction: command.transaction, body: command.body } };
}

export function fundsHeld(
  command: Debit | ForceDebit,
  amountMinor = command.transaction.amountMinor,
): FundsHeld {
  return {
    type: 'FundsHeld',
    data: { ...fromCard(command), amountMinor, forced: command.type === 'ForceDebit' },
  };
}

export function debitIgnoredAfterReversal(command: Debit | ForceDebit): DebitIgnoredAfterReversal {
  return { type: 'DebitIgnoredAfterReversal', data: fromCard(command) };
}

export function fundsDebited(command: ForceDebit): FundsDebited {
  return {
    type: 'FundsDebited',
    data: { ...fromCard(command), amountMinor: command.transaction.amountMinor },
  };
}

export function fundsCredited(
  command: Credit | ForceCredit,
  amountMinor = command.transaction.amountMinor,
): FundsCredited {
  return {
    type: 'FundsCredited',
    data: { ...fromCard(command), amountMinor, forced: command.type === 'ForceCredit' },
  };
}

export function holdReleased(
  command: Reverse | ForceCredit,
  lifecycleId: string,
  amountMinor: number,
): HoldReleased {
  const cause = command.type === 'Reverse' ? 'reversal' : 'force-credit-reversed';
  return { type: 'HoldReleased', data: { ...fromCard(command), lifecycleId, amountMinor, cause } };
}

export function creditReversed(command: Reverse, lifecycleId: string, amountMinor: number): CreditReversed {
  return { type: 'CreditReversed', data: { ...fromCard(command), lifecycleId, amountMinor } };
}

export function reversalRecorded(
  command: Reverse,
  lifecycleId: string,
  outcome: ReversalRecorded['data']['outcome'],
): ReversalRecorded {
  return { type: 'ReversalRecorded', data: { ...fromCard(command), lifecycleId, outcome } };
}

export function transactionCleared(
  command: Clear | ForceDebit,
  cleared: { lifecycleId?: string; heldMinor: number; mismatch: boolean },
): TransactionCleared {
  return {
    type: 'TransactionCleared',
    data: {
      ...fromCard(command),
      lifecycleId: cleared.lifecycleId ?? command.transaction.lifecycleId,
      heldMinor: cleared.heldMinor,
      clearedMinor: command.transaction.amountMinor,
      mismatch: cleared.mismatch,
    },
  };
}

export function forcedRequestSuspended(
  command: ForceDebit | ForceCredit | Reverse,
  reason: string,
): ForcedRequestSuspended {
  return { type: 'ForcedRequestSuspended', data: { ...fromCard(command), command: command.type, reason } };
}

export function operatorCredited(command: OperatorCredit): OperatorCredited {
  const { request, amountMinor, reason, reference } = command;
  return { type: 'OperatorCredited', data: { request, amountMinor, reason, reference } };
}

export function operatorDebited(command: OperatorDebit): OperatorDebited {
  const { request, amountMinor, reason, reference } = command;
  return { type: 'OperatorDebited', data: { request, amountMinor, reason, reference } };
}

/** A linked balance with `amountMinor` booked by the operator: the usual starting point. */
export function fundedBalance(amountMinor: number): [BalanceLinked, OperatorCredited] {
  return [balanceLinked(), operatorCredited(operatorCredit(amountMinor))];
}
