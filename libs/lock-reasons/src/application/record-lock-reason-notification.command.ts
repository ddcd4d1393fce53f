import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import type { LockReasonsCommand } from '../domain/lock-reasons.commands';
import { lockReasons, outcomeOfLockReasonsRequest } from '../domain/lock-reasons.decider';
import { lockReasonsStream } from '../domain/lock-subject';

/** `recorded`: this request is in the subject's history (now or before); `reused`: its key belongs to another request. */
export type LockReasonNotificationOutcome = 'recorded' | 'reused';

/** `transactionalLockReasonAdded|Removed`, recorded on the subject's stream at most once per idempotency key. */
export class RecordLockReasonNotificationCommand extends Command<LockReasonNotificationOutcome> {
  constructor(
    readonly command: LockReasonsCommand,
    readonly correlationId: string,
  ) {
    super();
  }
}

@CommandHandler(RecordLockReasonNotificationCommand)
export class RecordLockReasonNotificationHandler implements ICommandHandler<
  RecordLockReasonNotificationCommand,
  LockReasonNotificationOutcome
> {
  constructor(private readonly store: EventStore) {}

  async execute({
    command,
    correlationId,
  }: RecordLockReasonNotificationCommand): Promise<LockReasonNotificationOutcome> {
    const result = await this.store.handle(lockReasonsStream(command.subject), lockReasons, command, {
      metadata: { idempotencyKey: command.request.idempotencyKey, correlationId },
    });
    return outcomeOfLockReasonsRequest(result.state, command.request) === 'reused' ? 'reused' : 'recorded';
  }
}
