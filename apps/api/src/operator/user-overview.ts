import type { QueryBus } from '@nestjs/cqrs';
import {
  ListBalanceCardsQuery,
  ListUserBalancesQuery,
  type BalanceCardView,
  type BalanceView,
} from '@app/balances';
import { GetCardLockStateQuery, type CardLockState } from '@app/cards';
import { GetActiveLockReasonsQuery, type ActiveLockReason, type LockSubject } from '@app/lock-reasons';
import { GetUserQuery } from '@app/users';
import { GetUserKycQuery, type RejectionReason, type VerificationStatus } from '@app/verification';

/** `GET /operator/users/:userId`: what support needs to answer "why was my card declined?". */
export interface UserOverview {
  readonly userId: string;
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly corporationId: string | null;
  readonly kyc: {
    readonly required: boolean;
    readonly status: VerificationStatus | null;
    readonly reason: RejectionReason | null;
    readonly decidedBy: string | null;
    readonly verifications: readonly {
      readonly verificationId: string;
      readonly status: VerificationStatus;
      readonly reason: RejectionReason | null;
    }[];
  };
  /** Active transactional lock reasons of the user and of their corporation. */
  readonly lockReasons: readonly ActiveLockReason[];
  readonly balances: readonly BalanceView[];
  /** Cards seen on the user's balances, with their lock state and their last decline. */
  readonly cards: readonly (BalanceCardView & { readonly lock: Omit<CardLockState, 'cardId'> })[];
}

/** A user's cards are many fewer than this; the bound keeps one view from fanning out without limit. */
const MAX_CARDS = 100;

/** The overview of a registered user, or null for a user never registered. */
export async function userOverview(queries: QueryBus, userId: string): Promise<UserOverview | null> {
  const user = await queries.execute(new GetUserQuery(userId));
  if (user === null) return null;
  const subjects: LockSubject[] = [{ type: 'user', id: userId }];
  if (user.corporationId !== null) subjects.push({ type: 'corporation', id: user.corporationId });
  const [kyc, lockReasons, balances] = await Promise.all([
    queries.execute(new GetUserKycQuery(userId)),
    queries.execute(new GetActiveLockReasonsQuery(subjects)),
    queries.execute(new ListUserBalancesQuery(userId)),
  ]);
  const seen = await queries.execute(new ListBalanceCardsQuery(balances.map((balance) => balance.balanceId)));
  const cards = await Promise.all(
    seen.slice(0, MAX_CARDS).map(async (card) => {
      const { cardId: _cardId, ...lock } = await queries.execute(new GetCardLockStateQuery(card.cardId));
      return { ...card, lock };
    }),
  );
  const { verifications, ...status } = kyc;
  return {
    ...user,
    kyc: {
      ...status,
      verifications: verifications.map(({ verificationId, status, reason }) => ({
        verificationId,
        status,
        reason,
      })),
    },
    lockReasons,
    balances,
    cards,
  };
}
