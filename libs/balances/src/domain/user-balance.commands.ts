import type { CardTransaction } from './card-transaction';
import type { RequestBody, RequestRef } from '@app/shared-kernel';
import type { PolicyRefusal } from './refusal';

interface CardRequest {
  readonly request: RequestRef;
  readonly transaction: CardTransaction;
  readonly body: RequestBody;
}

/** `POST /users/:id/balances`. `userKnown`: the user stream exists (checked by the handler). */
export interface LinkBalance {
  readonly type: 'LinkBalance';
  readonly request: RequestRef;
  readonly balanceId: string;
  readonly userId: string;
  readonly currency: string;
  readonly userKnown: boolean;
}

/** `DELETE /users/:id/balances/:balanceId`. */
export interface UnlinkBalance {
  readonly type: 'UnlinkBalance';
  readonly request: RequestRef;
  readonly userId: string;
}

/** `POST /transactions/debit`: may refuse. */
export interface Debit extends CardRequest {
  readonly type: 'Debit';
  readonly policyRefusal: PolicyRefusal | null;
}

/** `POST /transactions/force-debit`: never refuses. */
export interface ForceDebit extends CardRequest {
  readonly type: 'ForceDebit';
}

/** `POST /transactions/credit`: may refuse. */
export interface Credit extends CardRequest {
  readonly type: 'Credit';
  readonly policyRefusal: PolicyRefusal | null;
}

/** `POST /transactions/force-credit`: never refuses. */
export interface ForceCredit extends CardRequest {
  readonly type: 'ForceCredit';
}

/** `POST /transactions/reversal`: never refuses. */
export interface Reverse extends CardRequest {
  readonly type: 'Reverse';
}

/** `PUT /transactions/:transactionId` (clearing). */
export interface Clear extends CardRequest {
  readonly type: 'Clear';
  /** The path's `:transactionId`, a network id: matched by reference when `id` does not match. */
  readonly pathTransactionId: string;
}

/** Operator money in (incoming transfer, correction). */
export interface OperatorCredit {
  readonly type: 'OperatorCredit';
  readonly request: RequestRef;
  readonly amountMinor: number;
  readonly reason: string;
  readonly reference: string;
}

/** Operator money out (fee, correction); refused when it would take available below zero. */
export interface OperatorDebit {
  readonly type: 'OperatorDebit';
  readonly request: RequestRef;
  readonly amountMinor: number;
  readonly reason: string;
  readonly reference: string;
}

export type UserBalanceCommand =
  | LinkBalance
  | UnlinkBalance
  | Debit
  | ForceDebit
  | Credit
  | ForceCredit
  | Reverse
  | Clear
  | OperatorCredit
  | OperatorDebit;
