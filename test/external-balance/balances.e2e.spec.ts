import { randomBytes, randomUUID } from 'node:crypto';
import { Antaca, cardTransaction } from '../support/antaca';
import { startTestService, type TestService } from '../support/service';
import { expectProblem, expectInvalidRequest } from '../support/problems';

/**
 * External Balance, the balance family (seeds: link, get one, get collection, delete) over
 * real HTTP. Money figures are read back through the operator view after every step.
 */

let service: TestService;
let antaca: Antaca;

beforeAll(async () => {
  service = await startTestService();
  antaca = new Antaca(service);
});
afterAll(() => service.stop());

async function registeredUser(): Promise<string> {
  const userId = `u-${randomUUID().slice(0, 8)}`;
  await (await antaca.operator()).post('/operator/users', { userId }).expect(201);
  return userId;
}

/** A v1 (time-based) UUID of the seeds' shape, e.g. `2e520dc2-329d-11ed-a261-0242ac120002`. */
function v1Uuid(): string {
  const hex = randomBytes(10).toString('hex');
  return `${hex.slice(0, 8)}-329d-11ed-a261-${hex.slice(8, 20)}`;
}

describe('POST /users/:id/balances (link)', () => {
  it('links a new balance to a registered user at 0 in its currency, answering 204 without a body', async () => {
    const userId = await registeredUser();
    const balanceId = randomUUID();

    const response = await antaca.post(`/users/${userId}/balances`, { balanceId, currency: 'PLN' });

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200, { currency: 'PLN', amount: 0 });
    expect(await antaca.figures(balanceId)).toEqual({ available: 0, holds: 0, booked: 0 });
  });

  it('answers 204 and changes nothing when the same balance is linked again to the same user and currency', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(2500);

    await antaca.post(`/users/${userId}/balances`, { balanceId, currency: 'PLN' }).expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 2500, holds: 0, booked: 2500 });
    await antaca
      .get(`/users/${userId}/balances`)
      .expect(200, [{ id: balanceId, currency: 'PLN', amount: 2500 }]);
  });

  it('refuses to link a balance already linked to another user with 409 CLIENT_ERROR', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(100);
    const otherUserId = await registeredUser();

    const response = await antaca.post(`/users/${otherUserId}/balances`, { balanceId, currency: 'PLN' });

    expectProblem(response, 409, 'CLIENT_ERROR');
    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200, { currency: 'PLN', amount: 100 });
    await antaca.get(`/users/${otherUserId}/balances`).expect(200, []);
    expect(await antaca.figures(balanceId)).toEqual({ available: 100, holds: 0, booked: 100 });
  });

  it('refuses to link a balance already linked in another currency with 409 CLIENT_ERROR', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(100);

    const response = await antaca.post(`/users/${userId}/balances`, { balanceId, currency: 'EUR' });

    expectProblem(response, 409, 'CLIENT_ERROR');
    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200, { currency: 'PLN', amount: 100 });
  });

  it('answers 404 USER_NOT_FOUND for a user the operator never registered, and creates no balance', async () => {
    const balanceId = randomUUID();

    const response = await antaca.post(`/users/never-registered-${randomUUID().slice(0, 8)}/balances`, {
      balanceId,
      currency: 'PLN',
    });

    expectProblem(response, 404, 'USER_NOT_FOUND');
    await (await antaca.operator()).get(`/operator/balances/${balanceId}`).expect(404);
    const userId = await registeredUser();
    await antaca.post(`/users/${userId}/balances`, { balanceId, currency: 'PLN' }).expect(204);
  });

  it('answers 400 INVALID_REQUEST naming balanceId and currency when both are malformed', async () => {
    const userId = await registeredUser();

    const response = await antaca.post(`/users/${userId}/balances`, {
      balanceId: 'not-a-uuid',
      currency: 'ZZZ',
    });

    expectInvalidRequest(response, ['balanceId', 'currency']);
    await antaca.get(`/users/${userId}/balances`).expect(200, []);
  });

  it('answers 400 INVALID_REQUEST naming the missing fields of an empty body', async () => {
    const userId = await registeredUser();

    expectInvalidRequest(await antaca.post(`/users/${userId}/balances`, {}), ['balanceId', 'currency']);
  });

  it('answers 400 INVALID_REQUEST naming currency for three letters that are no ISO 4217 code', async () => {
    const userId = await registeredUser();

    const response = await antaca.post(`/users/${userId}/balances`, {
      balanceId: randomUUID(),
      currency: 'ABC',
    });

    expectInvalidRequest(response, ['currency']);
    expect((response.body as { detail: string }).detail).not.toMatch(/balanceId/);
  });

  it('answers 400 INVALID_REQUEST for a body that is not JSON', async () => {
    const userId = await registeredUser();

    const response = await antaca
      .post(`/users/${userId}/balances`, '{"balanceId": ')
      .set('Content-Type', 'application/json');

    expectProblem(response, 400, 'INVALID_REQUEST');
  });

  it('accepts a v1 UUID balanceId, as in the seeds’ own example', async () => {
    const userId = await registeredUser();
    const balanceId = v1Uuid();

    await antaca.post(`/users/${userId}/balances`, { balanceId, currency: 'PLN' }).expect(204);

    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200, { currency: 'PLN', amount: 0 });
  });

  it('stores an upper-case balanceId in lower case and finds it in either case', async () => {
    const userId = await registeredUser();
    const balanceId = randomUUID();

    await antaca
      .post(`/users/${userId}/balances`, { balanceId: balanceId.toUpperCase(), currency: 'PLN' })
      .expect(204);

    await antaca
      .get(`/users/${userId}/balances`)
      .expect(200, [{ id: balanceId, currency: 'PLN', amount: 0 }]);
    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200, { currency: 'PLN', amount: 0 });
    await antaca
      .get(`/users/${userId}/balances/${balanceId.toUpperCase()}`)
      .expect(200, { currency: 'PLN', amount: 0 });
    const view = await (await antaca.operator()).get(`/operator/balances/${balanceId}`).expect(200);
    expect((view.body as { balanceId: string }).balanceId).toBe(balanceId);
    // The lower-case spelling is the same balance: linking it again is the no-op, not a second balance.
    await antaca.post(`/users/${userId}/balances`, { balanceId, currency: 'PLN' }).expect(204);
    await antaca
      .get(`/users/${userId}/balances`)
      .expect(200, [{ id: balanceId, currency: 'PLN', amount: 0 }]);
  });
});

describe('GET /users/:id/balances/:balanceId (single balance)', () => {
  it('answers 200 with the currency and amount = available (booked minus holds)', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(5000);
    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 1200 })).expect(204);

    const response = await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200);

    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ currency: 'PLN', amount: 3800 });
    expect(await antaca.figures(balanceId)).toEqual({ available: 3800, holds: 1200, booked: 5000 });
  });

  it('answers 404 BALANCE_NOT_FOUND for a balance never linked', async () => {
    const userId = await registeredUser();

    expectProblem(await antaca.get(`/users/${userId}/balances/${randomUUID()}`), 404, 'BALANCE_NOT_FOUND');
  });

  it('answers 404 BALANCE_NOT_FOUND for a balanceId that is not a UUID', async () => {
    const userId = await registeredUser();

    expectProblem(await antaca.get(`/users/${userId}/balances/not-a-uuid`), 404, 'BALANCE_NOT_FOUND');
  });

  it('answers 403 FORBIDDEN for another user’s balance, whether that user is known or not', async () => {
    const { balanceId } = await antaca.fundedBalance(300);
    const otherUserId = await registeredUser();

    expectProblem(await antaca.get(`/users/${otherUserId}/balances/${balanceId}`), 403, 'FORBIDDEN');
    expectProblem(
      await antaca.get(`/users/nobody-${randomUUID().slice(0, 8)}/balances/${balanceId}`),
      403,
      'FORBIDDEN',
    );
  });
});

describe('GET /users/:id/balances (collection)', () => {
  it('answers 200 [] for a user we do not know', async () => {
    const response = await antaca.get(`/users/unknown-${randomUUID().slice(0, 8)}/balances`).expect(200);

    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual([]);
  });

  it('answers 200 [] for a registered user without balances', async () => {
    const userId = await registeredUser();

    await antaca.get(`/users/${userId}/balances`).expect(200, []);
  });

  it('lists the user’s balances as [{id, currency, amount}] with amount = available, in link order', async () => {
    const userId = await registeredUser();
    const pln = randomUUID();
    const eur = randomUUID();
    const operator = await antaca.operator();
    await antaca.post(`/users/${userId}/balances`, { balanceId: pln, currency: 'PLN' }).expect(204);
    await antaca.post(`/users/${userId}/balances`, { balanceId: eur, currency: 'EUR' }).expect(204);
    await operator
      .post(`/operator/balances/${pln}/credits`, { amount: 250, reason: 'transfer', reference: 'r-pln' })
      .expect(204);
    await operator
      .post(`/operator/balances/${eur}/credits`, { amount: 500, reason: 'transfer', reference: 'r-eur' })
      .expect(204);
    await antaca
      .post('/transactions/debit', cardTransaction({ balanceId: eur, currency: 'EUR', amount: 40 }))
      .expect(204);

    await antaca.get(`/users/${userId}/balances`).expect(200, [
      { id: pln, currency: 'PLN', amount: 250 },
      { id: eur, currency: 'EUR', amount: 460 },
    ]);
    expect(await antaca.figures(eur)).toEqual({ available: 460, holds: 40, booked: 500 });
  });

  it('does not list another user’s balances', async () => {
    await antaca.fundedBalance(100);
    const userId = await registeredUser();

    await antaca.get(`/users/${userId}/balances`).expect(200, []);
  });
});

describe('DELETE /users/:id/balances/:balanceId', () => {
  it('unlinks an empty balance with 204; it is then gone from the GETs and shown UNLINKED to the operator', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(0);

    const response = await antaca.delete(`/users/${userId}/balances/${balanceId}`);

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expectProblem(await antaca.get(`/users/${userId}/balances/${balanceId}`), 404, 'BALANCE_NOT_FOUND');
    await antaca.get(`/users/${userId}/balances`).expect(200, []);
    const view = await (await antaca.operator()).get(`/operator/balances/${balanceId}`).expect(200);
    expect(view.body).toMatchObject({ balanceId, status: 'UNLINKED', available: 0, holds: 0, booked: 0 });
  });

  it('unlinks a balance whose money was spent and cleared to exactly zero', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(1000);
    const purchase = cardTransaction({ balanceId, amount: 1000 });
    await antaca.post('/transactions/debit', purchase).expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 0, holds: 1000, booked: 1000 });
    await antaca
      .put(`/transactions/${String(purchase.transactionId)}`, { ...purchase, status: 'CLEARED' })
      .expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 0, holds: 0, booked: 0 });

    await antaca.delete(`/users/${userId}/balances/${balanceId}`).expect(204);
  });

  it('answers 404 BALANCE_NOT_FOUND for a balance never linked', async () => {
    const userId = await registeredUser();

    expectProblem(await antaca.delete(`/users/${userId}/balances/${randomUUID()}`), 404, 'BALANCE_NOT_FOUND');
  });

  it('answers 404 BALANCE_NOT_FOUND when deleting an already deleted balance again', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(0);
    await antaca.delete(`/users/${userId}/balances/${balanceId}`).expect(204);

    expectProblem(await antaca.delete(`/users/${userId}/balances/${balanceId}`), 404, 'BALANCE_NOT_FOUND');
  });

  it('answers 403 FORBIDDEN for another user’s balance and leaves it linked', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(0);
    const otherUserId = await registeredUser();

    expectProblem(await antaca.delete(`/users/${otherUserId}/balances/${balanceId}`), 403, 'FORBIDDEN');
    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200, { currency: 'PLN', amount: 0 });
  });

  it('answers 409 BALANCE_NOT_EMPTY while booked money remains, and leaves the balance as it was', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(700);

    expectProblem(await antaca.delete(`/users/${userId}/balances/${balanceId}`), 409, 'BALANCE_NOT_EMPTY');
    expect(await antaca.figures(balanceId)).toEqual({ available: 700, holds: 0, booked: 700 });
    await antaca
      .get(`/users/${userId}/balances`)
      .expect(200, [{ id: balanceId, currency: 'PLN', amount: 700 }]);
  });

  it('answers 409 BALANCE_NOT_EMPTY while a hold is outstanding, even with nothing booked', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(0);
    await antaca
      .post('/transactions/force-debit', cardTransaction({ balanceId, amount: 100, status: 'AUTHORIZED' }))
      .expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: -100, holds: 100, booked: 0 });

    expectProblem(await antaca.delete(`/users/${userId}/balances/${balanceId}`), 409, 'BALANCE_NOT_EMPTY');
    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200, { currency: 'PLN', amount: -100 });
  });

  it('answers 409 BALANCE_NOT_EMPTY for a balance overdrawn by a forced debit (booked below zero)', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(0);
    await antaca
      .post('/transactions/force-debit', cardTransaction({ balanceId, amount: 50, status: 'CLEARED' }))
      .expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: -50, holds: 0, booked: -50 });

    expectProblem(await antaca.delete(`/users/${userId}/balances/${balanceId}`), 409, 'BALANCE_NOT_EMPTY');
  });
});
