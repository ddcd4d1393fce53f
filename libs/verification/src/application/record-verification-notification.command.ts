import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { RegisterUserCommand } from '@app/users';
import { userKyc, userKycStream } from '../domain/user-kyc.decider';
import {
  outcomeOf,
  verification,
  verificationStream,
  type RecordVerificationNotification,
} from '../domain/verification.decider';

/** `recorded`: answered 204 (also when ignored or repeated); `reused`: the key belongs to another request. */
export type VerificationNotificationResult = 'recorded' | 'reused';

export class RecordVerificationNotificationCommand extends Command<VerificationNotificationResult> {
  constructor(
    readonly notification: Omit<RecordVerificationNotification, 'type'>,
    readonly correlationId: string,
  ) {
    super();
  }
}

/**
 * Three idempotent steps, each safe to run again, so a retry after a crash between any two
 * completes what the first attempt started:
 * 1. the verification decides (its stream records the request's key with the outcome);
 * 2. an unknown user is registered from the notification (email and names);
 * 3. a change of the verification's status is copied into the user's KYC stream, which
 *    authorization reads; the 204 is sent only after it, so a debit right after the 204 sees it.
 */
@CommandHandler(RecordVerificationNotificationCommand)
export class RecordVerificationNotificationHandler implements ICommandHandler<
  RecordVerificationNotificationCommand,
  VerificationNotificationResult
> {
  constructor(
    private readonly store: EventStore,
    private readonly commands: CommandBus,
  ) {}

  async execute({
    notification,
    correlationId,
  }: RecordVerificationNotificationCommand): Promise<VerificationNotificationResult> {
    const { verificationId, userId, verdict, user, request } = notification;
    const metadata = { idempotencyKey: request.idempotencyKey, correlationId };
    const { state } = await this.store.handle(
      verificationStream(verificationId),
      verification,
      { type: 'RecordVerificationNotification', ...notification },
      { metadata },
    );
    const outcome = outcomeOf(state, request);
    if (outcome.kind === 'reused') return 'reused';
    if (outcome.kind === 'none')
      throw new Error(`Verification ${verificationId} did not record its notification`);

    await this.commands.execute(
      new RegisterUserCommand(userId, { ...user, corporationId: null }, request.idempotencyKey),
    );
    if (outcome.kind === 'changed') {
      await this.store.handle(
        userKycStream(userId),
        userKyc,
        {
          type: 'RecordVerificationChange',
          userId,
          verificationId,
          sequence: outcome.sequence,
          status: verdict.status,
          reason: verdict.reason,
          request,
        },
        { metadata },
      );
    }
    return 'recorded';
  }
}
