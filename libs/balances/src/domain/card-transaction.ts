/**
 * The parts of Antaca's transaction object (seeds: "Transaction object") that decisions
 * use, already parsed. The whole body as received is kept beside it in the events
 * (`body`), unknown fields included, for audit; it is never bound to anything.
 */
export interface CardTransaction {
  /** Antaca's `id`: one card transaction's whole lifecycle (debit, reversal, clearing share it). */
  readonly lifecycleId: string;
  /** Network id; not unique over time. Used only to match within one balance. */
  readonly transactionId: string | null;
  readonly referenceTransactionId: string | null;
  /** Lower case (`pos`, `atm`, `adjustment`, `balance inquiry`...); unknown types are kept. */
  readonly type: string;
  readonly amountMinor: number;
  /** ISO 4217, upper case. */
  readonly currency: string;
  /** `AUTHORIZED`, `CLEARED` or `REVERSED` as sent (upper case); anything else is kept as is. */
  readonly status: string;
  /** `transactionData.cardId`, or `resourceId` when `resource` is `card`. */
  readonly cardId: string | null;
}
