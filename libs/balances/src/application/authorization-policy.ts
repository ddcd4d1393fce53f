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
 * The notifications and limits work replaces the permissive default.
 */
export abstract class AuthorizationPolicy {
  abstract evaluate(question: PolicyQuestion): Promise<PolicyRefusal | null>;
}

/** No locks, no KYC requirement, no limits: every debit goes on to the funds check. */
export class PermissiveAuthorizationPolicy extends AuthorizationPolicy {
  override async evaluate(): Promise<PolicyRefusal | null> {
    return null;
  }
}
