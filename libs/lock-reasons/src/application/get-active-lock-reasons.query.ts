import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EventStore, type RecordedEvent } from '@app/event-store';
import { replay } from '@app/shared-kernel';
import { lockReasons } from '../domain/lock-reasons.decider';
import type { LockReasonsEvent } from '../domain/lock-reasons.events';
import { activeReasons, type LockReasonsState } from '../domain/lock-reasons.state';
import { lockReasonsStream, type LockSubject, type LockSubjectType } from '../domain/lock-subject';

export interface ActiveLockReason {
  readonly subjectType: LockSubjectType;
  readonly subjectId: string;
  /** Upper-case code, possibly one the seeds do not list (it locks all the same). */
  readonly reason: string;
  /** The `timestamp` of the add that started the active period, as Antaca sent it. */
  readonly since: string;
}

/**
 * The active transactional lock reasons of some users and corporations (DOMAIN.md 5, rule 3),
 * folded from their streams (not a read model): a debit right after the 204 to
 * `transactionalLockReasonAdded` must see the reason. A subject never notified has none.
 */
export class GetActiveLockReasonsQuery extends Query<ActiveLockReason[]> {
  constructor(readonly subjects: readonly LockSubject[]) {
    super();
  }
}

@QueryHandler(GetActiveLockReasonsQuery)
export class GetActiveLockReasonsHandler implements IQueryHandler<
  GetActiveLockReasonsQuery,
  ActiveLockReason[]
> {
  constructor(private readonly store: EventStore) {}

  async execute({ subjects }: GetActiveLockReasonsQuery): Promise<ActiveLockReason[]> {
    const perSubject = await Promise.all(subjects.map((subject) => this.activeOf(subject)));
    return perSubject.flat();
  }

  private async activeOf(subject: LockSubject): Promise<ActiveLockReason[]> {
    const state = foldLockReasons(await this.store.readStream(lockReasonsStream(subject)));
    return activeLockReasonsOf(subject, state);
  }
}

export function foldLockReasons(recorded: readonly RecordedEvent[]): LockReasonsState {
  return replay(
    lockReasons,
    recorded.map((event) => ({ type: event.type, data: event.data }) as LockReasonsEvent),
  );
}

export function activeLockReasonsOf(subject: LockSubject, state: LockReasonsState): ActiveLockReason[] {
  return activeReasons(state).map(({ reason, since }) => ({
    subjectType: subject.type,
    subjectId: subject.id,
    reason,
    since,
  }));
}
