import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { Antaca, cardTransaction } from '../support/antaca';
import { startTestService, type TestService } from '../support/service';
import { expectProblem, expectInvalidRequest } from '../support/problems';

/**
 * External Balance, the money path (seeds: debit, force-debit, credit, force-credit, reversal,
 * update transaction status) over real HTTP, with the three figures read back after each step.
 */

let service: TestService;
let antaca: Antaca;

beforeAll(async () => {
  service = await startTestService();
  antaca = new Antaca(service);
});
afterAll(() => service.stop());

interface SuspenseEntry {
  balanceId: string | null;
  id: string | null;
  command: string;
  reason: string;
  amount: number | null;
  currency: string | null;
  body: unknown;
}

interface TransactionView {
  balanceId: string;
  id: string;
  kind: string;
  status: string;
  authorized: number;
  held: number;
  cleared: number | null;
  mismatch: boolean;
  declinedReason: string | null;
}

function expectNoContent(response: Response): void {
  expect(response.status).toBe(204);
  expect(response.text).toBe('');
}

async function suspense(): Promise<SuspenseEntry[]> {
  const response = await (await antaca.operator()).get('/operator/suspense').expect(200);
  return (response.body as { entries: SuspenseEntry[] }).entries;
}

/** The clearing-status row of one lifecycle on one balance. */
async function lifecycle(id: string, balanceId: string): Promise<TransactionView | undefined> {
  const response = await (await antaca.operator()).get(`/operator/transactions/${encodeURIComponent(id)}`);
  if (response.status === 404) return undefined;
  expect(response.status).toBe(200);
  const rows = (response.body as { transactions: TransactionView[] }).transactions;
  return rows.find((row) => row.balanceId === balanceId);
}

describe('POST /transactions/debit', () => {
  it('holds the amount: available falls, booked stays', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = cardTransaction({ balanceId, amount: 1200 });

    expectNoContent(await antaca.post('/transactions/debit', purchase));

    expect(await antaca.figures(balanceId)).toEqual({ available: 3800, holds: 1200, booked: 5000 });
    expect(await lifecycle(String(purchase.id), balanceId)).toMatchObject({
      kind: 'debit',
      status: 'AUTHORIZED',
      authorized: 1200,
      held: 1200,
    });
  });

  it('holds exactly the available amount', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);

    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 1000 })).expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 0, holds: 1000, booked: 1000 });
  });

  it('declines a debit above the available amount with 422 INSUFFICIENT_FUNDS, holding nothing', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const purchase = cardTransaction({ balanceId, amount: 1001 });

    expectProblem(await antaca.post('/transactions/debit', purchase), 422, 'INSUFFICIENT_FUNDS');

    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
    expect(await lifecycle(String(purchase.id), balanceId)).toMatchObject({
      status: 'DECLINED',
      declinedReason: 'INSUFFICIENT_FUNDS',
      held: 0,
    });
  });

  it('counts outstanding holds against the available amount', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 600 })).expect(204);

    const response = await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 500 }));

    expectProblem(response, 422, 'INSUFFICIENT_FUNDS');
    expect(await antaca.figures(balanceId)).toEqual({ available: 400, holds: 600, booked: 1000 });
  });

  it('answers 404 BALANCE_NOT_FOUND for a balance never linked', async () => {
    const response = await antaca.post('/transactions/debit', cardTransaction({ balanceId: randomUUID() }));

    expectProblem(response, 404, 'BALANCE_NOT_FOUND');
  });

  it('answers 404 BALANCE_NOT_FOUND for a balance that was deleted', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(0);
    await antaca.delete(`/users/${userId}/balances/${balanceId}`).expect(204);

    expectProblem(
      await antaca.post('/transactions/debit', cardTransaction({ balanceId })),
      404,
      'BALANCE_NOT_FOUND',
    );
  });

  it('answers 409 CLIENT_ERROR for a currency other than the balance’s, holding nothing', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);

    const response = await antaca.post(
      '/transactions/debit',
      cardTransaction({ balanceId, currency: 'EUR' }),
    );

    expectProblem(response, 409, 'CLIENT_ERROR');
    expect(await antaca.figures(balanceId)).toEqual({ available: 5000, holds: 0, booked: 5000 });
  });

  it('answers 400 INVALID_REQUEST naming every bad field', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);

    const response = await antaca.post('/transactions/debit', {
      ...cardTransaction({ balanceId, amount: 'ten', currency: 'ABC' }),
      balanceId: 'not-a-uuid',
    });

    expectInvalidRequest(response, ['balanceId', 'amount', 'currency']);
    expect(await antaca.figures(balanceId)).toEqual({ available: 5000, holds: 0, booked: 5000 });
  });

  it('answers 400 INVALID_REQUEST naming the required fields that are missing', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const { id: _id, amount: _amount, ...withoutIdAndAmount } = cardTransaction({ balanceId });

    expectInvalidRequest(await antaca.post('/transactions/debit', withoutIdAndAmount), ['id', 'amount']);
    expect(await antaca.figures(balanceId)).toEqual({ available: 5000, holds: 0, booked: 5000 });
  });

  it('accepts an amount sent as a JSON string of digits ("1000")', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);

    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: '1000' })).expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 4000, holds: 1000, booked: 5000 });
  });

  it('refuses a negative amount with 400 INVALID_REQUEST naming amount', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);

    const response = await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: -100 }));

    expectInvalidRequest(response, ['amount']);
    expect(await antaca.figures(balanceId)).toEqual({ available: 5000, holds: 0, booked: 5000 });
  });

  it('refuses a fractional amount with 400 INVALID_REQUEST naming amount (minor units are integers)', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);

    const response = await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 10.5 }));

    expectInvalidRequest(response, ['amount']);
    expect(await antaca.figures(balanceId)).toEqual({ available: 5000, holds: 0, booked: 5000 });
  });

  it('accepts a transaction type it does not know, and a type in any case', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);

    await antaca
      .post('/transactions/debit', cardTransaction({ balanceId, type: 'Crypto Purchase', amount: 100 }))
      .expect(204);
    await antaca
      .post('/transactions/debit', cardTransaction({ balanceId, type: 'pos', amount: 200 }))
      .expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 4700, holds: 300, booked: 5000 });
  });

  it('accepts unknown extra fields and keeps them in the recorded event without binding them', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = cardTransaction({
      balanceId,
      amount: 300,
      newAntacaField: { nested: [1, 2] },
      heldMinor: 999999,
    });

    await antaca.post('/transactions/debit', purchase).expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 4700, holds: 300, booked: 5000 });
    const history = await (
      await antaca.operator()
    )
      .get(`/operator/balances/${balanceId}/history`)
      .expect(200);
    const held = (history.body as { events: { type: string; data: Record<string, unknown> }[] }).events.find(
      (event) => event.type === 'FundsHeld',
    );
    expect(held?.data.amountMinor).toBe(300);
    expect(held?.data.body).toMatchObject({ newAntacaField: { nested: [1, 2] }, heldMinor: 999999 });
    expect(held?.data.transaction).not.toHaveProperty('newAntacaField');
  });

  it('accepts an amount of zero (balance inquiry) on an empty balance, holding nothing', async () => {
    const { balanceId } = await antaca.fundedBalance(0);

    const response = await antaca.post(
      '/transactions/debit',
      cardTransaction({ balanceId, amount: 0, type: 'Balance Inquiry' }),
    );

    expectNoContent(response);
    expect(await antaca.figures(balanceId)).toEqual({ available: 0, holds: 0, booked: 0 });
  });

  it('adds an incremental authorization on the same id to the lifecycle’s hold', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const first = cardTransaction({ balanceId, amount: 1000 });

    await antaca.post('/transactions/debit', first).expect(204);
    await antaca.post('/transactions/debit', { ...first, amount: 250 }).expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 3750, holds: 1250, booked: 5000 });
    expect(await lifecycle(String(first.id), balanceId)).toMatchObject({ authorized: 1250, held: 1250 });
  });

  it('never overspends under 20 concurrent debits: exactly as many are held as the money covers', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 100 })),
      ),
    );

    expect(responses.filter((response) => response.status === 204)).toHaveLength(10);
    const declined = responses.filter((response) => response.status !== 204);
    expect(declined).toHaveLength(10);
    for (const response of declined) expectProblem(response, 422, 'INSUFFICIENT_FUNDS');
    expect(await antaca.figures(balanceId)).toEqual({ available: 0, holds: 1000, booked: 1000 });
  });
});

describe('POST /transactions/force-debit', () => {
  it('holds an AUTHORIZED force-debit without a funds check: available may go negative', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(1000);

    const response = await antaca.post(
      '/transactions/force-debit',
      cardTransaction({ balanceId, amount: 1500, status: 'AUTHORIZED' }),
    );

    expectNoContent(response);
    expect(await antaca.figures(balanceId)).toEqual({ available: -500, holds: 1500, booked: 1000 });
    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200, { currency: 'PLN', amount: -500 });
  });

  it('books a CLEARED force-debit (offline transaction)', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const offline = cardTransaction({ balanceId, amount: 300, status: 'CLEARED' });

    expectNoContent(await antaca.post('/transactions/force-debit', offline));

    expect(await antaca.figures(balanceId)).toEqual({ available: 700, holds: 0, booked: 700 });
    expect(await lifecycle(String(offline.id), balanceId)).toMatchObject({ status: 'CLEARED', cleared: 300 });
  });

  it('books a CLEARED force-debit beyond the available amount', async () => {
    const { balanceId } = await antaca.fundedBalance(100);

    await antaca
      .post('/transactions/force-debit', cardTransaction({ balanceId, amount: 400, status: 'CLEARED' }))
      .expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: -300, holds: 0, booked: -300 });
  });

  it('settles the hold of its own authorized lifecycle instead of charging twice', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const purchase = cardTransaction({ balanceId, amount: 600 });
    await antaca.post('/transactions/debit', purchase).expect(204);

    await antaca.post('/transactions/force-debit', { ...purchase, status: 'CLEARED' }).expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 400, holds: 0, booked: 400 });
  });

  it('answers 204 for an unknown balance and lists the request in suspense', async () => {
    const balanceId = randomUUID();
    const forced = cardTransaction({ balanceId, amount: 4321 });

    expectNoContent(await antaca.post('/transactions/force-debit', forced));

    expect(await suspense()).toContainEqual(
      expect.objectContaining({
        balanceId,
        id: forced.id,
        command: 'ForceDebit',
        amount: 4321,
        currency: 'PLN',
        body: expect.objectContaining({ id: forced.id, amount: 4321 }),
      }),
    );
    await (await antaca.operator()).get(`/operator/balances/${balanceId}`).expect(404);
  });

  it('answers 204 for a currency other than the balance’s, moves nothing, and lists it in suspense', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const forced = cardTransaction({ balanceId, amount: 250, currency: 'EUR' });

    expectNoContent(await antaca.post('/transactions/force-debit', forced));

    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
    const entry = (await suspense()).find((candidate) => candidate.id === forced.id);
    expect(entry).toMatchObject({ balanceId, command: 'ForceDebit', amount: 250, currency: 'EUR' });
    expect(entry?.reason).toMatch(/EUR/);
  });

  it('applies a forced request whose non-essential fields fail validation', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);

    const response = await antaca.post(
      '/transactions/force-debit',
      cardTransaction({ balanceId, amount: 200, date: 'yesterday', description: 42 }),
    );

    expectNoContent(response);
    expect(await antaca.figures(balanceId)).toEqual({ available: 800, holds: 200, booked: 1000 });
  });

  it('answers 400 INVALID_REQUEST naming amount for a body without one, and lists it in suspense as unreadable', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const { amount: _amount, ...withoutAmount } = cardTransaction({ balanceId });

    const response = await antaca.post('/transactions/force-debit', withoutAmount);

    expectInvalidRequest(response, ['amount']);
    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
    const entry = (await suspense()).find(
      (candidate) => typeof candidate.body === 'string' && candidate.body.includes(String(withoutAmount.id)),
    );
    expect(entry).toMatchObject({ command: 'ForceDebit', balanceId: null, amount: null });
    expect(entry?.reason).toMatch(/^UNREADABLE\b.*\bamount\b/);
  });

  it('answers 400 INVALID_REQUEST for a body that is not JSON', async () => {
    const response = await antaca
      .post('/transactions/force-debit', `{"id": "${randomUUID()}", "amount": 100,`)
      .set('Content-Type', 'application/json');

    expectProblem(response, 400, 'INVALID_REQUEST');
  });

  it('records a body that is not JSON in suspense as unreadable', async () => {
    const marker = `not-json-${randomUUID()}`;

    const response = await antaca
      .post('/transactions/force-debit', `{"id": "${marker}", "amount": 100,`)
      .set('Content-Type', 'application/json');

    expect(response.status).toBe(400);
    const entry = (await suspense()).find(
      (candidate) => typeof candidate.body === 'string' && candidate.body.includes(marker),
    );
    expect(entry).toMatchObject({ command: 'ForceDebit', balanceId: null, amount: null });
  });
});

describe('POST /transactions/credit', () => {
  it('books the amount: booked and available rise', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const income = cardTransaction({ balanceId, amount: 750, type: 'Adjustment' });

    expectNoContent(await antaca.post('/transactions/credit', income));

    expect(await antaca.figures(balanceId)).toEqual({ available: 1750, holds: 0, booked: 1750 });
    expect(await lifecycle(String(income.id), balanceId)).toMatchObject({ kind: 'credit', authorized: 750 });
  });

  it('answers 404 BALANCE_NOT_FOUND for a balance never linked', async () => {
    const response = await antaca.post('/transactions/credit', cardTransaction({ balanceId: randomUUID() }));

    expectProblem(response, 404, 'BALANCE_NOT_FOUND');
  });

  it('answers 409 CLIENT_ERROR for a currency other than the balance’s, booking nothing', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);

    const response = await antaca.post(
      '/transactions/credit',
      cardTransaction({ balanceId, currency: 'USD' }),
    );

    expectProblem(response, 409, 'CLIENT_ERROR');
    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
  });

  it('answers 400 INVALID_REQUEST naming a negative amount', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);

    const response = await antaca.post('/transactions/credit', cardTransaction({ balanceId, amount: -5 }));

    expectInvalidRequest(response, ['amount']);
    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
  });
});

describe('POST /transactions/force-credit', () => {
  it('books the amount', async () => {
    const { balanceId } = await antaca.fundedBalance(0);

    expectNoContent(
      await antaca.post('/transactions/force-credit', cardTransaction({ balanceId, amount: 700 })),
    );

    expect(await antaca.figures(balanceId)).toEqual({ available: 700, holds: 0, booked: 700 });
  });

  it('answers 204 for an unknown balance and lists the request in suspense', async () => {
    const balanceId = randomUUID();
    const forced = cardTransaction({ balanceId, amount: 990 });

    expectNoContent(await antaca.post('/transactions/force-credit', forced));

    expect(await suspense()).toContainEqual(
      expect.objectContaining({ balanceId, id: forced.id, command: 'ForceCredit', amount: 990 }),
    );
  });

  it('answers 204 for a currency other than the balance’s, books nothing, and lists it in suspense', async () => {
    const { balanceId } = await antaca.fundedBalance(100);
    const forced = cardTransaction({ balanceId, amount: 50, currency: 'GBP' });

    expectNoContent(await antaca.post('/transactions/force-credit', forced));

    expect(await antaca.figures(balanceId)).toEqual({ available: 100, holds: 0, booked: 100 });
    expect(await suspense()).toContainEqual(
      expect.objectContaining({ balanceId, id: forced.id, command: 'ForceCredit', currency: 'GBP' }),
    );
  });

  it('applies a force-credit whose X-Idempotency-Key is malformed instead of refusing it', async () => {
    const { balanceId } = await antaca.fundedBalance(0);

    const response = await antaca.post(
      '/transactions/force-credit',
      cardTransaction({ balanceId, amount: 400 }),
      `key with spaces ${'x'.repeat(200)}`,
    );

    expectNoContent(response);
    expect(await antaca.figures(balanceId)).toEqual({ available: 400, holds: 0, booked: 400 });
  });

  it('reverses the seeds’ debit: force-credit REVERSED on the same id releases the hold, leaving no phantom hold', async () => {
    const { balanceId } = await antaca.fundedBalance(22233, 'EUR');
    // The seeds' own bodies (Transactions Flow, REVERSAL example), on this test's balance.
    const debit = {
      id: '24cbc777-de3f-42e2-b772-7d5427dc616e',
      balanceId,
      resourceId: '59664b2b-8403-4205-a400-92283fa95ffe',
      resource: 'card',
      transactionId: '177482',
      referenceTransactionId: null,
      type: 'pos',
      amount: 2233,
      currency: 'EUR',
      originalAmount: 76000,
      originalCurrency: 'THB',
      status: 'AUTHORIZED',
      description: 'Description',
      date: '2023-01-01T10:10:54+00:00',
      transactionData: {
        mcc: '4121',
        merchantIdentifier: '12345678',
        merchantName: null,
        captureMode: 'ECOM',
        cardId: '222',
        lastFourDigits: '1234',
        acquirerCountry: 'THA',
        mdesDigitizedWalletId: null,
        cashbackPosCurrencyCode: null,
        cashbackPosAmount: '0',
        lastFourDpan: null,
        adjustmentReasonDescription: null,
        retrievalReferenceNumber: '443322110088',
      },
    };
    const reversal = {
      id: '24cbc777-de3f-42e2-b772-7d5427dc616e',
      balanceId,
      resourceId: '59664b2b-8403-4205-a400-92283fa95ffe',
      resource: 'card',
      transactionId: '2678823',
      referenceTransactionId: '177482',
      type: 'adjustment',
      amount: 2233,
      currency: 'EUR',
      originalAmount: null,
      originalCurrency: null,
      status: 'REVERSED',
      description: 'Description',
      date: '2023-01-01T13:43:30+00:00',
      transactionData: {
        mcc: null,
        merchantIdentifier: null,
        merchantName: null,
        captureMode: null,
        cardId: '222',
        lastFourDigits: null,
        acquirerCountry: null,
        mdesDigitizedWalletId: null,
        cashbackPosCurrencyCode: null,
        cashbackPosAmount: null,
        lastFourDpan: null,
        adjustmentReasonDescription: null,
        retrievalReferenceNumber: null,
      },
    };

    expectNoContent(await antaca.post('/transactions/debit', debit));
    // The seeds' Transaction History Core: balanceMinorValueAfterTransaction 20000.
    expect(await antaca.figures(balanceId)).toEqual({ available: 20000, holds: 2233, booked: 22233 });

    expectNoContent(await antaca.post('/transactions/force-credit', reversal));

    expect(await antaca.figures(balanceId)).toEqual({ available: 22233, holds: 0, booked: 22233 });
    expect(await lifecycle(debit.id, balanceId)).toMatchObject({ status: 'REVERSED', held: 0 });
  });

  it('finds the reversed debit by referenceTransactionId when the id differs', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const purchase = cardTransaction({ balanceId, amount: 400, transactionId: `net-${randomUUID()}` });
    await antaca.post('/transactions/debit', purchase).expect(204);

    await antaca
      .post(
        '/transactions/force-credit',
        cardTransaction({
          balanceId,
          amount: 400,
          status: 'REVERSED',
          type: 'Adjustment',
          referenceTransactionId: purchase.transactionId,
        }),
      )
      .expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
  });

  it('credits a force-credit REVERSED that matches nothing (a refund)', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);

    await antaca
      .post('/transactions/force-credit', cardTransaction({ balanceId, amount: 150, status: 'REVERSED' }))
      .expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 1150, holds: 0, booked: 1150 });
  });
});

describe('POST /transactions/reversal', () => {
  it('answers 204 for a transaction it never saw, moving nothing', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const unknown = cardTransaction({ balanceId, amount: 300 });

    expectNoContent(await antaca.post('/transactions/reversal', unknown));

    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
    expect(await lifecycle(String(unknown.id), balanceId)).toMatchObject({ status: 'REVERSED', held: 0 });
  });

  it('answers 204 for a balance it does not know, and lists the request in suspense', async () => {
    const balanceId = randomUUID();
    const reversal = cardTransaction({ balanceId, amount: 300 });

    expectNoContent(await antaca.post('/transactions/reversal', reversal));

    expect(await suspense()).toContainEqual(
      expect.objectContaining({ balanceId, id: reversal.id, command: 'Reverse', amount: 300 }),
    );
  });

  it('releases the hold of the debit it reverses (same body as the debit, as the seeds say)', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const purchase = cardTransaction({ balanceId, amount: 700 });
    await antaca.post('/transactions/debit', purchase).expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 300, holds: 700, booked: 1000 });

    expectNoContent(await antaca.post('/transactions/reversal', purchase));

    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
    expect(await lifecycle(String(purchase.id), balanceId)).toMatchObject({ status: 'REVERSED', held: 0 });
  });

  it('takes back an uncleared credit', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const income = cardTransaction({ balanceId, amount: 500 });
    await antaca.post('/transactions/credit', income).expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 1500, holds: 0, booked: 1500 });

    expectNoContent(await antaca.post('/transactions/reversal', income));

    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
  });

  it('only records the reversal of a cleared debit: refunds come as force-credit', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const purchase = cardTransaction({ balanceId, amount: 400 });
    await antaca.post('/transactions/debit', purchase).expect(204);
    await antaca
      .put(`/transactions/${String(purchase.transactionId)}`, { ...purchase, status: 'CLEARED' })
      .expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 600, holds: 0, booked: 600 });

    expectNoContent(await antaca.post('/transactions/reversal', purchase));

    expect(await antaca.figures(balanceId)).toEqual({ available: 600, holds: 0, booked: 600 });
    expect(await lifecycle(String(purchase.id), balanceId)).toMatchObject({ status: 'CLEARED' });
  });

  it('leaves no hold when the reversal arrives before its debit', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const purchase = cardTransaction({ balanceId, amount: 300 });

    expectNoContent(await antaca.post('/transactions/reversal', purchase));
    expectNoContent(await antaca.post('/transactions/debit', purchase));

    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
    expect(await lifecycle(String(purchase.id), balanceId)).toMatchObject({ status: 'REVERSED', held: 0 });
  });
});

describe('PUT /transactions/:transactionId (clearing)', () => {
  it('turns the hold into booked money without moving available', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(5000);
    const purchase = cardTransaction({ balanceId, amount: 1200 });
    await antaca.post('/transactions/debit', purchase).expect(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 3800, holds: 1200, booked: 5000 });

    const response = await antaca.put(`/transactions/${String(purchase.transactionId)}`, {
      ...purchase,
      status: 'CLEARED',
    });

    expectNoContent(response);
    expect(await antaca.figures(balanceId)).toEqual({ available: 3800, holds: 0, booked: 3800 });
    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200, { currency: 'PLN', amount: 3800 });
    expect(await lifecycle(String(purchase.id), balanceId)).toMatchObject({
      status: 'CLEARED',
      held: 0,
      cleared: 1200,
      mismatch: false,
    });
  });

  it('clears the total of an incrementally authorized lifecycle', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = cardTransaction({ balanceId, amount: 1000 });
    await antaca.post('/transactions/debit', purchase).expect(204);
    await antaca.post('/transactions/debit', { ...purchase, amount: 500 }).expect(204);

    await antaca
      .put(`/transactions/${String(purchase.transactionId)}`, {
        ...purchase,
        amount: 1500,
        status: 'CLEARED',
      })
      .expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 3500, holds: 0, booked: 3500 });
    expect(await lifecycle(String(purchase.id), balanceId)).toMatchObject({ cleared: 1500, mismatch: false });
  });

  it('answers 404 TRANSACTION_NOT_FOUND for a transaction the balance never saw', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const unknown = cardTransaction({ balanceId, status: 'CLEARED' });

    const response = await antaca.put(`/transactions/${String(unknown.transactionId)}`, unknown);

    expectProblem(response, 404, 'TRANSACTION_NOT_FOUND');
    expect(await antaca.figures(balanceId)).toEqual({ available: 5000, holds: 0, booked: 5000 });
  });

  it('answers 404 TRANSACTION_NOT_FOUND on a balance it does not know', async () => {
    const unknown = cardTransaction({ balanceId: randomUUID(), status: 'CLEARED' });

    expectProblem(
      await antaca.put(`/transactions/${String(unknown.transactionId)}`, unknown),
      404,
      'TRANSACTION_NOT_FOUND',
    );
  });

  it('finds the transaction by the path transactionId when the body’s id differs', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const networkId = `net-${randomUUID()}`;
    const purchase = cardTransaction({ balanceId, amount: 800, transactionId: networkId });
    await antaca.post('/transactions/debit', purchase).expect(204);

    const response = await antaca.put(
      `/transactions/${networkId}`,
      cardTransaction({ balanceId, amount: 800, transactionId: networkId, status: 'CLEARED' }),
    );

    expectNoContent(response);
    expect(await antaca.figures(balanceId)).toEqual({ available: 4200, holds: 0, booked: 4200 });
    expect(await lifecycle(String(purchase.id), balanceId)).toMatchObject({
      status: 'CLEARED',
      cleared: 800,
    });
  });

  it('books what was held and flags a different cleared amount for reconciliation', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = cardTransaction({ balanceId, amount: 1000 });
    await antaca.post('/transactions/debit', purchase).expect(204);

    await antaca
      .put(`/transactions/${String(purchase.transactionId)}`, {
        ...purchase,
        amount: 1100,
        status: 'CLEARED',
      })
      .expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 4000, holds: 0, booked: 4000 });
    expect(await lifecycle(String(purchase.id), balanceId)).toMatchObject({
      status: 'CLEARED',
      authorized: 1000,
      held: 0,
      cleared: 1100,
      mismatch: true,
    });
  });

  it('answers 400 INVALID_REQUEST naming the bad fields of the body', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = cardTransaction({ balanceId, amount: 1000 });
    await antaca.post('/transactions/debit', purchase).expect(204);

    const response = await antaca.put(`/transactions/${String(purchase.transactionId)}`, {
      ...purchase,
      amount: -1,
      status: 'CLEARED',
    });

    expectInvalidRequest(response, ['amount']);
    expect(await antaca.figures(balanceId)).toEqual({ available: 4000, holds: 1000, booked: 5000 });
  });
});
