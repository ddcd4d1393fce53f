import { randomUUID } from 'node:crypto';
import { EventStore } from '@app/event-store';
import { Antaca, cardTransaction } from '../support/antaca';
import { expectProblem } from '../support/problems';
import { startTestService, type TestService } from '../support/service';

/**
 * Legacy Transactions Notifier over real HTTP: recorded once into the transaction's history,
 * shown by GET /operator/transactions/:id, answered only 204 (Antaca resends anything else).
 */

let service: TestService;
let antaca: Antaca;

beforeAll(async () => {
  service = await startTestService();
  antaca = new Antaca(service);
});
afterAll(() => service.stop());

/** The seeds' example, about the lifecycle `id`. */
function notification(id: string, overrides: Record<string, unknown> = {}) {
  return {
    status: 'SUCCESS',
    date: '2023-11-17T11:32:16+00:00',
    description: 'APPROVED',
    transaction: {
      id,
      balanceId: '60036f20-3b2c-470e-b9de-3c6cfbe8a5ff',
      resourceId: 'b3de5060-2ae2-4f3c-9b94-9c27a90dc6fe',
      resource: 'card',
      cardId: '357970',
      externalTransactionId: 'd275ecb8-138e-4d0e-b5bf-c4158b4ce516',
      referenceExternalTransactionId: null,
      type: 'POS',
      category: 'DEBIT',
      amount: 10000,
      currency: 'PLN',
      originalAmount: 12300,
      originalCurrency: 'PLN',
      status: 'AUTHORIZED',
      description: 'FrogShop Lublin POL',
      date: '2023-11-17T11:32:16+00:00',
      referenceExternalTransactionDate: null,
      transactionData: {
        mcc: '5122',
        merchantIdentifier: '12345',
        captureMode: 'NFC',
        lastFourDigits: '0911',
      },
    },
    ...overrides,
  };
}

interface LifecycleEntry {
  readonly type: string;
  readonly data: Record<string, unknown>;
}
interface TransactionView {
  readonly transactions: unknown[];
  readonly lifecycle: { readonly state: Record<string, unknown>; readonly events: LifecycleEntry[] } | null;
}

async function transactionView(id: string): Promise<TransactionView> {
  const response = await (await antaca.operator()).get(`/operator/transactions/${id}`).expect(200);
  return response.body as TransactionView;
}

/** The lifecycle once `ready` holds (the reactor records the balance's side a moment later). */
async function lifecycleWhen(id: string, ready: (types: string[]) => boolean): Promise<TransactionView> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const view = await transactionView(id);
    if (ready(view.lifecycle?.events.map((event) => event.type) ?? [])) return view;
    if (Date.now() > deadline)
      throw new Error(`lifecycle ${id} not ready: ${JSON.stringify(view.lifecycle)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const notifiedEvents = (view: TransactionView) =>
  view.lifecycle?.events.filter((event) => event.type === 'TransactionNotified') ?? [];

async function unmatchedNotifications(): Promise<Record<string, unknown>[]> {
  const events = await service.app.get(EventStore).readAll();
  return events
    .filter((event) => event.streamId.startsWith('unmatchedTransactionNotification-'))
    .map((event) => event.data as Record<string, unknown>);
}

describe('POST /notifications/transaction', () => {
  it('records the notification in the history of the debit it is about', async () => {
    const { balanceId } = await antaca.fundedBalance(50_000);
    const debit = cardTransaction({ balanceId, amount: 10_000 });
    await antaca.post('/transactions/debit', debit).expect(204);

    const response = await antaca.post('/notifications/transaction', notification(debit.id as string));

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    const view = await lifecycleWhen(debit.id as string, (types) =>
      ['TransactionAuthorized', 'TransactionNotified'].every((type) => types.includes(type)),
    );
    expect(view.transactions).toHaveLength(1);
    expect(view.lifecycle?.state).toMatchObject({
      status: 'AUTHORIZED',
      heldMinor: 10_000,
      notified: { status: 'SUCCESS', date: '2023-11-17T11:32:16+00:00', description: 'APPROVED' },
    });
    expect(notifiedEvents(view)[0]?.data).toMatchObject({
      lifecycleId: debit.id,
      status: 'SUCCESS',
      description: 'APPROVED',
      invalidFields: [],
      transaction: notification(debit.id as string).transaction,
    });
  });

  it('shows a notification about an id no balance saw', async () => {
    const id = randomUUID();
    await antaca
      .post(
        '/notifications/transaction',
        notification(id, { status: 'DECLINED', description: 'AML_EXCEPTION' }),
      )
      .expect(204);

    const view = await transactionView(id);

    expect(view.transactions).toEqual([]);
    expect(view.lifecycle?.state).toMatchObject({
      status: null,
      notified: { status: 'DECLINED', description: 'AML_EXCEPTION' },
    });
  });

  it('records a repeat with the same X-Idempotency-Key once, answered 204 again', async () => {
    const id = randomUUID();
    const key = randomUUID();
    const body = notification(id);

    await antaca.post('/notifications/transaction', body, key).expect(204);
    const repeat = await antaca.post('/notifications/transaction', body, key);

    expect(repeat.status).toBe(204);
    expect(notifiedEvents(await transactionView(id))).toHaveLength(1);
  });

  it('records a keyless notification resent 5 times once (Antaca retries on any non-2xx)', async () => {
    const id = randomUUID();
    const body = notification(id);

    for (let delivery = 0; delivery < 5; delivery++) {
      await antaca.post('/notifications/transaction', body, null).expect(204);
    }

    expect(notifiedEvents(await transactionView(id))).toHaveLength(1);
  });

  it('records two different notifications about the same id, the later-dated as Antaca’s word', async () => {
    const id = randomUUID();
    const later = notification(id, { status: 'SUCCESS', date: '2023-11-17T12:00:00+00:00' });
    const earlier = notification(id, { status: 'DECLINED', date: '2023-11-17T11:00:00+00:00' });

    await antaca.post('/notifications/transaction', later).expect(204);
    await antaca.post('/notifications/transaction', earlier).expect(204);

    const view = await transactionView(id);
    expect(notifiedEvents(view)).toHaveLength(2);
    expect(view.lifecycle?.state).toMatchObject({ notified: { status: 'SUCCESS' } });
  });

  it('refuses the same key with another body (422 IDEMPOTENCY_KEY_REUSED), recording nothing more', async () => {
    const id = randomUUID();
    const key = randomUUID();
    await antaca.post('/notifications/transaction', notification(id), key).expect(204);

    const reuse = await antaca.post(
      '/notifications/transaction',
      notification(id, { status: 'INVALID' }),
      key,
    );

    expectProblem(reuse, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(notifiedEvents(await transactionView(id))).toHaveLength(1);
  });

  it('keeps a notification with unreadable fields, naming them, and answers 204', async () => {
    const id = randomUUID();
    const body = notification(id, { status: 'PENDING', date: 'yesterday', description: 42 });

    await antaca.post('/notifications/transaction', body).expect(204);

    const [event] = notifiedEvents(await transactionView(id));
    expect(event?.data).toMatchObject({
      status: null,
      date: null,
      description: null,
      invalidFields: ['status', 'date', 'description'],
    });
  });

  it('accepts a malformed X-Idempotency-Key instead of refusing, identifying the request by its body', async () => {
    const id = randomUUID();
    const body = notification(id);

    await antaca.post('/notifications/transaction', body, 'bad key with spaces').expect(204);
    await antaca.post('/notifications/transaction', body, null).expect(204);

    expect(notifiedEvents(await transactionView(id))).toHaveLength(1);
  });

  it('keeps a notification without a usable transaction id aside, once, and answers 204', async () => {
    const marker = randomUUID();
    const body = {
      status: 'SUCCESS',
      date: '2023-11-17T11:32:16+00:00',
      description: marker,
      transaction: {},
    };

    await antaca.post('/notifications/transaction', body, null).expect(204);
    await antaca.post('/notifications/transaction', body, null).expect(204);

    const kept = (await unmatchedNotifications()).filter(
      (data) => (data.body as { description?: string }).description === marker,
    );
    expect(kept).toEqual([expect.objectContaining({ invalidFields: ['transaction.id'], body })]);
  });

  it('keeps a body that is not JSON aside and answers 204', async () => {
    const text = `{"status": "SUCCESS", "truncated ${randomUUID()}`;

    await antaca.post('/notifications/transaction', text).set('Content-Type', 'application/json').expect(204);

    expect((await unmatchedNotifications()).filter((data) => data.body === text)).toEqual([
      expect.objectContaining({ invalidFields: ['body'] }),
    ]);
  });
});
