import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { Antaca, cardTransaction } from '../support/antaca';
import { startTestService, type TestService } from '../support/service';
import { expectProblem } from '../support/problems';

/**
 * DOMAIN.md 3 over real HTTP: a request is processed at most once and always answered the
 * same way; the same key with another body is refused; a keyless byte-identical body is a repeat.
 */

let service: TestService;
let antaca: Antaca;

beforeAll(async () => {
  service = await startTestService();
  antaca = new Antaca(service);
});
afterAll(() => service.stop());

/** What a client sees of an answer: status, content type and body bytes. */
const answerOf = (response: Response) => ({
  status: response.status,
  contentType: response.headers['content-type'],
  text: response.text,
});

describe('the same X-Idempotency-Key again', () => {
  it('answers a repeated debit 204 again and holds once', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = cardTransaction({ balanceId, amount: 1000 });
    const key = randomUUID();

    const first = await antaca.post('/transactions/debit', purchase, key);
    expect(first.status).toBe(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 4000, holds: 1000, booked: 5000 });

    const repeat = await antaca.post('/transactions/debit', purchase, key);

    expect(answerOf(repeat)).toEqual(answerOf(first));
    expect(await antaca.figures(balanceId)).toEqual({ available: 4000, holds: 1000, booked: 5000 });
  });

  it('answers a repeated refusal with the identical status and body', async () => {
    const { balanceId } = await antaca.fundedBalance(100);
    const purchase = cardTransaction({ balanceId, amount: 1000 });
    const key = randomUUID();

    const first = await antaca.post('/transactions/debit', purchase, key);
    expectProblem(first, 422, 'INSUFFICIENT_FUNDS');

    const repeat = await antaca.post('/transactions/debit', purchase, key);

    expect(answerOf(repeat)).toEqual(answerOf(first));
    expect(await antaca.figures(balanceId)).toEqual({ available: 100, holds: 0, booked: 100 });
  });

  it('still declines a declined debit retried after a top-up', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const purchase = cardTransaction({ balanceId, amount: 5000 });
    const key = randomUUID();
    const first = await antaca.post('/transactions/debit', purchase, key);
    expectProblem(first, 422, 'INSUFFICIENT_FUNDS');
    await (
      await antaca.operator()
    )
      .post(`/operator/balances/${balanceId}/credits`, {
        amount: 10000,
        reason: 'top-up',
        reference: 'r-top-up',
      })
      .expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 11000, holds: 0, booked: 11000 });

    const retry = await antaca.post('/transactions/debit', purchase, key);

    expect(answerOf(retry)).toEqual(answerOf(first));
    expect(await antaca.figures(balanceId)).toEqual({ available: 11000, holds: 0, booked: 11000 });
  });

  it('does not hold again when a debit is repeated after its reversal', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const purchase = cardTransaction({ balanceId, amount: 400 });
    const key = randomUUID();
    await antaca.post('/transactions/debit', purchase, key).expect(204);
    await antaca.post('/transactions/reversal', purchase).expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });

    await antaca.post('/transactions/debit', purchase, key).expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
  });

  it('applies a repeated force-credit, credit, force-debit and clearing once each', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const refund = cardTransaction({ balanceId, amount: 100 });
    const income = cardTransaction({ balanceId, amount: 200 });
    const offline = cardTransaction({ balanceId, amount: 50, status: 'CLEARED' });
    const purchase = cardTransaction({ balanceId, amount: 300 });
    await antaca.post('/transactions/debit', purchase).expect(204);
    const clearing = { ...purchase, status: 'CLEARED' };
    const keys = [randomUUID(), randomUUID(), randomUUID(), randomUUID()] as const;

    for (let attempt = 0; attempt < 2; attempt++) {
      await antaca.post('/transactions/force-credit', refund, keys[0]).expect(204);
      await antaca.post('/transactions/credit', income, keys[1]).expect(204);
      await antaca.post('/transactions/force-debit', offline, keys[2]).expect(204);
      await antaca.put(`/transactions/${String(purchase.transactionId)}`, clearing, keys[3]).expect(204);
      // 1000 + 100 + 200 - 50 - 300 cleared.
      expect(await antaca.figures(balanceId)).toEqual({ available: 950, holds: 0, booked: 950 });
    }
  });

  it('answers a repeated link and delete the same way', async () => {
    const userId = `u-${randomUUID().slice(0, 8)}`;
    const balanceId = randomUUID();
    await (await antaca.operator()).post('/operator/users', { userId }).expect(201);
    const linkKey = randomUUID();
    const deleteKey = randomUUID();

    await antaca.post(`/users/${userId}/balances`, { balanceId, currency: 'PLN' }, linkKey).expect(204);
    await antaca.post(`/users/${userId}/balances`, { balanceId, currency: 'PLN' }, linkKey).expect(204);
    await antaca.delete(`/users/${userId}/balances/${balanceId}`, deleteKey).expect(204);
    await antaca.delete(`/users/${userId}/balances/${balanceId}`, deleteKey).expect(204);

    await antaca.get(`/users/${userId}/balances`).expect(200, []);
  });
});

describe('the same X-Idempotency-Key with another request', () => {
  it('answers 422 IDEMPOTENCY_KEY_REUSED for another body and applies nothing', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = cardTransaction({ balanceId, amount: 100 });
    const key = randomUUID();
    await antaca.post('/transactions/debit', purchase, key).expect(204);

    const reused = await antaca.post('/transactions/debit', { ...purchase, amount: 200 }, key);

    expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await antaca.figures(balanceId)).toEqual({ available: 4900, holds: 100, booked: 5000 });
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for another body even when the first was refused', async () => {
    const { balanceId } = await antaca.fundedBalance(50);
    const key = randomUUID();
    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 100 }), key).expect(422);

    const reused = await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 10 }), key);

    expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await antaca.figures(balanceId)).toEqual({ available: 50, holds: 0, booked: 50 });
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same body sent to another endpoint, applying nothing', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const body = cardTransaction({ balanceId, amount: 100 });
    const key = randomUUID();
    await antaca.post('/transactions/debit', body, key).expect(204);

    const reused = await antaca.post('/transactions/force-credit', body, key);

    expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await antaca.figures(balanceId)).toEqual({ available: 4900, holds: 100, booked: 5000 });
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED on a forced endpoint too, applying nothing', async () => {
    const { balanceId } = await antaca.fundedBalance(0);
    const key = randomUUID();
    await antaca
      .post('/transactions/force-credit', cardTransaction({ balanceId, amount: 100 }), key)
      .expect(204);

    const reused = await antaca.post(
      '/transactions/force-credit',
      cardTransaction({ balanceId, amount: 100 }),
      key,
    );

    expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await antaca.figures(balanceId)).toEqual({ available: 100, holds: 0, booked: 100 });
  });
});

describe('requests without X-Idempotency-Key', () => {
  it('treats a byte-identical body to the same endpoint as a repeat, applied once', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = cardTransaction({ balanceId, amount: 700 });

    const first = await antaca.post('/transactions/debit', purchase, null);
    const repeat = await antaca.post('/transactions/debit', purchase, null);

    expect(first.status).toBe(204);
    expect(answerOf(repeat)).toEqual(answerOf(first));
    expect(await antaca.figures(balanceId)).toEqual({ available: 4300, holds: 700, booked: 5000 });
  });

  it('treats a byte-identical forced body as a repeat, applied once', async () => {
    const { balanceId } = await antaca.fundedBalance(0);
    const refund = cardTransaction({ balanceId, amount: 300 });

    await antaca.post('/transactions/force-credit', refund, null).expect(204);
    await antaca.post('/transactions/force-credit', refund, null).expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 300, holds: 0, booked: 300 });
  });

  it('applies two keyless requests whose bodies differ', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);

    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 700 }), null).expect(204);
    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 700 }), null).expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 3600, holds: 1400, booked: 5000 });
  });
});

describe('concurrent repeats', () => {
  it('gives 20 concurrent repeats of one key the same answer and applies the debit once', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = cardTransaction({ balanceId, amount: 1000 });
    const key = randomUUID();

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => antaca.post('/transactions/debit', purchase, key)),
    );

    for (const response of responses)
      expect(answerOf(response)).toEqual({ status: 204, contentType: undefined, text: '' });
    expect(await antaca.figures(balanceId)).toEqual({ available: 4000, holds: 1000, booked: 5000 });
  });

  it('gives 20 concurrent repeats of a declined debit the identical refusal', async () => {
    const { balanceId } = await antaca.fundedBalance(100);
    const purchase = cardTransaction({ balanceId, amount: 1000 });
    const key = randomUUID();

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => antaca.post('/transactions/debit', purchase, key)),
    );

    expectProblem(responses[0]!, 422, 'INSUFFICIENT_FUNDS');
    for (const response of responses) expect(answerOf(response)).toEqual(answerOf(responses[0]!));
    expect(await antaca.figures(balanceId)).toEqual({ available: 100, holds: 0, booked: 100 });
  });

  it('applies 20 concurrent keyless byte-identical force-credits once', async () => {
    const { balanceId } = await antaca.fundedBalance(0);
    const refund = cardTransaction({ balanceId, amount: 250 });

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => antaca.post('/transactions/force-credit', refund, null)),
    );

    for (const response of responses) expect(response.status).toBe(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 250, holds: 0, booked: 250 });
  });
});

describe('reading right after writing', () => {
  it('reflects every 204 in the very next GET', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(1000);
    const single = `/users/${userId}/balances/${balanceId}`;

    for (let step = 1; step <= 5; step++) {
      await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 100 })).expect(204);
      await antaca.get(single).expect(200, { currency: 'PLN', amount: 1000 - step * 100 });
      await antaca
        .get(`/users/${userId}/balances`)
        .expect(200, [{ id: balanceId, currency: 'PLN', amount: 1000 - step * 100 }]);
    }
    await antaca.post('/transactions/credit', cardTransaction({ balanceId, amount: 40 })).expect(204);
    await antaca.get(single).expect(200, { currency: 'PLN', amount: 540 });
    expect(await antaca.figures(balanceId)).toEqual({ available: 540, holds: 500, booked: 1040 });
  });

  it('shows a just-linked balance in the very next GET', async () => {
    const userId = `u-${randomUUID().slice(0, 8)}`;
    const balanceId = randomUUID();
    await (await antaca.operator()).post('/operator/users', { userId }).expect(201);

    await antaca.post(`/users/${userId}/balances`, { balanceId, currency: 'EUR' }).expect(204);

    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200, { currency: 'EUR', amount: 0 });
  });
});
