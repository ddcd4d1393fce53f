import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import request, { type Response } from 'supertest';
import { Clock } from '@app/shared-kernel';
import { Antaca, cardTransaction, OPERATOR_SECRET } from '../support/antaca';
import { startTestService, type TestService } from '../support/service';
import { expectProblem, expectInvalidRequest } from '../support/problems';

/**
 * The operator API (the back office) over real HTTP on its own listener: bearer tokens,
 * users, money moves, the balance view and its history, the clearing-status report.
 */

let service: TestService;
let antaca: Antaca;

beforeAll(async () => {
  service = await startTestService();
  antaca = new Antaca(service);
});
afterAll(() => service.stop());

interface HistoryEntry {
  type: string;
  recordedAt: string;
  after: { available: number; holds: number; booked: number };
}

interface TransactionView {
  balanceId: string;
  id: string;
  status: string;
  stale: boolean;
}

const secret = new TextEncoder().encode(OPERATOR_SECRET);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function history(balanceId: string, at?: string): Promise<HistoryEntry[]> {
  const query = at === undefined ? '' : `?at=${encodeURIComponent(at)}`;
  const response = await (await antaca.operator()).get(`/operator/balances/${balanceId}/history${query}`);
  expect(response.status).toBe(200);
  expect((response.body as { balanceId: string }).balanceId).toBe(balanceId);
  return (response.body as { events: HistoryEntry[] }).events;
}

async function report(query: string): Promise<TransactionView[]> {
  const response = await (await antaca.operator()).get(`/operator/transactions?${query}`).expect(200);
  return (response.body as { transactions: TransactionView[] }).transactions;
}

describe('bearer authentication', () => {
  const guarded = () => request(service.operatorUrl).get(`/operator/balances/${randomUUID()}`);

  it('answers 401 {title, detail} without an Authorization header', async () => {
    expectProblem(await guarded(), 401, 'UNAUTHORIZED');
  });

  it('answers 401 for a header that is not a bearer token', async () => {
    expectProblem(
      await guarded().set('Authorization', `Basic ${btoa('operator:secret')}`),
      401,
      'UNAUTHORIZED',
    );
  });

  it('answers 401 for a malformed token', async () => {
    expectProblem(await guarded().set('Authorization', 'Bearer not.a.jwt'), 401, 'UNAUTHORIZED');
  });

  it('answers 401 for a token signed with another secret', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('intruder')
      .setExpirationTime(nowSeconds() + 600)
      .sign(new TextEncoder().encode('another-secret-of-at-least-32-characters!'));

    expectProblem(await guarded().set('Authorization', `Bearer ${token}`), 401, 'UNAUTHORIZED');
  });

  it('answers 401 for an expired token', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('test')
      .setIssuedAt(nowSeconds() - 3600)
      .setExpirationTime(nowSeconds() - 600)
      .sign(secret);

    expectProblem(await guarded().set('Authorization', `Bearer ${token}`), 401, 'UNAUTHORIZED');
  });

  it('answers 401 for a token without an expiry', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('test').sign(secret);

    expectProblem(await guarded().set('Authorization', `Bearer ${token}`), 401, 'UNAUTHORIZED');
  });

  it('answers 401 on a POST before reading its body, applying nothing', async () => {
    const { balanceId } = await antaca.fundedBalance(100);

    const response = await request(service.operatorUrl)
      .post(`/operator/balances/${balanceId}/credits`)
      .send({ amount: 1000, reason: 'transfer', reference: 'r' });

    expectProblem(response, 401, 'UNAUTHORIZED');
    expect(await antaca.figures(balanceId)).toEqual({ available: 100, holds: 0, booked: 100 });
  });

  it('lets the health routes through without a token', async () => {
    await request(service.operatorUrl).get('/health/live').expect(200);
    await request(service.operatorUrl).get('/health/ready').expect(200);
  });
});

describe('POST /operator/users', () => {
  it('registers a user with 201, and answers 200 when the user already exists', async () => {
    const operator = await antaca.operator();
    const userId = `u-${randomUUID().slice(0, 8)}`;

    await operator
      .post('/operator/users', { userId, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' })
      .expect(201, { userId });
    await operator.post('/operator/users', { userId }).expect(200, { userId });
  });

  it('answers a repeat with the same Idempotency-Key 201 again', async () => {
    const operator = await antaca.operator();
    const userId = `u-${randomUUID().slice(0, 8)}`;
    const key = randomUUID();

    await operator.post('/operator/users', { userId }, key).expect(201, { userId });
    await operator.post('/operator/users', { userId }, key).expect(201, { userId });
  });

  it('accepts a numeric userId as its decimal string', async () => {
    const userId = Math.floor(Math.random() * 1e12);

    await (
      await antaca.operator()
    )
      .post('/operator/users', { userId })
      .expect(201, { userId: String(userId) });
    await antaca.post(`/users/${userId}/balances`, { balanceId: randomUUID(), currency: 'PLN' }).expect(204);
  });

  it('answers 400 INVALID_REQUEST naming userId when it is missing or malformed', async () => {
    const operator = await antaca.operator();

    expectInvalidRequest(await operator.post('/operator/users', {}), ['userId']);
    expectInvalidRequest(await operator.post('/operator/users', { userId: 'has spaces/and slashes' }), [
      'userId',
    ]);
  });
});

describe('POST /operator/balances/:balanceId/credits', () => {
  it('books the amount with 204', async () => {
    const { balanceId } = await antaca.fundedBalance(100);

    const response = await (
      await antaca.operator()
    ).post(`/operator/balances/${balanceId}/credits`, {
      amount: 2500,
      reason: 'incoming bank transfer',
      reference: 'PL-TRANSFER-0001',
    });

    expect(response.status).toBe(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 2600, holds: 0, booked: 2600 });
  });

  it('books a credit repeated with the same Idempotency-Key once', async () => {
    const { balanceId } = await antaca.fundedBalance(0);
    const operator = await antaca.operator();
    const key = randomUUID();
    const body = { amount: 500, reason: 'transfer', reference: 'r-1' };

    await operator.post(`/operator/balances/${balanceId}/credits`, body, key).expect(204);
    await operator.post(`/operator/balances/${balanceId}/credits`, body, key).expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 500, holds: 0, booked: 500 });
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same Idempotency-Key with another body', async () => {
    const { balanceId } = await antaca.fundedBalance(0);
    const operator = await antaca.operator();
    const key = randomUUID();
    await operator
      .post(
        `/operator/balances/${balanceId}/credits`,
        { amount: 500, reason: 'transfer', reference: 'r-1' },
        key,
      )
      .expect(204);

    const reused = await operator.post(
      `/operator/balances/${balanceId}/credits`,
      { amount: 900, reason: 'transfer', reference: 'r-1' },
      key,
    );

    expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await antaca.figures(balanceId)).toEqual({ available: 500, holds: 0, booked: 500 });
  });

  it('answers 400 INVALID_REQUEST naming a zero, negative or fractional amount and missing reason/reference', async () => {
    const { balanceId } = await antaca.fundedBalance(100);
    const operator = await antaca.operator();
    const path = `/operator/balances/${balanceId}/credits`;

    for (const amount of [0, -100, 12.5, '100']) {
      expectInvalidRequest(await operator.post(path, { amount, reason: 'transfer', reference: 'r' }), [
        'amount',
      ]);
    }
    expectInvalidRequest(await operator.post(path, { amount: 100 }), ['reason', 'reference']);
    expectInvalidRequest(await operator.post(path, { amount: 100, reason: '  ', reference: 'r' }), [
      'reason',
    ]);
    expect(await antaca.figures(balanceId)).toEqual({ available: 100, holds: 0, booked: 100 });
  });

  it('answers 404 BALANCE_NOT_FOUND for a balance never linked', async () => {
    const response = await (
      await antaca.operator()
    ).post(`/operator/balances/${randomUUID()}/credits`, {
      amount: 100,
      reason: 'transfer',
      reference: 'r',
    });

    expectProblem(response, 404, 'BALANCE_NOT_FOUND');
  });
});

describe('POST /operator/balances/:balanceId/debits', () => {
  it('takes the amount out with 204', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);

    await (
      await antaca.operator()
    )
      .post(`/operator/balances/${balanceId}/debits`, { amount: 300, reason: 'fee', reference: 'FEE-1' })
      .expect(204);

    expect(await antaca.figures(balanceId)).toEqual({ available: 700, holds: 0, booked: 700 });
  });

  it('refuses more than the available amount with 422 INSUFFICIENT_FUNDS, counting holds', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 600 })).expect(204);

    const response = await (
      await antaca.operator()
    ).post(`/operator/balances/${balanceId}/debits`, {
      amount: 500,
      reason: 'payout',
      reference: 'OUT-1',
    });

    expectProblem(response, 422, 'INSUFFICIENT_FUNDS');
    expect(await antaca.figures(balanceId)).toEqual({ available: 400, holds: 600, booked: 1000 });
  });

  it('answers 404 BALANCE_NOT_FOUND for a balance never linked', async () => {
    const response = await (
      await antaca.operator()
    ).post(`/operator/balances/${randomUUID()}/debits`, {
      amount: 100,
      reason: 'fee',
      reference: 'r',
    });

    expectProblem(response, 404, 'BALANCE_NOT_FOUND');
  });
});

describe('GET /operator/balances/:balanceId', () => {
  it('shows {balanceId, userId, currency, available, holds, booked, status}', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(5000, 'EUR');
    await antaca
      .post('/transactions/debit', cardTransaction({ balanceId, currency: 'EUR', amount: 1250 }))
      .expect(204);

    const response = await (await antaca.operator()).get(`/operator/balances/${balanceId}`).expect(200);

    expect(response.body).toEqual({
      balanceId,
      userId,
      currency: 'EUR',
      available: 3750,
      holds: 1250,
      booked: 5000,
      status: 'LINKED',
    });
  });

  it('answers 404 BALANCE_NOT_FOUND for a balance never linked or not a UUID', async () => {
    const operator = await antaca.operator();

    expectProblem(await operator.get(`/operator/balances/${randomUUID()}`), 404, 'BALANCE_NOT_FOUND');
    expectProblem(await operator.get('/operator/balances/not-a-uuid'), 404, 'BALANCE_NOT_FOUND');
  });
});

describe('GET /operator/balances/:balanceId/history', () => {
  it('lists every event with the figures after it, and ?at= stops the replay there', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const purchase = cardTransaction({ balanceId, amount: 400 });
    await sleep(5);
    await antaca.post('/transactions/debit', purchase).expect(204);
    await sleep(5);
    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 5000 })).expect(422);
    await sleep(5);
    await antaca
      .put(`/transactions/${String(purchase.transactionId)}`, { ...purchase, status: 'CLEARED' })
      .expect(204);

    const events = await history(balanceId);

    expect(events.map(({ type, after }) => ({ type, after }))).toEqual([
      { type: 'BalanceLinked', after: { available: 0, holds: 0, booked: 0 } },
      { type: 'OperatorCredited', after: { available: 1000, holds: 0, booked: 1000 } },
      { type: 'FundsHeld', after: { available: 600, holds: 400, booked: 1000 } },
      { type: 'RequestRefused', after: { available: 600, holds: 400, booked: 1000 } },
      { type: 'TransactionCleared', after: { available: 600, holds: 0, booked: 600 } },
    ]);
    const atHold = events[2]!.recordedAt;
    expect((await history(balanceId, atHold)).map(({ type, after }) => ({ type, after }))).toEqual([
      { type: 'BalanceLinked', after: { available: 0, holds: 0, booked: 0 } },
      { type: 'OperatorCredited', after: { available: 1000, holds: 0, booked: 1000 } },
      { type: 'FundsHeld', after: { available: 600, holds: 400, booked: 1000 } },
    ]);
    expect(await history(balanceId, '2000-01-01T00:00:00Z')).toEqual([]);
    expect(await history(balanceId, '2999-01-01T00:00:00+02:00')).toEqual(events);
  });

  it('ends at the figures the balance view shows', async () => {
    const { balanceId } = await antaca.fundedBalance(800);
    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 300 })).expect(204);
    await antaca.post('/transactions/force-credit', cardTransaction({ balanceId, amount: 50 })).expect(204);

    const events = await history(balanceId);

    expect(events.at(-1)!.after).toEqual(await antaca.figures(balanceId));
    expect(events.at(-1)!.after).toEqual({ available: 550, holds: 300, booked: 850 });
  });

  it('answers 400 INVALID_REQUEST naming at for a value that is not an ISO 8601 date-time', async () => {
    const { balanceId } = await antaca.fundedBalance(100);
    const operator = await antaca.operator();

    for (const at of ['yesterday', '2024-13-45T00:00:00Z', '2024-01-01']) {
      expectInvalidRequest(
        await operator.get(`/operator/balances/${balanceId}/history?at=${encodeURIComponent(at)}`),
        ['at'],
      );
    }
  });

  it('answers 404 BALANCE_NOT_FOUND for a balance without history', async () => {
    expectProblem(
      await (await antaca.operator()).get(`/operator/balances/${randomUUID()}/history`),
      404,
      'BALANCE_NOT_FOUND',
    );
  });
});

describe('GET /operator/transactions (clearing status report)', () => {
  /** One balance with a lifecycle in each status. */
  async function balanceWithEveryStatus() {
    const { balanceId } = await antaca.fundedBalance(10000);
    const authorized = cardTransaction({ balanceId, amount: 100 });
    const cleared = cardTransaction({ balanceId, amount: 200 });
    const reversed = cardTransaction({ balanceId, amount: 300 });
    const declined = cardTransaction({ balanceId, amount: 99999 });
    for (const purchase of [authorized, cleared, reversed]) {
      await antaca.post('/transactions/debit', purchase).expect(204);
    }
    await antaca.post('/transactions/debit', declined).expect(422);
    await antaca
      .put(`/transactions/${String(cleared.transactionId)}`, { ...cleared, status: 'CLEARED' })
      .expect(204);
    await antaca.post('/transactions/reversal', reversed).expect(204);
    return {
      balanceId,
      ids: {
        authorized: String(authorized.id),
        cleared: String(cleared.id),
        reversed: String(reversed.id),
        declined: String(declined.id),
      },
    };
  }

  it('filters by balanceId and by status (any case)', async () => {
    const { balanceId, ids } = await balanceWithEveryStatus();

    const all = await report(`balanceId=${balanceId}`);
    expect(Object.fromEntries(all.map((row) => [row.id, row.status]))).toEqual({
      [ids.authorized]: 'AUTHORIZED',
      [ids.cleared]: 'CLEARED',
      [ids.reversed]: 'REVERSED',
      [ids.declined]: 'DECLINED',
    });
    for (const row of all) expect(row.balanceId).toBe(balanceId);

    expect((await report(`balanceId=${balanceId}&status=CLEARED`)).map((row) => row.id)).toEqual([
      ids.cleared,
    ]);
    expect((await report(`balanceId=${balanceId}&status=declined`)).map((row) => row.id)).toEqual([
      ids.declined,
    ]);
    const authorizedAnywhere = await report('status=AUTHORIZED');
    expect(authorizedAnywhere.map((row) => row.id)).toContain(ids.authorized);
    for (const row of authorizedAnywhere) expect(row.status).toBe('AUTHORIZED');
  });

  it('lists only authorizations still holding money after STALE_AUTHORIZATION_DAYS with staleOnly=true', async () => {
    const { balanceId, ids } = await balanceWithEveryStatus();
    expect(await report(`balanceId=${balanceId}&staleOnly=true`)).toEqual([]);
    expect((await report(`balanceId=${balanceId}&staleOnly=false`)).length).toBe(4);

    // Read the report 31 days later (the default is 30): only the uncleared authorization is stale.
    const clock = service.app.get(Clock);
    const later = new Date(Date.now() + 31 * 24 * 60 * 60 * 1000);
    const spy = jest.spyOn(clock, 'now').mockReturnValue(later);
    try {
      const stale = await report(`balanceId=${balanceId}&staleOnly=true`);
      expect(stale.map((row) => ({ id: row.id, stale: row.stale }))).toEqual([
        { id: ids.authorized, stale: true },
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('shows one lifecycle by id, and 404 TRANSACTION_NOT_FOUND for an id never seen', async () => {
    const { balanceId, ids } = await balanceWithEveryStatus();
    const operator = await antaca.operator();

    const one = await operator.get(`/operator/transactions/${ids.cleared}`).expect(200);
    expect(one.body).toMatchObject({
      id: ids.cleared,
      transactions: [
        { balanceId, id: ids.cleared, status: 'CLEARED', cleared: 200, held: 0, mismatch: false },
      ],
    });
    expectProblem(await operator.get(`/operator/transactions/${randomUUID()}`), 404, 'TRANSACTION_NOT_FOUND');
  });

  it('answers 400 INVALID_REQUEST naming each bad filter', async () => {
    const operator = await antaca.operator();

    expectInvalidRequest(await operator.get('/operator/transactions?status=PENDING'), ['status']);
    expectInvalidRequest(await operator.get('/operator/transactions?balanceId=not-a-uuid'), ['balanceId']);
    expectInvalidRequest(await operator.get('/operator/transactions?staleOnly=yes'), ['staleOnly']);
    expectInvalidRequest(await operator.get('/operator/transactions?status=x&balanceId=y&staleOnly=1'), [
      'status',
      'balanceId',
      'staleOnly',
    ]);
  });
});

describe('the two listeners', () => {
  it('answers the operator routes 404 NOT_FOUND on the callback listener, even with a valid token', async () => {
    const { balanceId } = await antaca.fundedBalance(100);
    const auth = `Bearer ${await tokenFor()}`;

    for (const path of [
      `/operator/balances/${balanceId}`,
      '/operator/suspense',
      '/health/live',
      '/metrics',
    ]) {
      const response = await antaca.get(path).set('Authorization', auth);
      expectProblem(response, 404, 'NOT_FOUND');
    }
    const post = await antaca
      .post(`/operator/balances/${balanceId}/credits`, { amount: 100, reason: 'r', reference: 'r' }, null)
      .set('Authorization', auth);
    expectProblem(post, 404, 'NOT_FOUND');
    expect(await antaca.figures(balanceId)).toEqual({ available: 100, holds: 0, booked: 100 });
  });

  it('answers an operator route spelled with percent-encoding 404 NOT_FOUND on the callback listener', async () => {
    const { balanceId } = await antaca.fundedBalance(100);
    const auth = `Bearer ${await tokenFor()}`;

    for (const path of [`/%6Fperator/balances/${balanceId}`, '/%6Fperator/suspense', '/%68ealth/live']) {
      const response = await antaca.get(path).set('Authorization', auth);
      expectProblem(response, 404, 'NOT_FOUND');
    }
  });

  it('answers the callback routes 404 NOT_FOUND on the operator listener', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(100);

    expectProblem(await request(service.operatorUrl).get(`/users/${userId}/balances`), 404, 'NOT_FOUND');
    expectProblem(
      await request(service.operatorUrl).get(`/users/${userId}/balances/${balanceId}`),
      404,
      'NOT_FOUND',
    );
    const debit = await request(service.operatorUrl)
      .post('/transactions/debit')
      .set('X-Idempotency-Key', randomUUID())
      .send(cardTransaction({ balanceId, amount: 50 }));
    expectProblem(debit, 404, 'NOT_FOUND');
    expect(await antaca.figures(balanceId)).toEqual({ available: 100, holds: 0, booked: 100 });
  });
});

describe('error bodies', () => {
  it('are {title, detail} JSON with no stack trace, on every failure', async () => {
    const operator = await antaca.operator();
    const { balanceId } = await antaca.fundedBalance(10);
    const failures: Response[] = [
      await request(service.operatorUrl).get('/operator/suspense'),
      await operator.get('/operator/nowhere'),
      await operator.get(`/operator/balances/${randomUUID()}`),
      await operator.get(`/operator/balances/${balanceId}/history?at=never`),
      await operator.get('/operator/transactions?status=NOPE'),
      await operator.post(`/operator/balances/${balanceId}/debits`, {
        amount: 999,
        reason: 'r',
        reference: 'r',
      }),
      await operator.post('/operator/users', { userId: '' }),
      await request(service.operatorUrl)
        .post('/operator/users')
        .set('Authorization', `Bearer ${await tokenFor()}`)
        .set('Content-Type', 'application/json')
        .send('{"userId": '),
      await request(service.operatorUrl)
        .post('/operator/users')
        .set('Authorization', `Bearer ${await tokenFor()}`)
        .set('Idempotency-Key', 'has spaces in it')
        .send({ userId: 'x' }),
    ];

    expect(failures.map((response) => response.status)).toEqual([
      401, 404, 404, 400, 400, 422, 400, 400, 400,
    ]);
    for (const response of failures) {
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(response.body as object).sort()).toEqual(['detail', 'title']);
      const { title, detail } = response.body as { title: unknown; detail: unknown };
      expect(typeof title).toBe('string');
      expect(typeof detail).toBe('string');
      expect(detail).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
    }
  });

  it('answer a body that is not JSON with 400 INVALID_REQUEST', async () => {
    const response = await request(service.operatorUrl)
      .post('/operator/users')
      .set('Authorization', `Bearer ${await tokenFor()}`)
      .set('Content-Type', 'application/json')
      .send('{"userId": ');

    expectProblem(response, 400, 'INVALID_REQUEST');
  });
});

async function tokenFor(): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('test')
    .setExpirationTime('10m')
    .sign(secret);
}
