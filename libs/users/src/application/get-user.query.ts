import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { replay } from '@app/shared-kernel';
import { user, userStream, type UserDetails, type UserEvent } from '../domain/user';

export interface UserView extends UserDetails {
  readonly userId: string;
}

/**
 * A user's details (corporation included), or null for a user never registered. Folded from
 * the user's stream, not a read model: authorization reads the corporation right after the
 * operator attached the user to it.
 */
export class GetUserQuery extends Query<UserView | null> {
  constructor(readonly userId: string) {
    super();
  }
}

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery, UserView | null> {
  constructor(private readonly store: EventStore) {}

  async execute({ userId }: GetUserQuery): Promise<UserView | null> {
    const recorded = await this.store.readStream(userStream(userId));
    const state = replay(
      user,
      recorded.map((event) => ({ type: event.type, data: event.data }) as UserEvent),
    );
    return state.registered && state.details ? { userId, ...state.details } : null;
  }
}
