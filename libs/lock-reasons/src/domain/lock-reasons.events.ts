import type { DomainEvent, RequestBody, RequestRef } from '@app/shared-kernel';
import type { LockSubjectType } from './lock-subject';

/** Every event names its subject, the reason, the notification's timestamp and the request. */
type LockReasonEventOf<TType extends string, TData extends object = object> = DomainEvent<
  TType,
  TData & {
    readonly subjectType: LockSubjectType;
    readonly subjectId: string;
    readonly reason: string;
    readonly timestamp: string;
    readonly timestampUtc: string;
    readonly request: RequestRef;
    readonly body: RequestBody;
  }
>;

/** The reason is active: the newest notification about it, so far, is this add. */
export type LockReasonAdded = LockReasonEventOf<'LockReasonAdded', { readonly known: boolean }>;

/** The reason is inactive: the newest notification about it, so far, is this removal. */
export type LockReasonRemoved = LockReasonEventOf<'LockReasonRemoved'>;

/**
 * A notification dated at or before the newest one about the same reason: recorded, changes
 * nothing (a removal older than its add leaves the reason active).
 */
export type LockReasonNotificationSuperseded = LockReasonEventOf<
  'LockReasonNotificationSuperseded',
  { readonly notification: 'added' | 'removed' }
>;

/** Events of one subject's stream (`lock-reasons-<type>-<id>`). */
export type LockReasonsEvent = LockReasonAdded | LockReasonRemoved | LockReasonNotificationSuperseded;
