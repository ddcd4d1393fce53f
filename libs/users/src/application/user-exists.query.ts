import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import { userStream } from '../domain/user';

/** Read from the user's stream, not a read model: linking must not race the projection. */
export class UserExistsQuery extends Query<boolean> {
  constructor(readonly userId: string) {
    super();
  }
}

@QueryHandler(UserExistsQuery)
export class UserExistsHandler implements IQueryHandler<UserExistsQuery, boolean> {
  constructor(private readonly store: EventStore) {}

  async execute(query: UserExistsQuery): Promise<boolean> {
    return (await this.store.readStream(userStream(query.userId), { maxCount: 1 })).length > 0;
  }
}
