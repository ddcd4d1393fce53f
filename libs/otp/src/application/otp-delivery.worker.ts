import {
  Inject,
  Injectable,
  Logger,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { Clock } from '@app/shared-kernel';
import type { OtpDeliveryCommand } from '../domain/otp-delivery.commands';
import { otpDelivery, otpDeliveryStream, otpRequestOutcome } from '../domain/otp-delivery.decider';
import type { OtpDeliveryState } from '../domain/otp-delivery.state';
import { OTP_DELIVERY_MAX_ATTEMPTS, otpRetryDelayMs } from '../domain/otp-retry-policy';
import { OtpOutbox, type OutboxEntry } from '../infrastructure/otp-outbox';
import type { OtpWebhook } from '../infrastructure/otp-webhook';

/** Where codes go: the webhook when `OTP_WEBHOOK_URL` is set, else the dev inbox. */
export type OtpChannelConfig =
  { readonly kind: 'webhook'; readonly webhook: OtpWebhook } | { readonly kind: 'dev-inbox' };

export const OTP_CHANNEL = Symbol('OtpChannel');

/** Deliveries handled at once (each may wait up to the webhook timeout). */
const BATCH = 8;
/** Without work, look again at least this often (a row written by another process, a clock jump). */
const IDLE_WAIT_MS = 30_000;
/** After an unexpected failure of a round (the store down), before the next. */
const ERROR_PAUSE_MS = 1_000;
/** An attempt that never reports back (the process died mid-call) is retried after this. */
export const WEBHOOK_TIMEOUT_MS = 5_000;
const ATTEMPT_LEASE_MS = WEBHOOK_TIMEOUT_MS + 1_000;

/**
 * Delivers the outbox: started with the application, stopped before the event store closes
 * (`onModuleDestroy` runs before any `onApplicationShutdown`), no timer left behind.
 *
 * Exactly once in effect, from the receiver's view, whatever dies when:
 * - The outbox row is written (durably) before the request's event, so a crash between the
 *   two leaves a row without an event: the worker records the event from the row first (the
 *   decider makes that a no-op when it exists), and only then sends.
 * - Each attempt is counted in the row before the call; a crash mid-call retries after a lease.
 * - After a 2xx the delivery is recorded, then the row deleted. A crash between the 2xx and the
 *   record sends the code again on restart, with the same `X-Otp-Delivery-Id`: the receiver
 *   drops the duplicate. A crash between the record and the delete finds the delivery recorded
 *   and just deletes the row. So the receiver acts once, and the code never outlives its outcome.
 * - Another request's event under the same stream (a reused key) makes the row's code
 *   undeliverable: it is deleted unsent.
 */
@Injectable()
export class OtpDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Pick<LoggerService, 'log' | 'warn' | 'error'> = new Logger('OtpDelivery');
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(
    private readonly store: EventStore,
    private readonly outbox: OtpOutbox,
    private readonly clock: Clock,
    @Inject(OTP_CHANNEL) private readonly channel: OtpChannelConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    this.wake();
    await this.loop;
    this.outbox.close();
  }

  /** Something was put in the outbox: look now rather than at the next timer. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        const busy = await this.round();
        if (busy) continue;
        await this.pause(this.untilNextEventMs());
      } catch (error) {
        this.logger.error(`OTP delivery round failed, retrying in ${ERROR_PAUSE_MS} ms: ${describe(error)}`);
        await this.pause(ERROR_PAUSE_MS);
      }
    }
  }

  /** One pass over what expired and what is due; true when there may be more right away. */
  private async round(): Promise<boolean> {
    const nowMs = this.clock.now().getTime();
    const expired = this.outbox.expired(nowMs, BATCH);
    for (const entry of expired) await this.expire(entry);
    const due = this.outbox.due(nowMs, BATCH);
    await Promise.all(due.map((entry) => this.deliver(entry)));
    return expired.length === BATCH || due.length === BATCH;
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const { deliveryId } = entry.delivery;
    const state = await this.ensureRequested(entry);
    if (state === undefined) return;
    if (state.status !== 'pending') {
      this.outbox.remove(deliveryId);
      return;
    }
    if (this.channel.kind === 'dev-inbox') {
      await this.record(entry, {
        type: 'RecordOtpDelivered',
        channel: 'dev-inbox',
        deliveredAt: this.nowIso(),
        attempts: 1,
      });
      this.outbox.markInInbox(deliveryId);
      return;
    }
    const attempts = entry.attempts + 1;
    const nowMs = this.clock.now().getTime();
    this.outbox.recordAttempt(deliveryId, attempts, nowMs + ATTEMPT_LEASE_MS);
    const body = JSON.stringify(webhookBody(entry, this.outbox.codeOf(deliveryId)));
    const result = await this.channel.webhook.send(deliveryId, body, nowMs, this.stopping.signal);
    switch (result.kind) {
      case 'interrupted':
        return;
      case 'delivered':
        await this.record(entry, {
          type: 'RecordOtpDelivered',
          channel: 'webhook',
          deliveredAt: this.nowIso(),
          attempts,
        });
        this.outbox.remove(deliveryId);
        this.logger.log(`OTP delivery ${deliveryId} delivered to the webhook (attempt ${attempts})`);
        return;
      case 'retry':
        if (attempts < OTP_DELIVERY_MAX_ATTEMPTS) {
          const delayMs = otpRetryDelayMs(attempts, Math.random());
          this.outbox.recordAttempt(deliveryId, attempts, this.clock.now().getTime() + delayMs);
          this.logger.warn(
            `OTP delivery ${deliveryId} attempt ${attempts}/${OTP_DELIVERY_MAX_ATTEMPTS} failed (${result.error}), retrying in ${delayMs} ms`,
          );
          return;
        }
        return this.fail(entry, 'attempts-exhausted', attempts, result.error);
      case 'rejected':
        return this.fail(entry, 'rejected', attempts, result.error);
    }
  }

  /** The code's time is up: forget it (dev inbox), or record the delivery as failed and forget it. */
  private async expire(entry: OutboxEntry): Promise<void> {
    if (!entry.inInbox) {
      const state = await this.ensureRequested(entry);
      if (state?.status === 'pending') {
        await this.record(entry, {
          type: 'RecordOtpDeliveryFailed',
          reason: 'expired',
          failedAt: this.nowIso(),
          attempts: entry.attempts,
          lastError: null,
        });
        this.logger.warn(
          `OTP delivery ${entry.delivery.deliveryId} expired undelivered after ${entry.attempts} attempts`,
        );
      }
    }
    this.outbox.remove(entry.delivery.deliveryId);
  }

  private async fail(
    entry: OutboxEntry,
    reason: 'attempts-exhausted' | 'rejected',
    attempts: number,
    lastError: string,
  ): Promise<void> {
    await this.record(entry, {
      type: 'RecordOtpDeliveryFailed',
      reason,
      failedAt: this.nowIso(),
      attempts,
      lastError,
    });
    this.outbox.remove(entry.delivery.deliveryId);
    this.logger.error(
      `OTP delivery ${entry.delivery.deliveryId} failed (${reason}, ${lastError}) after ${attempts} attempts`,
    );
  }

  /**
   * Records the request from the row (a no-op when the notifier already did). Undefined, and
   * the row deleted, when the stream belongs to another request (a reused key).
   */
  private async ensureRequested(entry: OutboxEntry): Promise<OtpDeliveryState | undefined> {
    const state = await this.record(entry, { type: 'RequestOtpDelivery', delivery: entry.delivery });
    if (otpRequestOutcome(state, entry.delivery.request) !== 'reused') return state;
    this.outbox.remove(entry.delivery.deliveryId);
    this.logger.warn(
      `OTP delivery ${entry.delivery.deliveryId} belongs to another request: its code was dropped unsent`,
    );
    return undefined;
  }

  private async record(entry: OutboxEntry, command: OtpDeliveryCommand): Promise<OtpDeliveryState> {
    const { state } = await this.store.handle(
      otpDeliveryStream(entry.delivery.deliveryId),
      otpDelivery,
      command,
      {
        metadata: {
          correlationId: entry.correlationId,
          idempotencyKey: entry.delivery.request.idempotencyKey,
        },
      },
    );
    return state;
  }

  private untilNextEventMs(): number {
    const next = this.outbox.nextEventAtMs();
    if (next === undefined) return IDLE_WAIT_MS;
    return Math.min(IDLE_WAIT_MS, Math.max(0, next - this.clock.now().getTime()));
  }

  /** Waits `ms`, or less when woken or stopped. */
  private pause(ms: number): Promise<void> {
    if (this.woken || this.stopping.signal.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }
}

/** What the receiver gets: the facts, the code, and the id to dedupe on. */
function webhookBody(entry: OutboxEntry, otp: string) {
  const { deliveryId, cardId, customerId, balanceId, amountMinor, currency, merchantName, expiresAt } =
    entry.delivery;
  return {
    deliveryId,
    cardId,
    customerId,
    balanceId,
    amount: amountMinor,
    currency,
    merchantName,
    otp,
    expiresAt,
  };
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 300);
}
