import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { user, userStream } from '../domain/user';

export type AttachUserToCorporationResult = 'attached' | 'user-not-found';

/**
 * The operator attaches an existing user to a corporation, whose transactional lock reasons
 * then apply to the user too. Setting a value is idempotent by nature (again: nothing new is
 * recorded); the key is kept in the event's metadata for the audit.
 */
export class AttachUserToCorporationCommand extends Command<AttachUserToCorporationResult> {
  constructor(
    readonly userId: string,
    readonly corporationId: string,
    readonly idempotencyKey: string,
  ) {
    super();
  }
}

@CommandHandler(AttachUserToCorporationCommand)
export class AttachUserToCorporationHandler implements ICommandHandler<
  AttachUserToCorporationCommand,
  AttachUserToCorporationResult
> {
  constructor(private readonly store: EventStore) {}

  async execute(command: AttachUserToCorporationCommand): Promise<AttachUserToCorporationResult> {
    const { userId, corporationId, idempotencyKey } = command;
    const result = await this.store.handle(
      userStream(userId),
      user,
      { type: 'AttachUserToCorporation', userId, corporationId },
      { metadata: { idempotencyKey } },
    );
    return result.state.registered ? 'attached' : 'user-not-found';
  }
}
