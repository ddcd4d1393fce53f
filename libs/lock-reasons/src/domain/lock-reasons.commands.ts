import type { RequestBody, RequestRef } from '@app/shared-kernel';
import type { LockSubject } from './lock-subject';

interface LockReasonNotification {
  /** Idempotency key and request hash: a repeat is recognised from the subject's own events. */
  readonly request: RequestRef;
  readonly subject: LockSubject;
  /** Upper-case code, possibly one the seeds do not list. */
  readonly reason: string;
  /** The notification's own `timestamp`, as sent (ISO 8601 with offset). */
  readonly timestamp: string;
  /** The same instant in UTC (`Date.prototype.toISOString`): notifications are ordered by it. */
  readonly timestampUtc: string;
  /** The body as received, unknown fields included (DOMAIN.md 1). */
  readonly body: RequestBody;
}

/** `POST /notifications/transactionalLockReasonAdded`. */
export interface AddLockReason extends LockReasonNotification {
  readonly type: 'AddLockReason';
}

/** `POST /notifications/transactionalLockReasonRemoved`. */
export interface RemoveLockReason extends LockReasonNotification {
  readonly type: 'RemoveLockReason';
}

export type LockReasonsCommand = AddLockReason | RemoveLockReason;
