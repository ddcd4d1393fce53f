import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { issueOperatorToken } from '@app/security';
import type { ClientTls } from './client-tls';
import type { TestService } from './service';

export const OPERATOR_SECRET = 'test-operator-secret-of-at-least-32-chars';

/** A transaction object as Antaca sends it (seeds: "Transaction object"). */
export function cardTransaction(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    balanceId: undefined,
    resourceId: '9d673932-3291-11ed-a261-0242ac120002',
    resource: 'card',
    transactionId: String(Math.floor(Math.random() * 1e9)),
    referenceTransactionId: null,
    type: 'POS',
    amount: 1000,
    currency: 'PLN',
    originalAmount: 1000,
    originalCurrency: 'PLN',
    status: 'AUTHORIZED',
    description: 'Book store',
    date: '2023-01-01T10:10:54+00:00',
    transactionData: {
      mcc: '5942',
      merchantIdentifier: '003060300000005',
      cardId: '222',
      acquirerCountry: 'POL',
    },
    ...overrides,
  };
}

type CallbackMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';

/**
 * Drives the service the way Antaca and the back office do, over real HTTP: the callback API
 * over mutual TLS (the service's dev client certificate unless `tls` says otherwise), the
 * operator API with a bearer token.
 */
export class Antaca {
  private token: string | undefined;

  constructor(
    private readonly service: Pick<TestService, 'callbackUrl' | 'operatorUrl' | 'clientTls'>,
    private readonly tls: ClientTls | undefined = service.clientTls,
  ) {}

  /** Any request to the callback API, with this client's certificate; the methods below build on it. */
  request(method: CallbackMethod, path: string) {
    if (!this.tls) throw new Error('No client certificate: start the service on the dev set or pass `tls`');
    const call = request(this.service.callbackUrl)[method](path);
    call.ca(this.tls.ca);
    if (this.tls.cert && this.tls.key) call.cert(this.tls.cert).key(this.tls.key);
    return call;
  }

  post(path: string, body: unknown, key: string | null = randomUUID()) {
    const call = this.request('post', path).send(body as object);
    return key === null ? call : call.set('X-Idempotency-Key', key);
  }

  put(path: string, body: unknown, key: string | null = randomUUID()) {
    const call = this.request('put', path).send(body as object);
    return key === null ? call : call.set('X-Idempotency-Key', key);
  }

  get(path: string) {
    return this.request('get', path);
  }

  delete(path: string, key: string = randomUUID()) {
    return this.request('delete', path).set('X-Idempotency-Key', key);
  }

  async operator() {
    this.token ??= await issueOperatorToken(new TextEncoder().encode(OPERATOR_SECRET), {
      subject: 'test',
      ttlSeconds: 600,
    });
    const base = this.service.operatorUrl;
    const auth = `Bearer ${this.token}`;
    return {
      get: (path: string) => request(base).get(path).set('Authorization', auth),
      post: (path: string, body: object, key: string = randomUUID()) =>
        request(base).post(path).set('Authorization', auth).set('Idempotency-Key', key).send(body),
    };
  }

  /** A registered user with a linked balance holding `booked` (credited by the operator). */
  async fundedBalance(booked: number, currency = 'PLN'): Promise<{ userId: string; balanceId: string }> {
    const userId = `u-${randomUUID().slice(0, 8)}`;
    const balanceId = randomUUID();
    const operator = await this.operator();
    await operator.post('/operator/users', { userId }).expect(201);
    await this.post(`/users/${userId}/balances`, { balanceId, currency }).expect(204);
    if (booked > 0) {
      await operator
        .post(`/operator/balances/${balanceId}/credits`, {
          amount: booked,
          reason: 'transfer',
          reference: 'ref-1',
        })
        .expect(204);
    }
    return { userId, balanceId };
  }

  async figures(balanceId: string): Promise<{ available: number; holds: number; booked: number }> {
    const response = await (await this.operator()).get(`/operator/balances/${balanceId}`).expect(200);
    const { available, holds, booked } = response.body as {
      available: number;
      holds: number;
      booked: number;
    };
    return { available, holds, booked };
  }
}
