import type {
  CardTransaction,
  CreditReversed,
  DebitIgnoredAfterReversal,
  ForcedRequestSuspended,
  FundsCredited,
  FundsDebited,
  FundsHeld,
  HoldReleased,
  RefusalReason,
  RequestRefused,
  ReversalRecorded,
  TransactionCleared as BalanceTransactionCleared,
} from '@app/balances';
import type { RequestRef } from '@app/shared-kernel';
import { lifecycleOf, type LifecycleBalanceEvent, type RecordBalanceOutcome } from '../transaction.commands';
import type { TransactionEvent } from '../transaction.events';

/**
 * Balance events in the balances domain's shapes (the source), the commands that record them,
 * and Transaction events, for given/when/then specs of the Transaction decider.
 */

export const BALANCE_ID = '2e520dc2-329d-11ed-a261-0242ac120002';
export const OTHER_BALANCE_ID = '7d9f3a10-5b2c-4e8f-9a61-0c1d2e3f4a5b';
/** The seeds' own example id (Transactions Flow): a debit and its force-credit share it. */
export const LIFECYCLE_ID = '24cbc777-dd3d-4a5b-9e77-6c0b1e4f2a10';

let counter = 0;
const next = () => (counter += 1);

export function requestRef(): RequestRef {
  const n = next();
  return { idempotencyKey: `key-${n}`, requestHash: `hash-${n}` };
}

export function cardTransaction(overrides: Partial<CardTransaction> = {}): CardTransaction {
  return {
    lifecycleId: LIFECYCLE_ID,
    transactionId: 'network-1',
    referenceTransactionId: null,
    type: 'pos',
    amountMinor: 100,
    currency: 'PLN',
    status: 'AUTHORIZED',
    cardId: '222',
    ...overrides,
  };
}

function fromCard(transaction: Partial<CardTransaction>) {
  const parsed = cardTransaction(transaction);
  return {
    request: requestRef(),
    transaction: parsed,
    body: { id: parsed.lifecycleId, amount: parsed.amountMinor, currency: parsed.currency },
  };
}

type Card = { readonly transaction?: Partial<CardTransaction> };

export function fundsHeld(
  amountMinor: number,
  options: Card & { readonly forced?: boolean } = {},
): FundsHeld {
  return {
    type: 'FundsHeld',
    data: {
      ...fromCard({ amountMinor, ...options.transaction }),
      amountMinor,
      forced: options.forced ?? false,
    },
  };
}

export function fundsCredited(
  amountMinor: number,
  options: Card & { readonly forced?: boolean } = {},
): FundsCredited {
  return {
    type: 'FundsCredited',
    data: {
      ...fromCard({ amountMinor, ...options.transaction }),
      amountMinor,
      forced: options.forced ?? false,
    },
  };
}

export function fundsDebited(amountMinor: number, options: Card = {}): FundsDebited {
  return {
    type: 'FundsDebited',
    data: { ...fromCard({ amountMinor, status: 'CLEARED', ...options.transaction }), amountMinor },
  };
}

export function holdReleased(
  amountMinor: number,
  options: Card & {
    readonly lifecycleId?: string;
    readonly cause?: 'reversal' | 'force-credit-reversed';
  } = {},
): HoldReleased {
  return {
    type: 'HoldReleased',
    data: {
      ...fromCard({ status: 'REVERSED', ...options.transaction }),
      lifecycleId: options.lifecycleId ?? LIFECYCLE_ID,
      amountMinor,
      cause: options.cause ?? 'reversal',
    },
  };
}

export function creditReversed(amountMinor: number, options: Card = {}): CreditReversed {
  return {
    type: 'CreditReversed',
    data: {
      ...fromCard({ status: 'REVERSED', ...options.transaction }),
      lifecycleId: LIFECYCLE_ID,
      amountMinor,
    },
  };
}

export function reversalRecorded(
  outcome: 'already-cleared' | 'already-reversed' | 'tombstone',
  options: Card = {},
): ReversalRecorded {
  return {
    type: 'ReversalRecorded',
    data: { ...fromCard({ status: 'REVERSED', ...options.transaction }), lifecycleId: LIFECYCLE_ID, outcome },
  };
}

export function balanceCleared(
  heldMinor: number,
  clearedMinor: number,
  options: Card & { readonly mismatch?: boolean } = {},
): BalanceTransactionCleared {
  return {
    type: 'TransactionCleared',
    data: {
      ...fromCard({ amountMinor: clearedMinor, status: 'CLEARED', ...options.transaction }),
      lifecycleId: LIFECYCLE_ID,
      heldMinor,
      clearedMinor,
      mismatch: options.mismatch ?? heldMinor !== clearedMinor,
    },
  };
}

export function debitIgnoredAfterReversal(options: Card = {}): DebitIgnoredAfterReversal {
  return { type: 'DebitIgnoredAfterReversal', data: fromCard(options.transaction ?? {}) };
}

export function requestRefused(
  reason: RefusalReason,
  options: Card & { readonly command?: string; readonly withoutTransaction?: boolean } = {},
): RequestRefused {
  const card = fromCard(options.transaction ?? {});
  const refusal = {
    request: card.request,
    reason,
    detail: `refused: ${reason}`,
    command: options.command ?? 'Debit',
  };
  if (options.withoutTransaction) return { type: 'RequestRefused', data: refusal };
  return { type: 'RequestRefused', data: { ...refusal, transaction: card.transaction, body: card.body } };
}

export function forcedRequestSuspended(
  command: 'ForceDebit' | 'ForceCredit' | 'Reverse',
  reason: string,
  options: Card = {},
): ForcedRequestSuspended {
  return {
    type: 'ForcedRequestSuspended',
    data: { ...fromCard(options.transaction ?? {}), command, reason },
  };
}

/** The command recording `balanceEvent`, as the reactor builds it from the recorded event. */
export function recordOutcome(
  balanceEvent: LifecycleBalanceEvent,
  options: { readonly sourceEventId?: string; readonly balanceId?: string } = {},
): RecordBalanceOutcome {
  return {
    type: 'RecordBalanceOutcome',
    sourceEventId: options.sourceEventId ?? `source-${next()}`,
    sourceStreamId: `balance-${options.balanceId ?? BALANCE_ID}`,
    balanceEvent,
  };
}

type EventOfType<T extends TransactionEvent['type']> = Extract<TransactionEvent, { type: T }>;
type Specific<T extends TransactionEvent['type']> = Omit<
  EventOfType<T>['data'],
  'sourceEventId' | 'balanceId' | 'lifecycleId' | 'transaction'
>;

/** A Transaction event recording `command`: the common part from the command, the rest as given. */
export function recorded<T extends TransactionEvent['type']>(
  type: T,
  command: RecordBalanceOutcome,
  specific: Specific<T>,
): EventOfType<T> {
  const lifecycleId = lifecycleOf(command.balanceEvent)?.lifecycleId;
  const transaction =
    'transaction' in command.balanceEvent.data ? command.balanceEvent.data.transaction : undefined;
  if (lifecycleId === undefined || transaction === undefined) throw new Error('not a lifecycle event');
  return {
    type,
    data: {
      sourceEventId: command.sourceEventId,
      balanceId: command.sourceStreamId.slice('balance-'.length),
      lifecycleId,
      transaction,
      ...specific,
    },
  } as EventOfType<T>;
}
