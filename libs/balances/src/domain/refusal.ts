/** The refusals the seeds define, as titles of `{title, detail}` bodies. */
export type RefusalReason =
  | 'USER_NOT_FOUND'
  | 'BALANCE_NOT_FOUND'
  | 'FORBIDDEN'
  | 'CLIENT_ERROR'
  | 'BALANCE_NOT_EMPTY'
  | 'INSUFFICIENT_FUNDS'
  | 'LIMITS_EXCEEDED'
  | 'FRAUDS_DETECTED'
  | 'TRANSACTION_NOT_FOUND';

export interface Refusal {
  readonly reason: RefusalReason;
  /** Human-readable, built from the facts at decision time so a replay repeats it word for word. */
  readonly detail: string;
}

/**
 * Rules 3-5 of DOMAIN.md section 5 (locks, KYC, limits) are decided outside the balance,
 * from other aggregates, and handed in with the command. The balance applies them in
 * their place in the order: after "unknown balance" and "currency", before "funds".
 */
export type PolicyRefusal = Refusal & { readonly reason: 'FRAUDS_DETECTED' | 'LIMITS_EXCEEDED' };
