import type { PolicyRefusal } from '@app/balances';

/** The lock state of the transaction's card (the shape of `@app/cards` CardLockState). */
export interface CardLockFact {
  readonly cardId: string;
  readonly locked: boolean;
  readonly reason: string | null;
  readonly lockedAt: string | null;
}

/** An active transactional lock reason (the shape of `@app/lock-reasons` ActiveLockReason). */
export interface LockReasonFact {
  readonly subjectType: 'user' | 'corporation';
  readonly subjectId: string;
  readonly reason: string;
  readonly since: string;
}

/** The user's KYC as authorization needs it (from `@app/verification` KycStatus). */
export interface KycFact {
  readonly required: boolean;
  readonly status: string | null;
  readonly reason: string | null;
}

/** The owner of the balance, their corporation, and what applies to them. */
export interface OwnerFacts {
  readonly userId: string;
  readonly corporationId: string | null;
  /** Active reasons of the user and of their corporation. */
  readonly lockReasons: readonly LockReasonFact[];
  readonly kyc: KycFact;
}

export interface AuthorizationFacts {
  /** `null` when the transaction names no card. */
  readonly card: CardLockFact | null;
  /** `null` when the balance is not linked: rule 1 refuses it before these rules count. */
  readonly owner: OwnerFacts | null;
}

/**
 * Rules 3 and 4 of DOMAIN.md 5, in their order, for a debit or a non-forced credit:
 * 3. the card is locked, or the user or their corporation has an active transactional lock
 *    reason: FRAUDS_DETECTED;
 * 4. the user's KYC is required (a verification notification was seen for them) and not
 *    ACCEPTED: FRAUDS_DETECTED.
 * The detail says which rule and the facts behind it: it is recorded with the refusal, and is
 * how support answers "why was my card declined?". Built from the facts only, so the same
 * facts always give the same words.
 */
export function refusalFor({ card, owner }: AuthorizationFacts): PolicyRefusal | null {
  if (card?.locked) {
    const since = card.lockedAt === null ? '' : ` since ${card.lockedAt}`;
    return fraud(`Card ${card.cardId} is locked (${card.reason ?? 'no reason given'}${since})`);
  }
  if (owner === null) return null;
  const userLocks = owner.lockReasons.filter((lock) => lock.subjectType === 'user');
  if (userLocks.length > 0) {
    return fraud(`User ${owner.userId} has active transactional lock reasons: ${describe(userLocks)}`);
  }
  const corporationLocks = owner.lockReasons.filter((lock) => lock.subjectType === 'corporation');
  if (corporationLocks.length > 0) {
    return fraud(
      `Corporation ${corporationLocks[0]!.subjectId} of user ${owner.userId} has active transactional lock reasons: ${describe(corporationLocks)}`,
    );
  }
  const { kyc } = owner;
  if (kyc.required && kyc.status !== 'ACCEPTED') {
    const reason = kyc.reason === null ? '' : ` (${kyc.reason})`;
    return fraud(
      `KYC of user ${owner.userId} is required and ${kyc.status ?? 'unknown'}${reason}, not ACCEPTED`,
    );
  }
  return null;
}

function fraud(detail: string): PolicyRefusal {
  return { reason: 'FRAUDS_DETECTED', detail };
}

function describe(locks: readonly LockReasonFact[]): string {
  return locks.map((lock) => `${lock.reason} since ${lock.since}`).join(', ');
}
