import type { Response } from 'supertest';
import { EventStore } from '@app/event-store';
import { Antaca, cardTransaction } from '../support/antaca';
import { expectInvalidRequest, expectProblem } from '../support/problems';
import { startTestService, type TestService } from '../support/service';

/** What an error body must never show: stacks, framework codes, parser messages, file paths. */
const INTERNALS = /\bat \w|\.ts\b|\.js\b|node_modules|FST_|Error:|SyntaxError|Unexpected token|sqlite/i;

function expectNothingInternal(response: Response): void {
  expect(JSON.stringify(response.body)).not.toMatch(INTERNALS);
}

describe('hardening of error answers', () => {
  let service: TestService;
  let antaca: Antaca;

  beforeAll(async () => {
    service = await startTestService();
    antaca = new Antaca(service);
  });
  afterAll(() => service.stop());

  it('refuses a body over 64 KiB with 413 before anything is applied', async () => {
    const { balanceId } = await antaca.fundedBalance(10_000);
    const padding = 'x'.repeat(70 * 1024);
    const response = await antaca.post(
      '/transactions/debit',
      cardTransaction({ balanceId, amount: 100, description: padding }),
    );

    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
    expectNothingInternal(response);
    expect(await antaca.figures(balanceId)).toEqual({ available: 10_000, holds: 0, booked: 10_000 });
  });

  it('refuses an oversized body on the operator listener too', async () => {
    const operator = await antaca.operator();
    const response = await operator.post('/operator/users', { userId: 'u-big', note: 'y'.repeat(70 * 1024) });
    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers malformed JSON without echoing the parser', async () => {
    const response = await antaca
      .post('/transactions/debit', '{"amount": 1,,}')
      .set('Content-Type', 'application/json');
    expectProblem(response, 400, 'INVALID_REQUEST');
    expectNothingInternal(response);
  });

  it('answers a plain-text body as an invalid request', async () => {
    const response = await antaca.post('/transactions/debit', 'amount=1').set('Content-Type', 'text/plain');
    expectInvalidRequest(response, ['body']);
    expectNothingInternal(response);
  });

  it('answers an unknown media type with 415', async () => {
    const response = await antaca
      .post('/transactions/debit', '<amount>1</amount>')
      .set('Content-Type', 'application/xml');
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectNothingInternal(response);
  });

  it('refuses prototype pollution in a body', async () => {
    const { balanceId } = await antaca.fundedBalance(1_000);
    const body = JSON.stringify(cardTransaction({ balanceId })).replace(/^\{/, '{"__proto__":{"x":1},');
    const response = await antaca.post('/transactions/debit', body).set('Content-Type', 'application/json');
    expectProblem(response, 400, 'INVALID_REQUEST');
    expect(await antaca.figures(balanceId)).toEqual({ available: 1_000, holds: 0, booked: 1_000 });
  });
});

describe('what the events keep of a request body', () => {
  let service: TestService;
  let antaca: Antaca;

  beforeAll(async () => {
    service = await startTestService();
    antaca = new Antaca(service);
  });
  afterAll(() => service.stop());

  it('keeps unknown fields but masks card numbers and drops card secrets', async () => {
    const { balanceId } = await antaca.fundedBalance(1_000);
    const debit = cardTransaction({
      balanceId,
      amount: 10,
      cardNo: '5555444455554444',
      description: 'card 4111 1111 1111 1111',
      transactionData: { cardId: '222', cvv: '123', mcc: '5942' },
    });
    await antaca.post('/transactions/debit', debit).expect(204);
    await antaca
      .post('/transactions/force-debit', { ...debit, id: 'forced-1', status: 'CLEARED' })
      .expect(204);

    const recorded = await service.app.get(EventStore).readAll();
    const events = JSON.stringify(recorded.map((event) => event.data));
    expect(events).not.toMatch(/5555444455554444|4111 1111 1111 1111|"123"/);
    expect(events).toContain('"cardNo":"************4444"');
    expect(events).toContain('"description":"card ************1111"');
    expect(events).toContain('"cvv":"[removed]"');
  });
});

describe('an unexpected failure', () => {
  let service: TestService;
  let antaca: Antaca;

  beforeAll(async () => {
    service = await startTestService();
    antaca = new Antaca(service);
  });
  afterAll(() => service.stop());

  it('answers 500 INTERNAL_ERROR with only the correlation id, and logs the cause', async () => {
    const { balanceId } = await antaca.fundedBalance(1_000);
    await service.app.get(EventStore).close();

    const response = await antaca
      .post('/transactions/debit', cardTransaction({ balanceId, amount: 1 }))
      .set('X-Correlation-Id', 'corr-500');

    expect(response.body).toEqual({
      title: 'INTERNAL_ERROR',
      detail: 'Unexpected error; correlation id corr-500',
    });
    expectProblem(response, 500, 'INTERNAL_ERROR');
    expect(service.log.some((line) => line.includes('corr-500') && line.includes('"level":"error"'))).toBe(
      true,
    );
  });
});
