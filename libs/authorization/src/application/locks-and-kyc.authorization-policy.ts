import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  AuthorizationPolicy,
  GetBalanceOwnerQuery,
  type PolicyQuestion,
  type PolicyRefusal,
} from '@app/balances';
import { GetCardLockStateQuery } from '@app/cards';
import { GetActiveLockReasonsQuery, type LockSubject } from '@app/lock-reasons';
import { GetUserQuery } from '@app/users';
import { GetUserKycQuery } from '@app/verification';
import { refusalFor, type OwnerFacts } from '../domain/authorization-rules';

/**
 * Rules 3 and 4 of DOMAIN.md 5 (card and transactional locks, KYC) for debits and non-forced
 * credits; the balance asks only for those, so forced requests are never refused. Every
 * query folds its aggregate's stream (read-your-writes): a debit right after a 204 to a lock
 * or a verification notification sees it. The card and the owner are looked up at once.
 */
@Injectable()
export class LocksAndKycAuthorizationPolicy extends AuthorizationPolicy {
  constructor(private readonly queries: QueryBus) {
    super();
  }

  override async evaluate({ balanceId, transaction }: PolicyQuestion): Promise<PolicyRefusal | null> {
    const { cardId } = transaction;
    const [card, owner] = await Promise.all([
      cardId === null ? null : this.queries.execute(new GetCardLockStateQuery(cardId)),
      this.ownerFacts(balanceId),
    ]);
    return refusalFor({ card, owner });
  }

  private async ownerFacts(balanceId: string): Promise<OwnerFacts | null> {
    const userId = await this.queries.execute(new GetBalanceOwnerQuery(balanceId));
    if (userId === null) return null;
    const [user, kyc] = await Promise.all([
      this.queries.execute(new GetUserQuery(userId)),
      this.queries.execute(new GetUserKycQuery(userId)),
    ]);
    const corporationId = user?.corporationId ?? null;
    const subjects: LockSubject[] = [{ type: 'user', id: userId }];
    if (corporationId !== null) subjects.push({ type: 'corporation', id: corporationId });
    const lockReasons = await this.queries.execute(new GetActiveLockReasonsQuery(subjects));
    return { userId, corporationId, lockReasons, kyc };
  }
}
