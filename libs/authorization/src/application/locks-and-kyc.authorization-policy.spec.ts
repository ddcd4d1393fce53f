import type { QueryBus } from '@nestjs/cqrs';
import { GetBalanceOwnerQuery, type CardTransaction } from '@app/balances';
import { GetCardLockStateQuery, type CardLockState } from '@app/cards';
import { GetActiveLockReasonsQuery, type ActiveLockReason, type LockSubject } from '@app/lock-reasons';
import { GetUserQuery, type UserView } from '@app/users';
import { GetUserKycQuery, type UserKycView } from '@app/verification';
import { LocksAndKycAuthorizationPolicy } from './locks-and-kyc.authorization-policy';

const BALANCE_ID = '2e520dc2-329d-11ed-a261-0242ac120002';
const USER_ID = '1337';
const CORPORATION_ID = 'corp-7';
const CARD_ID = '222';

interface World {
  card: CardLockState;
  owner: string | null;
  user: UserView | null;
  kyc: UserKycView;
  lockReasons: ActiveLockReason[];
}

const unlockedCard: CardLockState = { cardId: CARD_ID, locked: false, reason: null, lockedAt: null };
const noKyc: UserKycView = {
  required: false,
  status: null,
  reason: null,
  decidedBy: null,
  verifications: [],
};
const user = (corporationId: string | null = null): UserView => ({
  userId: USER_ID,
  email: null,
  firstName: null,
  lastName: null,
  corporationId,
});

/** A QueryBus answering from `world`, remembering what it was asked. */
function fakeQueries(overrides: Partial<World> = {}) {
  const world: World = {
    card: unlockedCard,
    owner: USER_ID,
    user: user(),
    kyc: noKyc,
    lockReasons: [],
    ...overrides,
  };
  const asked: object[] = [];
  const bus = {
    execute: (query: object): Promise<unknown> => {
      asked.push(query);
      if (query instanceof GetCardLockStateQuery) return Promise.resolve(world.card);
      if (query instanceof GetBalanceOwnerQuery) return Promise.resolve(world.owner);
      if (query instanceof GetUserQuery) return Promise.resolve(world.user);
      if (query instanceof GetUserKycQuery) return Promise.resolve(world.kyc);
      if (query instanceof GetActiveLockReasonsQuery) {
        const subjects: readonly LockSubject[] = query.subjects;
        return Promise.resolve(
          world.lockReasons.filter((lock) =>
            subjects.some((subject) => subject.type === lock.subjectType && subject.id === lock.subjectId),
          ),
        );
      }
      return Promise.reject(new Error(`Unexpected query ${query.constructor.name}`));
    },
  };
  return { queries: bus as unknown as QueryBus, asked };
}

const transaction = (cardId: string | null = CARD_ID): CardTransaction => ({
  lifecycleId: 'tx-1',
  transactionId: null,
  referenceTransactionId: null,
  type: 'pos',
  amountMinor: 1000,
  currency: 'PLN',
  status: 'AUTHORIZED',
  cardId,
});

function evaluate(queries: QueryBus, cardId: string | null = CARD_ID) {
  return new LocksAndKycAuthorizationPolicy(queries).evaluate({
    balanceId: BALANCE_ID,
    transaction: transaction(cardId),
  });
}

const lock = (subjectType: 'user' | 'corporation', subjectId: string, reason: string): ActiveLockReason => ({
  subjectType,
  subjectId,
  reason,
  since: '2024-05-01T10:00:00Z',
});
const lockedCard: CardLockState = {
  cardId: CARD_ID,
  locked: true,
  reason: 'CARD_STOLEN',
  lockedAt: '2024-05-02T08:00:00Z',
};
const rejectedKyc: UserKycView = {
  required: true,
  status: 'REJECTED',
  reason: 'BLURRED_SELFIE',
  decidedBy: 'v-1',
  verifications: [],
};

describe('LocksAndKycAuthorizationPolicy', () => {
  it('lets a debit through when nothing is locked and no KYC was ever asked of the user', async () => {
    expect(await evaluate(fakeQueries().queries)).toBeNull();
  });

  describe('rule 3: locks', () => {
    it('refuses a locked card, saying why and since when', async () => {
      expect(await evaluate(fakeQueries({ card: lockedCard }).queries)).toEqual({
        reason: 'FRAUDS_DETECTED',
        detail: 'Card 222 is locked (CARD_STOLEN since 2024-05-02T08:00:00Z)',
      });
    });

    it('does not ask about a card when the transaction names none', async () => {
      const { queries, asked } = fakeQueries({ card: lockedCard });
      expect(await evaluate(queries, null)).toBeNull();
      expect(asked.some((query) => query instanceof GetCardLockStateQuery)).toBe(false);
    });

    it('refuses a user with an active transactional lock reason, naming every reason', async () => {
      const { queries } = fakeQueries({
        lockReasons: [lock('user', USER_ID, 'FRAUD_SUSPECTED'), lock('user', USER_ID, 'AML_REVIEW')],
      });
      expect(await evaluate(queries)).toEqual({
        reason: 'FRAUDS_DETECTED',
        detail:
          'User 1337 has active transactional lock reasons: FRAUD_SUSPECTED since 2024-05-01T10:00:00Z, AML_REVIEW since 2024-05-01T10:00:00Z',
      });
    });

    it("refuses a user whose corporation has an active lock reason, asking about the user's corporation", async () => {
      const { queries, asked } = fakeQueries({
        user: user(CORPORATION_ID),
        lockReasons: [lock('corporation', CORPORATION_ID, 'SANCTIONS')],
      });
      expect(await evaluate(queries)).toEqual({
        reason: 'FRAUDS_DETECTED',
        detail:
          'Corporation corp-7 of user 1337 has active transactional lock reasons: SANCTIONS since 2024-05-01T10:00:00Z',
      });
      const lockQuery = asked.find((query) => query instanceof GetActiveLockReasonsQuery);
      expect(lockQuery?.subjects).toEqual([
        { type: 'user', id: USER_ID },
        { type: 'corporation', id: CORPORATION_ID },
      ]);
    });

    it('asks only about the user when they belong to no corporation', async () => {
      const { queries, asked } = fakeQueries({
        lockReasons: [lock('corporation', CORPORATION_ID, 'SANCTIONS')],
      });
      expect(await evaluate(queries)).toBeNull();
      const lockQuery = asked.find((query) => query instanceof GetActiveLockReasonsQuery);
      expect(lockQuery?.subjects).toEqual([{ type: 'user', id: USER_ID }]);
    });
  });

  describe('rule 4: KYC', () => {
    it('refuses a user whose KYC is required and REJECTED, with the rejection reason', async () => {
      expect(await evaluate(fakeQueries({ kyc: rejectedKyc }).queries)).toEqual({
        reason: 'FRAUDS_DETECTED',
        detail: 'KYC of user 1337 is required and REJECTED (BLURRED_SELFIE), not ACCEPTED',
      });
    });

    it('refuses a user whose KYC is still IN_PROGRESS', async () => {
      const kyc: UserKycView = { ...noKyc, required: true, status: 'IN_PROGRESS' };
      expect(await evaluate(fakeQueries({ kyc }).queries)).toEqual({
        reason: 'FRAUDS_DETECTED',
        detail: 'KYC of user 1337 is required and IN_PROGRESS, not ACCEPTED',
      });
    });

    it('lets a user with KYC ACCEPTED through', async () => {
      const kyc: UserKycView = { ...noKyc, required: true, status: 'ACCEPTED', decidedBy: 'v-1' };
      expect(await evaluate(fakeQueries({ kyc }).queries)).toBeNull();
    });
  });

  describe('the order of the rules', () => {
    it('names the locked card before a lock reason or the KYC', async () => {
      const { queries } = fakeQueries({
        card: lockedCard,
        kyc: rejectedKyc,
        lockReasons: [lock('user', USER_ID, 'FRAUD_SUSPECTED')],
      });
      expect((await evaluate(queries))?.detail).toMatch(/^Card 222 is locked/);
    });

    it("names the user's lock reason before the corporation's and before the KYC", async () => {
      const { queries } = fakeQueries({
        user: user(CORPORATION_ID),
        kyc: rejectedKyc,
        lockReasons: [
          lock('corporation', CORPORATION_ID, 'SANCTIONS'),
          lock('user', USER_ID, 'FRAUD_SUSPECTED'),
        ],
      });
      expect((await evaluate(queries))?.detail).toMatch(/^User 1337 has active/);
    });

    it('names a lock reason before the KYC', async () => {
      const { queries } = fakeQueries({
        kyc: rejectedKyc,
        lockReasons: [lock('user', USER_ID, 'FRAUD_SUSPECTED')],
      });
      expect((await evaluate(queries))?.detail).toMatch(/lock reasons/);
    });
  });

  it('asks nothing about a user when the balance is not linked (rule 1 refuses it first)', async () => {
    const { queries, asked } = fakeQueries({ owner: null, kyc: rejectedKyc });
    expect(await evaluate(queries)).toBeNull();
    expect(asked.map((query) => query.constructor.name).sort()).toEqual([
      'GetBalanceOwnerQuery',
      'GetCardLockStateQuery',
    ]);
  });
});
