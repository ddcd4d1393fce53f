import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { SqliteEventStore } from '@app/event-store';
import type { Clock } from '@app/shared-kernel';
import { otpDelivery, otpDeliveryStream } from '../domain/otp-delivery.decider';
import type { OtpDeliveryRequested } from '../domain/otp-delivery.events';
import { OTP_DELIVERY_MAX_ATTEMPTS } from '../domain/otp-retry-policy';
import { OtpCodeCipher } from '../infrastructure/otp-code-cipher';
import { OtpOutbox } from '../infrastructure/otp-outbox';
import type { OtpWebhook, WebhookResult } from '../infrastructure/otp-webhook';
import { OtpDeliveryWorker } from './otp-delivery.worker';
import { OTP_CODE_TTL_MS } from './request-otp-delivery.command';

/** A webhook answering from a script (the last answer repeats), recording what it was sent. */
class ScriptedWebhook {
  readonly calls: { deliveryId: string; body: Record<string, unknown> }[] = [];
  constructor(private readonly script: WebhookResult['kind'][]) {}

  async send(deliveryId: string, body: string): Promise<WebhookResult> {
    this.calls.push({ deliveryId, body: JSON.parse(body) as Record<string, unknown> });
    const kind = this.script[Math.min(this.calls.length, this.script.length) - 1]!;
    if (kind === 'retry' || kind === 'rejected')
      return { kind, error: kind === 'retry' ? 'HTTP 503' : 'HTTP 400' };
    return { kind };
  }
}

describe('OtpDeliveryWorker', () => {
  let dir: string;
  let store: SqliteEventStore;
  let outbox: OtpOutbox;
  let nowMs: number;
  const clock: Clock = { now: () => new Date(nowMs) };
  let worker: OtpDeliveryWorker | undefined;
  let count = 0;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'otp-worker-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    outbox = new OtpOutbox(join(dir, 'otp-outbox.sqlite'), new OtpCodeCipher(OtpCodeCipher.newKey()));
    nowMs = Date.parse('2024-05-01T10:00:00.000Z');
  });
  afterEach(async () => {
    await worker?.onModuleDestroy();
    worker = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (webhook: ScriptedWebhook) => {
    worker = new OtpDeliveryWorker(store, outbox, clock, {
      kind: 'webhook',
      webhook: webhook as unknown as OtpWebhook,
    });
    worker.onApplicationBootstrap();
  };

  const delivery = (hash = 'hash'): OtpDeliveryRequested['data'] => ({
    deliveryId: `delivery-${++count}`,
    request: { idempotencyKey: `key-${count}`, requestHash: hash },
    cardId: '1337',
    customerId: '1337',
    balanceId: 'b334b384-328c-11ed-a261-0242ac120002',
    amountMinor: 1000,
    currency: 'PLN',
    merchantName: 'merchant test',
    requestedAt: new Date(nowMs).toISOString(),
    expiresAt: new Date(nowMs + OTP_CODE_TTL_MS).toISOString(),
  });

  /** As the notifier does: the outbox row, then (unless the process "died") the event. */
  const queue = async (data: OtpDeliveryRequested['data'], options: { withEvent: boolean }) => {
    outbox.put(data, 'Q7X4K9Z', 'correlation-1');
    if (options.withEvent) {
      await store.handle(otpDeliveryStream(data.deliveryId), otpDelivery, {
        type: 'RequestOtpDelivery',
        delivery: data,
      });
    }
  };

  const types = async (deliveryId: string) =>
    (await store.readStream(otpDeliveryStream(deliveryId))).map((event) => event.type);

  /** Moves the clock `stepMs` at a time, waking the worker, until the delivery has an outcome. */
  const driveUntilOutcome = async (deliveryId: string, stepMs = 31_000) => {
    for (let step = 0; step < 200; step++) {
      const recorded = await store.readStream(otpDeliveryStream(deliveryId));
      if (recorded.length >= 2 && outbox.nextEventAtMs() === undefined) return recorded.at(-1)!;
      nowMs += stepMs;
      worker!.wake();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`no outcome for ${deliveryId}: ${JSON.stringify(await types(deliveryId))}`);
  };

  it('retries a failing webhook with the same delivery id, then records the delivery and deletes the code', async () => {
    const webhook = new ScriptedWebhook(['retry', 'retry', 'delivered']);
    start(webhook);
    const data = delivery();
    await queue(data, { withEvent: true });

    const outcome = await driveUntilOutcome(data.deliveryId);

    expect(outcome).toMatchObject({ type: 'OtpDelivered', data: { channel: 'webhook', attempts: 3 } });
    expect(webhook.calls.map((call) => call.deliveryId)).toEqual(Array(3).fill(data.deliveryId));
    expect(webhook.calls[0]!.body).toMatchObject({ otp: 'Q7X4K9Z', cardId: '1337', amount: 1000 });
  });

  it(`gives up after ${OTP_DELIVERY_MAX_ATTEMPTS} attempts: attempts-exhausted, code deleted`, async () => {
    const webhook = new ScriptedWebhook(['retry']);
    start(webhook);
    const data = delivery();
    await queue(data, { withEvent: true });

    const outcome = await driveUntilOutcome(data.deliveryId);

    expect(outcome).toMatchObject({
      type: 'OtpDeliveryFailed',
      data: { reason: 'attempts-exhausted', attempts: OTP_DELIVERY_MAX_ATTEMPTS, lastError: 'HTTP 503' },
    });
    expect(webhook.calls).toHaveLength(OTP_DELIVERY_MAX_ATTEMPTS);
  });

  it('records a final refusal at once: rejected, code deleted', async () => {
    const webhook = new ScriptedWebhook(['rejected']);
    start(webhook);
    const data = delivery();
    await queue(data, { withEvent: true });

    const outcome = await driveUntilOutcome(data.deliveryId);

    expect(outcome).toMatchObject({ type: 'OtpDeliveryFailed', data: { reason: 'rejected', attempts: 1 } });
    expect(webhook.calls).toHaveLength(1);
  });

  it('records expired when the code outlives its lifetime undelivered', async () => {
    start(new ScriptedWebhook(['retry']));
    const data = delivery();
    await queue(data, { withEvent: true });

    const outcome = await driveUntilOutcome(data.deliveryId, OTP_CODE_TTL_MS);

    expect(outcome).toMatchObject({ type: 'OtpDeliveryFailed', data: { reason: 'expired' } });
  });

  it('records the request itself when the process died between the outbox row and the event', async () => {
    start(new ScriptedWebhook(['delivered']));
    const data = delivery();
    await queue(data, { withEvent: false });

    await driveUntilOutcome(data.deliveryId);

    expect(await types(data.deliveryId)).toEqual(['OtpDeliveryRequested', 'OtpDelivered']);
    const [requested] = await store.readStream(otpDeliveryStream(data.deliveryId));
    expect(requested!.data).toEqual(data);
  });

  it('drops, unsent, a code whose stream was recorded for another request (a reused key)', async () => {
    const webhook = new ScriptedWebhook(['delivered']);
    const data = delivery('hash-of-the-other-request');
    await store.handle(otpDeliveryStream(data.deliveryId), otpDelivery, {
      type: 'RequestOtpDelivery',
      delivery: data,
    });
    outbox.put(
      { ...data, request: { ...data.request, requestHash: 'hash-of-this-request' } },
      'Q7X4K9Z',
      'c',
    );
    start(webhook);

    for (let step = 0; step < 50 && outbox.nextEventAtMs() !== undefined; step++) {
      worker!.wake();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    expect(outbox.nextEventAtMs()).toBeUndefined();
    expect(webhook.calls).toEqual([]);
    expect(await types(data.deliveryId)).toEqual(['OtpDeliveryRequested']);
  });
});
