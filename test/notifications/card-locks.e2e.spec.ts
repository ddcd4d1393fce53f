import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Antaca } from '../support/antaca';
import { expectInvalidRequest, expectProblem } from '../support/problems';
import { startTestService, type TestService } from '../support/service';

/**
 * Card lock notifications over real HTTP: both routes, their validation, idempotency with and
 * without a key, out-of-order delivery, irreversible locks, and the operator's card view.
 */

let service: TestService;
let antaca: Antaca;

beforeAll(async () => {
  service = await startTestService();
  antaca = new Antaca(service);
});
afterAll(() => service.stop());

interface CardView {
  cardId: string;
  locked: boolean;
  reason: string | null;
  lockedAt: string | null;
  irreversible: boolean;
  anomalies: number;
  history: { type: string; date: string; receivedAt: string; data: Record<string, unknown> }[];
}

const newCardId = () => `c-${randomUUID().slice(0, 8)}`;

/** A `cardLocked` body as the seeds show it, for a new card. */
function lockBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dcCardId: newCardId(),
    date: '2025-06-17T13:42:54+00:00',
    reason: 'PIN_TRIES_EXCEEDED',
    ...overrides,
  };
}

function unlockBody(dcCardId: unknown, date: string): Record<string, unknown> {
  return { dcCardId, date };
}

const lockCard = (body: Record<string, unknown>, key: string | null = randomUUID()) =>
  antaca.post('/notifications/cardLocked', body, key);
const unlockCard = (body: Record<string, unknown>, key: string | null = randomUUID()) =>
  antaca.post('/notifications/cardUnlocked', body, key);

async function cardView(cardId: string): Promise<CardView> {
  const response = await (await antaca.operator()).get(`/operator/cards/${cardId}`);
  expect(response.status).toBe(200);
  return response.body as CardView;
}

async function expectNoCard(cardId: string): Promise<void> {
  expectProblem(await (await antaca.operator()).get(`/operator/cards/${cardId}`), 404, 'CARD_NOT_FOUND');
}

describe('happy path', () => {
  it('cardLocked: 204 without a body; the card is locked with its reason and date', async () => {
    const body = lockBody();
    const response = await lockCard(body);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');

    const view = await cardView(body.dcCardId as string);
    expect(view).toMatchObject({
      cardId: body.dcCardId,
      locked: true,
      reason: 'PIN_TRIES_EXCEEDED',
      lockedAt: '2025-06-17T13:42:54+00:00',
      irreversible: false,
      anomalies: 0,
    });
    expect(view.history).toEqual([
      {
        revision: '0',
        type: 'CardLocked',
        date: '2025-06-17T13:42:54+00:00',
        receivedAt: expect.any(String),
        data: expect.objectContaining({ reason: 'PIN_TRIES_EXCEEDED', reasonKind: 'reversible' }),
      },
    ]);
    expect(Date.parse(view.history[0]!.receivedAt)).not.toBeNaN();
  });

  it('cardUnlocked: 204; a later unlock unlocks a reversibly locked card', async () => {
    const body = lockBody();
    await lockCard(body).expect(204);
    const response = await unlockCard(unlockBody(body.dcCardId, '2025-06-17T14:00:00+00:00'));
    expect(response.status).toBe(204);
    expect(response.text).toBe('');

    const view = await cardView(body.dcCardId as string);
    expect(view).toMatchObject({ locked: false, reason: null, lockedAt: null });
    expect(view.history.map((entry) => entry.type)).toEqual(['CardLocked', 'CardUnlocked']);
  });

  it('accepts a numeric dcCardId as its decimal string, and a reason in any case', async () => {
    const cardId = Math.floor(Math.random() * 1e9);
    await lockCard({ dcCardId: cardId, date: '2025-06-17T15:42:54+02:00', reason: 'suspected_fraud' }).expect(
      204,
    );
    expect(await cardView(String(cardId))).toMatchObject({
      cardId: String(cardId),
      locked: true,
      reason: 'SUSPECTED_FRAUD',
    });
  });

  it('locks the card for a reason the seeds do not list, recorded as unknown', async () => {
    const body = lockBody({ reason: 'CARD_MELTED', extra: { kept: true } });
    await lockCard(body).expect(204);
    const view = await cardView(body.dcCardId as string);
    expect(view).toMatchObject({ locked: true, reason: 'CARD_MELTED' });
    expect(view.history[0]!.data).toMatchObject({ reasonKind: 'unknown', body: { extra: { kept: true } } });
  });

  it('answers 404 CARD_NOT_FOUND for a card never notified, and 401 without a token', async () => {
    await expectNoCard(newCardId());
    expectProblem(
      await request(service.operatorUrl).get(`/operator/cards/${newCardId()}`),
      401,
      'UNAUTHORIZED',
    );
  });
});

describe('bad body', () => {
  it('cardLocked: 400 naming every missing field, nothing recorded', async () => {
    expectInvalidRequest(await lockCard({}), ['dcCardId', 'date', 'reason']);
  });

  it('cardLocked: 400 for a date without an offset or a malformed card id, nothing recorded', async () => {
    const body = lockBody({ date: '2025-06-17 13:42:54' });
    expectInvalidRequest(await lockCard(body), ['date']);
    await expectNoCard(body.dcCardId as string);
    expectInvalidRequest(await lockCard(lockBody({ dcCardId: 'card 11' })), ['dcCardId']);
    expectInvalidRequest(await lockCard(lockBody({ dcCardId: -1 })), ['dcCardId']);
    expectInvalidRequest(await lockCard(lockBody({ reason: '' })), ['reason']);
  });

  it('cardUnlocked: 400 naming the bad fields, nothing recorded', async () => {
    const cardId = newCardId();
    expectInvalidRequest(await unlockCard({ dcCardId: cardId, date: 'yesterday' }), ['date']);
    expectInvalidRequest(await unlockCard({ date: '2025-06-17T13:42:54+00:00' }), ['dcCardId']);
    await expectNoCard(cardId);
  });

  it('400 for a body that is not an object or not JSON', async () => {
    expectInvalidRequest(await lockCard([] as unknown as Record<string, unknown>), ['body']);
    const response = await antaca
      .post('/notifications/cardUnlocked', '{"dcCardId": "11",')
      .set('Content-Type', 'application/json');
    expectProblem(response, 400, 'INVALID_REQUEST');
  });
});

describe('repeat with the same key', () => {
  it('answers 204 again and records the lock once', async () => {
    const body = lockBody();
    const key = randomUUID();
    await lockCard(body, key).expect(204);
    await lockCard(body, key).expect(204);
    expect((await cardView(body.dcCardId as string)).history).toHaveLength(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, applying nothing', async () => {
    const body = lockBody();
    const key = randomUUID();
    await lockCard(body, key).expect(204);
    const response = await unlockCard(unlockBody(body.dcCardId, '2025-06-17T14:00:00+00:00'), key);
    expectProblem(response, 422, 'IDEMPOTENCY_KEY_REUSED');
    const view = await cardView(body.dcCardId as string);
    expect(view.locked).toBe(true);
    expect(view.history).toHaveLength(1);
  });

  it('records the unlock anomaly of an irreversibly locked card once', async () => {
    const body = lockBody({ reason: 'CARD_STOLEN' });
    await lockCard(body).expect(204);
    const unlock = unlockBody(body.dcCardId, '2025-06-17T14:00:00+00:00');
    const key = randomUUID();
    await unlockCard(unlock, key).expect(204);
    await unlockCard(unlock, key).expect(204);
    expect(await cardView(body.dcCardId as string)).toMatchObject({ locked: true, anomalies: 1 });
  });
});

describe('repeat without a key', () => {
  it('applies a byte-identical body once', async () => {
    const body = lockBody();
    await lockCard(body, null).expect(204);
    await lockCard(body, null).expect(204);
    const unlock = unlockBody(body.dcCardId, '2025-06-17T14:00:00+00:00');
    await unlockCard(unlock, null).expect(204);
    await unlockCard(unlock, null).expect(204);
    expect((await cardView(body.dcCardId as string)).history.map((entry) => entry.type)).toEqual([
      'CardLocked',
      'CardUnlocked',
    ]);
  });

  it('records two keyless notifications that differ', async () => {
    const body = lockBody();
    await lockCard(body, null).expect(204);
    await lockCard({ ...body, date: '2025-06-17T13:50:00+00:00' }, null).expect(204);
    expect((await cardView(body.dcCardId as string)).history).toHaveLength(2);
  });
});

describe('out-of-order delivery', () => {
  it('keeps the card locked when the unlock, dated before the lock, arrives after it', async () => {
    const body = lockBody({ date: '2025-06-17T13:42:54+00:00' });
    await lockCard(body).expect(204);
    await unlockCard(unlockBody(body.dcCardId, '2025-06-17T13:00:00+00:00')).expect(204);

    const view = await cardView(body.dcCardId as string);
    expect(view).toMatchObject({ locked: true, reason: 'PIN_TRIES_EXCEEDED', lockedAt: body.date });
    expect(view.history[1]).toMatchObject({
      type: 'CardNotificationSuperseded',
      date: '2025-06-17T13:00:00+00:00',
      data: { notification: 'cardUnlocked', cause: 'older-than-current' },
    });
  });

  it('keeps the card unlocked when the lock, dated before the unlock, arrives after it', async () => {
    const cardId = newCardId();
    await unlockCard(unlockBody(cardId, '2025-06-17T14:00:00+00:00')).expect(204);
    await lockCard(lockBody({ dcCardId: cardId, date: '2025-06-17T13:00:00+00:00' })).expect(204);
    expect(await cardView(cardId)).toMatchObject({ locked: false, reason: null });
  });

  it('orders by instant across offsets', async () => {
    const body = lockBody({ date: '2025-06-17T15:00:00+02:00' });
    await lockCard(body).expect(204);
    // 13:30 UTC is after 15:00+02:00 (13:00 UTC): the unlock is the newer one.
    await unlockCard(unlockBody(body.dcCardId, '2025-06-17T13:30:00Z')).expect(204);
    expect((await cardView(body.dcCardId as string)).locked).toBe(false);
  });
});

describe('irreversible locks', () => {
  it.each(['CARD_LOST', 'CARD_STOLEN', 'CARD_INACTIVE', 'CARD_REPLACED'])(
    '%s then a later unlock: still locked, with an anomaly in the card view',
    async (reason) => {
      const body = lockBody({ reason });
      await lockCard(body).expect(204);
      await unlockCard(unlockBody(body.dcCardId, '2025-06-17T14:00:00+00:00')).expect(204);

      const view = await cardView(body.dcCardId as string);
      expect(view).toMatchObject({
        locked: true,
        reason,
        lockedAt: body.date,
        irreversible: true,
        anomalies: 1,
      });
      expect(view.history[1]).toMatchObject({
        type: 'CardUnlockAnomalyRecorded',
        date: '2025-06-17T14:00:00+00:00',
        receivedAt: expect.any(String),
        data: { lockReason: reason, lockDate: body.date },
      });
    },
  );

  it('an irreversible lock arriving after a newer unlock locks the card and names that unlock an anomaly', async () => {
    const cardId = newCardId();
    await unlockCard(unlockBody(cardId, '2025-06-17T14:00:00+00:00')).expect(204);
    await lockCard(
      lockBody({ dcCardId: cardId, reason: 'CARD_LOST', date: '2025-06-17T13:00:00+00:00' }),
    ).expect(204);
    const view = await cardView(cardId);
    expect(view).toMatchObject({ locked: true, reason: 'CARD_LOST', anomalies: 1 });
    expect(view.history.map((entry) => entry.type)).toEqual([
      'CardUnlocked',
      'CardLocked',
      'CardUnlockAnomalyRecorded',
    ]);
  });
});
