import request from 'supertest';
import { Antaca, cardTransaction } from '../support/antaca';
import { startTestService, type TestService } from '../support/service';

describe('GET /metrics', () => {
  let service: TestService;
  let antaca: Antaca;

  beforeAll(async () => {
    service = await startTestService();
    antaca = new Antaca(service);
  });
  afterAll(() => service.stop());

  it('counts answered requests by route template and status, in Prometheus text format, without auth', async () => {
    const { balanceId } = await antaca.fundedBalance(5_000);
    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 100 })).expect(204);
    await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 99_999 })).expect(422);

    const response = await request(service.operatorUrl).get('/metrics').expect(200);

    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.text;
    expect(text).toMatch(
      /^http_requests_total\{listener="callback",method="POST",route="\/transactions\/debit",status="204"\} 1$/m,
    );
    expect(text).toMatch(
      /^http_requests_total\{listener="callback",method="POST",route="\/transactions\/debit",status="422"\} 1$/m,
    );
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{.*route="\/users\/:id\/balances".*\} 1$/m);
    expect(text).toMatch(/^event_consumer_running\{consumer="read-models"\} 1$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('labels by route template only, so ids never reach the metrics', async () => {
    const { balanceId, userId } = await antaca.fundedBalance(1_000);
    await antaca.get(`/users/${userId}/balances/${balanceId}`).expect(200);

    const text = (await request(service.operatorUrl).get('/metrics').expect(200)).text;

    expect(text).toContain('route="/users/:id/balances/:balanceId"');
    expect(text).not.toContain(balanceId);
    expect(text).not.toContain(userId);
  });

  it('is served on the operator listener only', async () => {
    await antaca.get('/metrics').expect(404);
  });
});
