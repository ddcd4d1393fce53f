import { createHash } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { Clock, replay, type RequestRef } from '@app/shared-kernel';
import { otpDelivery, otpDeliveryStream, otpRequestOutcome } from '../domain/otp-delivery.decider';
import type { OtpDeliveryEvent, OtpFacts } from '../domain/otp-delivery.events';
import { OtpOutbox } from '../infrastructure/otp-outbox';
import { OtpDeliveryWorker } from './otp-delivery.worker';

/**
 * How long a code may wait for delivery, and stays readable in the dev inbox: 10 minutes,
 * longer than a 3DS challenge lasts, so a code is never deleted while it can still be used.
 */
export const OTP_CODE_TTL_MS = 10 * 60 * 1000;

/** `accepted`: queued for delivery now or by an earlier identical request; `reused`: 422. */
export type OtpRequestAnswer = 'accepted' | 'reused';

/** `POST /notifications/otp`: hand a 3DS code to the delivery outbox, once. */
export class RequestOtpDeliveryCommand extends Command<OtpRequestAnswer> {
  constructor(
    readonly facts: OtpFacts,
    /** The secret: goes into the outbox (encrypted), never into an event or a log. */
    readonly otp: string,
    readonly request: RequestRef,
    readonly correlationId: string,
  ) {
    super();
  }

  /** Never print the code (a command may end up in an error message). */
  toJSON(): object {
    return { facts: this.facts, request: this.request, correlationId: this.correlationId };
  }
}

/**
 * The delivery id, and so the stream, follow from the idempotency key (the body hash for a
 * keyless request): a repeat lands on the same stream and finds it recorded, across crashes
 * and instances. The receiver gets the same id on every attempt.
 */
export function otpDeliveryIdFor(idempotencyKey: string): string {
  return createHash('sha256').update(`otp-delivery:${idempotencyKey}`).digest('hex').slice(0, 32);
}

/**
 * Outbox row first (durable), then the event, then wake the worker. A crash in between leaves
 * a row whose event the worker records itself before sending (see `OtpDeliveryWorker`); a
 * recorded request is never queued again, so a repeat after delivery sends nothing.
 */
@CommandHandler(RequestOtpDeliveryCommand)
export class RequestOtpDeliveryHandler implements ICommandHandler<
  RequestOtpDeliveryCommand,
  OtpRequestAnswer
> {
  constructor(
    private readonly store: EventStore,
    private readonly outbox: OtpOutbox,
    private readonly worker: OtpDeliveryWorker,
    private readonly clock: Clock,
  ) {}

  async execute({
    facts,
    otp,
    request,
    correlationId,
  }: RequestOtpDeliveryCommand): Promise<OtpRequestAnswer> {
    const deliveryId = otpDeliveryIdFor(request.idempotencyKey);
    const stream = otpDeliveryStream(deliveryId);
    const history = await this.store.readStream(stream);
    const known = otpRequestOutcome(
      replay(
        otpDelivery,
        history.map((event) => ({ type: event.type, data: event.data }) as OtpDeliveryEvent),
      ),
      request,
    );
    if (known !== 'none') return known;

    const now = this.clock.now();
    const delivery = {
      deliveryId,
      request,
      ...facts,
      requestedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + OTP_CODE_TTL_MS).toISOString(),
    };
    this.outbox.put(delivery, otp, correlationId);
    const { state } = await this.store.handle(
      stream,
      otpDelivery,
      { type: 'RequestOtpDelivery', delivery },
      { metadata: { idempotencyKey: request.idempotencyKey, correlationId } },
    );
    const outcome = otpRequestOutcome(state, request);
    // Another request won the stream in between (a reused key): the worker drops our row.
    this.worker.wake();
    return outcome === 'reused' ? 'reused' : 'accepted';
  }
}
