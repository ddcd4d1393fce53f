import type { CardTransaction } from '../domain/card-transaction';
import type { PolicyRefusal } from '../domain/refusal';

export interface PolicyQuestion {
  readonly balanceId: string;
  readonly transaction: CardTransaction;
}

/**
 * Rules 3-5 of DOMAIN.md section 5 (card and user locks, KYC, operator limits) for debits and
 * non-forced credits. They depend on other aggregates, so they are decided here, before the
 * balance decides, and handed to it; the balance keeps the order of the rules.
 * The adapter is chosen by the application (`BalancesModule.register`).
 */
export abstract class AuthorizationPolicy {
  abstract evaluate(question: PolicyQuestion): Promise<PolicyRefusal | null>;
}
