import type { NotificationRequest, RejectionReason, VerificationVerdict } from '../kyc';
import type { RecordVerificationNotification } from '../verification.decider';
import type {
  IgnoredBecause,
  VerificationNotificationIgnored,
  VerificationStatusChanged,
} from '../verification.events';

export const VERIFICATION_ID = '6faaa45a-41f6-4922-95fe-16e316ba7e91';
export const USER_ID = '1337';

export const inProgress: VerificationVerdict = { status: 'IN_PROGRESS', reason: null };
export const accepted: VerificationVerdict = { status: 'ACCEPTED', reason: null };
export const rejected = (reason: RejectionReason = 'BLURRED_SELFIE'): VerificationVerdict => ({
  status: 'REJECTED',
  reason,
});

let requests = 0;
/** A request nobody sent before. */
export const newRequest = (): NotificationRequest => {
  requests += 1;
  return { idempotencyKey: `key-${requests}`, requestHash: `hash-${requests}` };
};

export function notification(
  verdict: VerificationVerdict,
  overrides: Partial<Omit<RecordVerificationNotification, 'type' | 'verdict'>> = {},
): RecordVerificationNotification {
  const userId = overrides.userId ?? USER_ID;
  return {
    type: 'RecordVerificationNotification',
    request: newRequest(),
    verificationId: VERIFICATION_ID,
    userId,
    verdict,
    user: { email: 'leon@example.com', firstName: 'Leon', lastName: 'Bakiewicz' },
    body: { verificationId: VERIFICATION_ID, userId, status: verdict.status, reason: verdict.reason },
    ...overrides,
  };
}

function recorded(command: RecordVerificationNotification) {
  const { verificationId, userId, verdict, user, request, body } = command;
  return { verificationId, userId, status: verdict.status, reason: verdict.reason, user, request, body };
}

export function changed(
  command: RecordVerificationNotification,
  sequence: number,
  previous: VerificationVerdict | null,
): VerificationStatusChanged {
  return { type: 'VerificationStatusChanged', data: { ...recorded(command), sequence, previous } };
}

export function ignored(
  command: RecordVerificationNotification,
  because: IgnoredBecause,
): VerificationNotificationIgnored {
  return { type: 'VerificationNotificationIgnored', data: { ...recorded(command), because } };
}
