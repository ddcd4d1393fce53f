import { createHash } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RequestRef } from '@app/shared-kernel';
import { EventStore } from '@app/event-store';
import { notificationOutcomeOf, transaction, transactionStream } from '../domain/transaction.decider';
import type { TransactionNotified } from '../domain/transaction.events';
import {
  unmatchedNotification,
  unmatchedNotificationStream,
  unmatchedOutcomeOf,
  type TransactionNotificationUnmatched,
} from '../domain/unmatched-notification.decider';

/** A notification with a usable transaction `id`, or one kept aside because it has none. */
export type TransactionNotificationInput =
  | { readonly kind: 'matched'; readonly notification: TransactionNotified['data'] }
  | { readonly kind: 'unmatched'; readonly notification: TransactionNotificationUnmatched['data'] };

/** `recorded`: now or by an earlier delivery of the same request; `reused`: its key named another request. */
export type TransactionNotificationOutcome = 'recorded' | 'reused';

/** Records Antaca's transaction notification (`/notifications/transaction`) exactly once. */
export class RecordTransactionNotificationCommand extends Command<TransactionNotificationOutcome> {
  constructor(
    readonly input: TransactionNotificationInput,
    readonly correlationId: string,
  ) {
    super();
  }
}

/**
 * A matched notification goes into its lifecycle's stream, beside the balance events the
 * Transaction reactor records there; the decider keeps the two apart (see `transaction`).
 * The request's key travels in the event, so a repeat after a crash or on another instance
 * records nothing (DOMAIN.md 3); the stream's revision check arbitrates between writers.
 */
@CommandHandler(RecordTransactionNotificationCommand)
export class RecordTransactionNotificationHandler implements ICommandHandler<
  RecordTransactionNotificationCommand,
  TransactionNotificationOutcome
> {
  constructor(private readonly store: EventStore) {}

  async execute({
    input,
    correlationId,
  }: RecordTransactionNotificationCommand): Promise<TransactionNotificationOutcome> {
    const { request } = input.notification;
    const metadata = { idempotencyKey: request.idempotencyKey, correlationId };
    if (input.kind === 'matched') {
      const { state } = await this.store.handle(
        transactionStream(input.notification.lifecycleId),
        transaction,
        { type: 'RecordTransactionNotification', notification: input.notification },
        { metadata },
      );
      return notificationOutcomeOf(state, request) === 'reused' ? 'reused' : 'recorded';
    }
    const { state } = await this.store.handle(
      unmatchedNotificationStream(streamIdOf(request)),
      unmatchedNotification,
      { type: 'RecordUnmatchedNotification', notification: input.notification },
      { metadata },
    );
    return unmatchedOutcomeOf(state, request);
  }
}

/** Keys are free text up to 200 characters; a stream id gets their hash. */
function streamIdOf(request: RequestRef): string {
  return createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 32);
}
