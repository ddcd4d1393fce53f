import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import type { LockReasonsEvent } from '../domain/lock-reasons.events';
import { lockReasonsStream, type LockSubject } from '../domain/lock-subject';
import { activeLockReasonsOf, foldLockReasons, type ActiveLockReason } from './get-active-lock-reasons.query';

export interface LockReasonsHistoryEntry {
  /** Decimal string: revisions are bigints, and JSON has no bigint. */
  readonly revision: string;
  readonly type: LockReasonsEvent['type'];
  readonly reason: string;
  /** The notification's own `timestamp`, as Antaca sent it. */
  readonly timestamp: string;
  /** When the service recorded it. */
  readonly receivedAt: string;
  readonly data: LockReasonsEvent['data'];
}

/** The operator's view of one user's or corporation's lock reasons: the active ones and every notification. */
export interface LockReasonsView {
  readonly subjectType: LockSubject['type'];
  readonly subjectId: string;
  readonly active: readonly ActiveLockReason[];
  readonly history: readonly LockReasonsHistoryEntry[];
}

/** `GET /operator/lock-reasons/:type/:id`, from the subject's stream. `undefined` when never notified. */
export class GetLockReasonsQuery extends Query<LockReasonsView | undefined> {
  constructor(readonly subject: LockSubject) {
    super();
  }
}

@QueryHandler(GetLockReasonsQuery)
export class GetLockReasonsHandler implements IQueryHandler<
  GetLockReasonsQuery,
  LockReasonsView | undefined
> {
  constructor(private readonly store: EventStore) {}

  async execute({ subject }: GetLockReasonsQuery): Promise<LockReasonsView | undefined> {
    const recorded = await this.store.readStream(lockReasonsStream(subject));
    if (recorded.length === 0) return undefined;
    return {
      subjectType: subject.type,
      subjectId: subject.id,
      active: activeLockReasonsOf(subject, foldLockReasons(recorded)),
      history: recorded.map((entry) => {
        const event = { type: entry.type, data: entry.data } as LockReasonsEvent;
        return {
          revision: entry.revision.toString(),
          type: event.type,
          reason: event.data.reason,
          timestamp: event.data.timestamp,
          receivedAt: entry.metadata.recordedAt,
          data: event.data,
        };
      }),
    };
  }
}
