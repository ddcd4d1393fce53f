/** Who a transactional lock reason applies to: a user, or a corporation (and so all its users). */
export type LockSubjectType = 'user' | 'corporation';

export interface LockSubject {
  readonly type: LockSubjectType;
  /** Antaca's `resourceId`: an opaque id (DOMAIN.md 1), a numeric string or a UUID. */
  readonly id: string;
}

/** Stream of one subject's lock reasons: `lock-reasons-user-<id>`, `lock-reasons-corporation-<id>`. */
export const lockReasonsStream = (subject: LockSubject): string =>
  `lock-reasons-${subject.type}-${subject.id}`;

/**
 * The transactional lock reasons of the seeds ("External Transactional Lock Reason
 * Notifier"), spelled as they are there (`NAGATIVE_VERIFICATION` included). A reason not
 * listed is accepted and locks all the same: Antaca adds values over time, and ignoring a
 * lock would let money move that should not.
 */
export const KNOWN_LOCK_REASONS: ReadonlySet<string> = new Set([
  'DOCUMENT_EXPIRED',
  'FRAUD_SUSPECTED',
  'SCREENING_DETECTED',
  'TEMPORARY_LOCKED',
  'PEKAO_LOCK',
  'ZEN_LOCK',
  'PROSECUTOR_LOCK',
  'FENIGE_LOCK',
  'POLICE_LOCK',
  'MANY_CARDS_LOCK',
  'NAGATIVE_VERIFICATION',
  'PRADO_VERIFICATION',
]);
