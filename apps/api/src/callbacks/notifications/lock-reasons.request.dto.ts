import type { LockSubjectType } from '@app/lock-reasons';
import { isoDateTime, LenientField } from '../../http/lenient-field';
import { parseOpaqueId } from '../../http/lenient';
import { parseReasonCode } from './notification-body';

const SUBJECT_TYPES: readonly LockSubjectType[] = ['user', 'corporation'];

/** `user` or `corporation`, any case. */
const parseResourceType = (value: unknown): LockSubjectType | undefined => {
  const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
  return SUBJECT_TYPES.find((type) => type === lower);
};

/**
 * `POST /notifications/transactionalLockReasonAdded|Removed` (seeds: External Transactional
 * Lock Reason Notifier). `resourceId` is "numeric string or uuid": an opaque id, numbers accepted.
 */
export class LockReasonNotificationRequestDto {
  @LenientField(parseResourceType, { required: true }) resourceType!: LockSubjectType;
  @LenientField(parseOpaqueId, { required: true }) resourceId!: string;
  @LenientField(parseReasonCode, { required: true }) lockReason!: string;
  @LenientField(isoDateTime, { required: true }) timestamp!: string;
}
