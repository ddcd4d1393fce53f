import { randomUUID } from 'node:crypto';
import { Antaca, cardTransaction } from '../support/antaca';
import { expectProblem } from '../support/problems';
import { startTestService, type TestService } from '../support/service';

/**
 * Authorization rules 3 and 4 (DOMAIN.md 5) over real HTTP: a locked card, a user or
 * corporation with an active transactional lock reason, and a user whose KYC is required and
 * not ACCEPTED are refused 422 FRAUDS_DETECTED on debits and credits; forced requests are
 * applied whatever the locks; the operator sees why.
 */

let service: TestService;
let antaca: Antaca;

beforeAll(async () => {
  service = await startTestService();
  antaca = new Antaca(service);
});
afterAll(() => service.stop());

const LOCKED_SINCE = '2025-06-17T13:42:54+00:00';
const newCardId = () => String(Math.floor(Math.random() * 1e12));

interface Funded {
  userId: string;
  balanceId: string;
}

/** A user (under `corporationId`, if given) with a linked PLN balance holding 10,000. */
async function fundedUser(corporationId?: string): Promise<Funded> {
  const userId = `u-${randomUUID().slice(0, 8)}`;
  const balanceId = randomUUID();
  const operator = await antaca.operator();
  await operator.post('/operator/users', { userId, ...(corporationId ? { corporationId } : {}) }).expect(201);
  await antaca.post(`/users/${userId}/balances`, { balanceId, currency: 'PLN' }).expect(204);
  await operator
    .post(`/operator/balances/${balanceId}/credits`, { amount: 10_000, reason: 'transfer', reference: 'r-1' })
    .expect(204);
  return { userId, balanceId };
}

/** The same card transaction for the refusable route and its forced twin. */
function transactionOn(balanceId: string, cardId: string, overrides: Record<string, unknown> = {}) {
  return cardTransaction({
    balanceId,
    amount: 1_000,
    transactionData: { mcc: '5942', cardId, acquirerCountry: 'POL' },
    ...overrides,
  });
}

const lockCard = (cardId: string, reason = 'CARD_STOLEN') =>
  antaca.post('/notifications/cardLocked', { dcCardId: cardId, date: LOCKED_SINCE, reason }).expect(204);

const addLockReason = (
  resourceType: 'user' | 'corporation',
  resourceId: string,
  lockReason = 'FRAUD_SUSPECTED',
) =>
  antaca
    .post('/notifications/transactionalLockReasonAdded', {
      resourceType,
      resourceId,
      lockReason,
      timestamp: LOCKED_SINCE,
    })
    .expect(204);

const notifyKyc = (
  route: 'verificationAccepted' | 'verificationRejected' | 'verificationInProgress',
  userId: string,
) =>
  antaca
    .post(`/notifications/${route}`, {
      verificationId: randomUUID(),
      userId,
      email: 'leon@example.com',
      firstName: 'Leon',
      lastName: 'Bakiewicz',
      status: {
        verificationAccepted: 'ACCEPTED',
        verificationRejected: 'REJECTED',
        verificationInProgress: 'IN_PROGRESS',
      }[route],
      reason: route === 'verificationRejected' ? 'BLURRED_SELFIE' : null,
    })
    .expect(204);

/** Refused 422 FRAUDS_DETECTED with a detail matching `why`, and nothing moved. */
async function expectFraudRefusal(path: string, body: Record<string, unknown>, why: RegExp): Promise<void> {
  const before = await antaca.figures(body.balanceId as string);
  const response = await antaca.post(path, body);
  expectProblem(response, 422, 'FRAUDS_DETECTED');
  expect((response.body as { detail: string }).detail).toMatch(why);
  expect(await antaca.figures(body.balanceId as string)).toEqual(before);
}

/** The forced twin of a refused debit is applied: its amount is held. */
async function expectForceDebitApplied(body: Record<string, unknown>): Promise<void> {
  await antaca.post('/transactions/force-debit', body).expect(204);
  expect(await antaca.figures(body.balanceId as string)).toEqual({
    available: 9_000,
    holds: 1_000,
    booked: 10_000,
  });
}

describe('rule 3: locks', () => {
  it('refuses a debit on a locked card, and applies the same debit forced', async () => {
    const { balanceId } = await fundedUser();
    const cardId = newCardId();
    await lockCard(cardId);
    const debit = transactionOn(balanceId, cardId);

    await expectFraudRefusal(
      '/transactions/debit',
      debit,
      new RegExp(`Card ${cardId} is locked \\(CARD_STOLEN`),
    );
    await expectForceDebitApplied(debit);
  });

  it('finds the card in resourceId when resource is card', async () => {
    const { balanceId } = await fundedUser();
    const cardId = newCardId();
    await lockCard(cardId, 'PIN_TRIES_EXCEEDED');
    const debit = transactionOn(balanceId, cardId, {
      resource: 'card',
      resourceId: cardId,
      transactionData: [],
    });

    await expectFraudRefusal('/transactions/debit', debit, /PIN_TRIES_EXCEEDED/);
  });

  it('refuses a credit on a locked card, and applies the same credit forced', async () => {
    const { balanceId } = await fundedUser();
    const cardId = newCardId();
    await lockCard(cardId);
    const credit = transactionOn(balanceId, cardId, { type: 'Adjustment', amount: 500 });

    await expectFraudRefusal('/transactions/credit', credit, /is locked/);
    await antaca.post('/transactions/force-credit', credit).expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 10_500, holds: 0, booked: 10_500 });
  });

  it('refuses a debit for a user with an active lock reason, and applies the same debit forced', async () => {
    const { userId, balanceId } = await fundedUser();
    await addLockReason('user', userId);
    const debit = transactionOn(balanceId, newCardId());

    await expectFraudRefusal('/transactions/debit', debit, new RegExp(`User ${userId} .*FRAUD_SUSPECTED`));
    await expectForceDebitApplied(debit);
  });

  it('refuses a debit for a user whose corporation has an active lock reason, and applies it forced', async () => {
    const corporationId = `corp-${randomUUID().slice(0, 8)}`;
    const { balanceId } = await fundedUser(corporationId);
    await addLockReason('corporation', corporationId, 'SCREENING_DETECTED');
    const debit = transactionOn(balanceId, newCardId());

    await expectFraudRefusal(
      '/transactions/debit',
      debit,
      new RegExp(`Corporation ${corporationId} .*SCREENING_DETECTED`),
    );
    await expectForceDebitApplied(debit);
  });

  it('keeps rules 1 and 2 first: an unknown balance is 404 and another currency 409, even on a locked card', async () => {
    const { balanceId } = await fundedUser();
    const cardId = newCardId();
    await lockCard(cardId);

    expectProblem(
      await antaca.post('/transactions/debit', transactionOn(randomUUID(), cardId)),
      404,
      'BALANCE_NOT_FOUND',
    );
    expectProblem(
      await antaca.post('/transactions/debit', transactionOn(balanceId, cardId, { currency: 'EUR' })),
      409,
      'CLIENT_ERROR',
    );
  });
});

describe('rule 4: KYC', () => {
  it('refuses a debit right after a 204 to verificationRejected, and applies the same debit forced', async () => {
    const { userId, balanceId } = await fundedUser();
    await notifyKyc('verificationRejected', userId);
    const debit = transactionOn(balanceId, newCardId());

    await expectFraudRefusal('/transactions/debit', debit, /KYC .* REJECTED \(BLURRED_SELFIE\)/);
    await expectForceDebitApplied(debit);
  });

  it('refuses a debit while the only verification is IN_PROGRESS', async () => {
    const { userId, balanceId } = await fundedUser();
    await notifyKyc('verificationInProgress', userId);
    await expectFraudRefusal('/transactions/debit', transactionOn(balanceId, newCardId()), /IN_PROGRESS/);
  });

  it('lets a user with KYC ACCEPTED debit', async () => {
    const { userId, balanceId } = await fundedUser();
    await notifyKyc('verificationAccepted', userId);
    await antaca.post('/transactions/debit', transactionOn(balanceId, newCardId())).expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 9_000, holds: 1_000, booked: 10_000 });
  });

  it('lets a user no verification was ever seen for debit (KYC not required)', async () => {
    const { balanceId } = await fundedUser();
    await antaca.post('/transactions/debit', transactionOn(balanceId, newCardId())).expect(204);
  });
});

describe('what the operator sees', () => {
  it("shows the user's KYC, lock reasons, balances, and each card with its lock and why it was declined", async () => {
    const corporationId = `corp-${randomUUID().slice(0, 8)}`;
    const { userId, balanceId } = await fundedUser(corporationId);
    const cardId = newCardId();
    await notifyKyc('verificationAccepted', userId);
    await antaca.post('/transactions/debit', transactionOn(balanceId, cardId)).expect(204);
    await lockCard(cardId, 'CARD_LOST');
    await addLockReason('corporation', corporationId);
    const declined = transactionOn(balanceId, cardId);
    expectProblem(await antaca.post('/transactions/debit', declined), 422, 'FRAUDS_DETECTED');

    const view = await (await antaca.operator()).get(`/operator/users/${userId}`).expect(200);
    expect(view.body).toMatchObject({
      userId,
      corporationId,
      kyc: { required: true, status: 'ACCEPTED', reason: null },
      lockReasons: [
        {
          subjectType: 'corporation',
          subjectId: corporationId,
          reason: 'FRAUD_SUSPECTED',
          since: LOCKED_SINCE,
        },
      ],
      balances: [{ balanceId, currency: 'PLN', available: 9_000, holds: 1_000, booked: 10_000 }],
      cards: [
        {
          cardId,
          balanceIds: [balanceId],
          lock: { locked: true, reason: 'CARD_LOST', lockedAt: LOCKED_SINCE },
          lastDecline: {
            id: declined.id,
            reason: 'FRAUDS_DETECTED',
            detail: expect.stringMatching(new RegExp(`Card ${cardId} is locked \\(CARD_LOST`)),
          },
        },
      ],
    });

    const transaction = await (
      await antaca.operator()
    )
      .get(`/operator/transactions/${declined.id as string}`)
      .expect(200);
    expect((transaction.body as { transactions: unknown[] }).transactions).toEqual([
      expect.objectContaining({ balanceId, status: 'DECLINED', declinedReason: 'FRAUDS_DETECTED' }),
    ]);
  });
});
