import request from 'supertest';
import { ConfigError } from '@app/config';
import { bootstrap } from '../apps/api/src/bootstrap';
import { Antaca } from './support/antaca';
import { startTestService, type TestService } from './support/service';

describe('the service', () => {
  let service: TestService;
  let antaca: Antaca;

  beforeAll(async () => {
    service = await startTestService();
    antaca = new Antaca(service);
  });
  afterAll(() => service.stop());

  it('is live and ready on the operator listener', async () => {
    await request(service.operatorUrl).get('/health/live').expect(200, { status: 'ok' });
    await request(service.operatorUrl).get('/health/ready').expect(200, { status: 'ready' });
  });

  it('keeps the operator routes off the callback listener', async () => {
    const response = await antaca.get('/health/ready').expect(404);
    expect(response.body).toEqual({ title: 'NOT_FOUND', detail: 'No route for GET /health/ready' });
  });

  it('answers an unknown route with 404 NOT_FOUND as {title, detail} JSON', async () => {
    const response = await antaca.get('/nowhere?secret=1').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ title: 'NOT_FOUND', detail: 'No route for GET /nowhere' });
  });

  it('gives every answer a correlation id, echoing a well-formed one', async () => {
    const response = await request(service.operatorUrl)
      .get('/health/live')
      .set('X-Correlation-Id', 'abc-123');
    expect(response.headers['x-correlation-id']).toBe('abc-123');
    const generated = await request(service.operatorUrl)
      .get('/health/live')
      .set('X-Correlation-Id', 'bad id!');
    expect(generated.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs structured JSON lines', () => {
    expect(service.log.length).toBeGreaterThan(0);
    for (const line of service.log) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('refuses to start on a wrong setting, naming the variable', async () => {
    await expect(bootstrap({ env: { PORT: 'eighty' } })).rejects.toThrow(ConfigError);
    await expect(bootstrap({ env: { PORT: 'eighty' } })).rejects.toThrow(/^PORT: /);
  });
});
