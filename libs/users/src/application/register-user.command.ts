import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { user, userStream, type UserDetails } from '../domain/user';

export interface RegisterUserResult {
  /** False when the user already existed (answered 200 instead of 201). */
  readonly created: boolean;
}

export class RegisterUserCommand extends Command<RegisterUserResult> {
  constructor(
    readonly userId: string,
    readonly details: UserDetails,
    readonly idempotencyKey: string,
  ) {
    super();
  }
}

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand, RegisterUserResult> {
  constructor(private readonly store: EventStore) {}

  async execute(command: RegisterUserCommand): Promise<RegisterUserResult> {
    const result = await this.store.handle(
      userStream(command.userId),
      user,
      { type: 'RegisterUser', userId: command.userId, details: command.details },
      { metadata: { idempotencyKey: command.idempotencyKey } },
    );
    return { created: result.newEvents.length > 0 };
  }
}
