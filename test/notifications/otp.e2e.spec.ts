import { randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventStore } from '@app/event-store';
import { OTP_CODE_TTL_MS, signOtpWebhook } from '@app/otp';
import { Clock } from '@app/shared-kernel';
import { Antaca } from '../support/antaca';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { startTestService, type TestService } from '../support/service';

/**
 * 3DS External OTP Notifier over real HTTP: 204 at once, the code delivered once (dev inbox,
 * or a signed webhook that survives a restart), and never in a log line or the event store.
 */

/** Letters and digits in an order nothing else produces: any sighting of it is a leak. */
const newCode = () => `Q${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}Z`;

function otpBody(overrides: Record<string, unknown> = {}) {
  return {
    storageCustomerId: '1337',
    storageCardId: `card-${randomUUID().slice(0, 8)}`,
    balanceId: 'b334b384-328c-11ed-a261-0242ac120002',
    amount: '1000',
    currency: 'PLN',
    merchantName: 'merchant test',
    otp: newCode(),
    ...overrides,
  };
}

interface InboxCode {
  readonly deliveryId: string;
  readonly otp: string;
  readonly [field: string]: unknown;
}

describe('POST /notifications/otp with the dev inbox', () => {
  let service: TestService;
  let antaca: Antaca;

  beforeAll(async () => {
    service = await startTestService();
    antaca = new Antaca(service);
  });
  afterAll(() => service.stop());

  const inbox = async (cardId: string): Promise<InboxCode[]> => {
    const response = await (await antaca.operator()).get(`/operator/otp-inbox?cardId=${cardId}`).expect(200);
    return (response.body as { codes: InboxCode[] }).codes;
  };

  const otpEvents = async () =>
    (await service.app.get(EventStore).readAll()).filter((event) => event.streamId.startsWith('otp-'));

  it('answers 204 and shows the code in the inbox with what it is about', async () => {
    const body = otpBody({ storageCustomerId: 42, amount: 1000, currency: 'pln' });

    const response = await antaca.post('/notifications/otp', body);

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(await inbox(body.storageCardId)).toEqual([
      {
        deliveryId: expect.stringMatching(/^[0-9a-f]{32}$/),
        otp: body.otp,
        cardId: body.storageCardId,
        customerId: '42',
        balanceId: body.balanceId,
        amount: 1000,
        currency: 'PLN',
        merchantName: 'merchant test',
        requestedAt: expect.any(String),
        expiresAt: expect.any(String),
      },
    ]);
  });

  it('records that an OTP was sent and delivered, for which card, amount and merchant, never the code', async () => {
    const body = otpBody();
    await antaca.post('/notifications/otp', body).expect(204);
    const [code] = await inbox(body.storageCardId);
    const stream = `otp-${code!.deliveryId}`;

    const deadline = Date.now() + 5_000;
    let events = (await otpEvents()).filter((event) => event.streamId === stream);
    while (events.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      events = (await otpEvents()).filter((event) => event.streamId === stream);
    }

    expect(events.map((event) => event.type)).toEqual(['OtpDeliveryRequested', 'OtpDelivered']);
    expect(events[0]!.data).toMatchObject({
      cardId: body.storageCardId,
      customerId: '1337',
      balanceId: body.balanceId,
      amountMinor: 1000,
      currency: 'PLN',
      merchantName: 'merchant test',
    });
    expect(events[1]!.data).toMatchObject({ channel: 'dev-inbox', attempts: 1 });
    const stored = (await otpEvents()).map((event) => JSON.stringify([event.data, event.metadata]));
    expect(stored.join('\n')).not.toContain(body.otp);
  });

  it('queues a repeat with the same X-Idempotency-Key once, answered 204 again', async () => {
    const body = otpBody();
    const key = randomUUID();

    await antaca.post('/notifications/otp', body, key).expect(204);
    await antaca.post('/notifications/otp', body, key).expect(204);

    expect(await inbox(body.storageCardId)).toHaveLength(1);
  });

  it('queues a keyless byte-identical repeat once', async () => {
    const body = otpBody();

    await antaca.post('/notifications/otp', body, null).expect(204);
    await antaca.post('/notifications/otp', body, null).expect(204);

    expect(await inbox(body.storageCardId)).toHaveLength(1);
  });

  it('refuses the same key with another body, queueing nothing more', async () => {
    const body = otpBody();
    const key = randomUUID();
    await antaca.post('/notifications/otp', body, key).expect(204);

    const reuse = await antaca.post('/notifications/otp', { ...body, otp: newCode() }, key);

    expect(reuse.status).toBe(422);
    expect(reuse.body).toMatchObject({ title: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await inbox(body.storageCardId)).map((code) => code.otp)).toEqual([body.otp]);
  });

  it.each([
    ['amount', { amount: -5 }],
    ['amount', { amount: '10.50' }],
    ['amount', { amount: 2 ** 53 }],
    ['currency', { currency: 'XYZ' }],
    ['balanceId', { balanceId: 'not-a-uuid' }],
    ['storageCardId', { storageCardId: 'has spaces' }],
    ['storageCustomerId', { storageCustomerId: null }],
    ['merchantName', { merchantName: '' }],
    ['otp', { otp: '' }],
    ['otp', { otp: undefined }],
  ])('answers 422 {detail} naming %s, without echoing the code', async (field, overrides) => {
    const body = otpBody(overrides);

    const response = await antaca.post('/notifications/otp', body);

    expect(response.status).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(response.body as object)).toEqual(['detail']);
    expect((response.body as { detail: string }).detail).toMatch(new RegExp(`\\b${field}\\b`));
    if (body.otp) expect(response.text).not.toContain(body.otp);
    // Nothing queued (the card id with spaces is looked up in its readable form).
    expect(await inbox(body.storageCardId.replace(/ /g, '_'))).toEqual([]);
  });

  it('answers 422 {detail} for a body that is not JSON', async () => {
    const response = await antaca
      .post('/notifications/otp', '{"otp": "123')
      .set('Content-Type', 'application/json');

    expect(response.status).toBe(422);
    expect(response.body).toEqual({ detail: expect.stringMatching(/body/) });
  });

  it('forgets the code once it expires', async () => {
    const body = otpBody();
    await antaca.post('/notifications/otp', body).expect(204);
    expect(await inbox(body.storageCardId)).toHaveLength(1);

    const clock = service.app.get(Clock);
    const later = new Date(Date.now() + OTP_CODE_TTL_MS + 1_000);
    const spy = jest.spyOn(clock, 'now').mockReturnValue(later);
    try {
      expect(await inbox(body.storageCardId)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers 400 INVALID_REQUEST for an inbox read without a card id', async () => {
    const response = await (await antaca.operator()).get('/operator/otp-inbox');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ title: 'INVALID_REQUEST' });
  });

  it('keeps the inbox behind the operator token', async () => {
    const response = await fetch(`${service.operatorUrl}/operator/otp-inbox?cardId=1337`);
    expect(response.status).toBe(401);
  });

  it('never writes a code to the log', async () => {
    const body = otpBody();
    await antaca.post('/notifications/otp', body).expect(204);
    await antaca.post('/notifications/otp', { ...body, amount: -1 }).expect(422);
    await inbox(body.storageCardId);

    expect(service.log.join('')).not.toContain(body.otp);
  });
});

// -------------------------------------------------------------------------------------------

interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly answered: number;
}

/** A webhook receiver on loopback that answers 500 to the first `failures` calls, then 204. */
async function startReceiver(failures: number): Promise<{ server: Server; url: string; calls: Delivery[] }> {
  const calls: Delivery[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answered = calls.length < failures ? 500 : 204;
      calls.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/otp`, calls };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every file under `dir`, as bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path) }];
  });
}

describe('POST /notifications/otp with a webhook', () => {
  const secret = 'webhook-secret-of-at-least-32-characters!';
  let dataDir: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'otp-webhook-'));
    receiver = await startReceiver(2);
  });
  afterAll(async () => {
    for (const process of processes) await process.kill('SIGKILL');
    await new Promise((resolve) => receiver.server.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const process = await startServiceProcess(dataDir, {
      OTP_WEBHOOK_URL: receiver.url,
      OTP_WEBHOOK_SECRET: secret,
    });
    processes.push(process);
    return process;
  };

  it('delivers the code once, signed, after two failures and a SIGKILL in between; no log or stored byte holds it', async () => {
    const body = otpBody();
    const first = await start();
    await new Antaca(first).post('/notifications/otp', body).expect(204);
    await until(() => receiver.calls.length >= 1, 'the first delivery attempt');

    await first.kill('SIGKILL');
    const second = await start();
    await until(() => receiver.calls.some((call) => call.answered === 204), 'a successful delivery');

    const operator = await new Antaca(second).operator();
    expect((await operator.get('/operator/otp-inbox?cardId=1337')).status).toBe(404);

    // The outcome is recorded after the 2xx; wait for it, then stop the service cleanly.
    const events = () => {
      const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
      try {
        return db
          .prepare<[], { stream_id: string; type: string; data: string }>(
            'SELECT stream_id, type, data FROM events ORDER BY position',
          )
          .all();
      } finally {
        db.close();
      }
    };
    await until(() => events().some((event) => event.type === 'OtpDelivered'), 'OtpDelivered');
    await second.kill('SIGTERM');

    const delivered = receiver.calls.map((call) => JSON.parse(call.body) as Record<string, unknown>);
    expect(receiver.calls.map((call) => call.answered)).toEqual([500, 500, 204]);
    expect(delivered.map((payload) => payload.otp)).toEqual([body.otp, body.otp, body.otp]);
    const deliveryIds = new Set(receiver.calls.map((call) => call.headers['x-otp-delivery-id'] as string));
    expect(deliveryIds.size).toBe(1);
    const [deliveryId] = deliveryIds;
    expect(delivered[2]).toMatchObject({
      deliveryId,
      cardId: body.storageCardId,
      customerId: '1337',
      balanceId: body.balanceId,
      amount: 1000,
      currency: 'PLN',
      merchantName: 'merchant test',
    });
    for (const call of receiver.calls) {
      const timestamp = call.headers['x-otp-timestamp'] as string;
      const expected = Buffer.from(signOtpWebhook(secret, timestamp, call.body));
      const given = Buffer.from(call.headers['x-otp-signature'] as string);
      expect(given.length === expected.length && timingSafeEqual(given, expected)).toBe(true);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(120);
    }

    const otpStream = events().filter((event) => event.stream_id === `otp-${deliveryId}`);
    expect(otpStream.map((event) => event.type)).toEqual(['OtpDeliveryRequested', 'OtpDelivered']);
    expect(JSON.parse(otpStream[1]!.data)).toMatchObject({ channel: 'webhook', attempts: 3 });

    for (const process of [first, second]) expect(process.output()).not.toContain(body.otp);
    const leaks = filesUnder(dataDir).filter((file) => file.bytes.includes(Buffer.from(body.otp)));
    expect(leaks.map((file) => file.path)).toEqual([]);
  }, 60_000);
});
