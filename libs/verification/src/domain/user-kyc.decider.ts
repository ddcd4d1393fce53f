import { assertNever, type Decider, type DomainEvent } from '@app/shared-kernel';
import { isDecision, type NotificationRequest, type RejectionReason, type VerificationStatus } from './kyc';

/** Stream of one user's KYC: `kyc-<userId>`. */
export const userKycStream = (userId: string): string => `kyc-${userId}`;

/** Copies one status change of a verification (`VerificationStatusChanged`) into its user's KYC. */
export interface RecordVerificationChange {
  readonly type: 'RecordVerificationChange';
  readonly userId: string;
  readonly verificationId: string;
  /** The change's `sequence` on its verification. */
  readonly sequence: number;
  readonly status: VerificationStatus;
  readonly reason: RejectionReason | null;
  /** The notification that made the change. */
  readonly request: NotificationRequest;
}

export type UserKycCommand = RecordVerificationChange;

export type KycVerificationUpdated = DomainEvent<
  'KycVerificationUpdated',
  Omit<RecordVerificationChange, 'type'>
>;

export type UserKycEvent = KycVerificationUpdated;

export interface KycVerification {
  readonly verificationId: string;
  readonly status: VerificationStatus;
  readonly reason: RejectionReason | null;
  readonly sequence: number;
}

export interface KycDecision {
  readonly verificationId: string;
  readonly status: 'ACCEPTED' | 'REJECTED';
  readonly reason: RejectionReason | null;
}

/** One user's KYC (stream `kyc-<userId>`), as `evolve` leaves it. */
export interface UserKycState {
  /** Every verification seen for the user, in the order their first change arrived. */
  readonly verifications: ReadonlyMap<string, KycVerification>;
  /** The decision that arrived last, over all the user's verifications; `null` while none is decided. */
  readonly latestDecision: KycDecision | null;
}

/**
 * The user's KYC follows the latest decision across their verifications (DOMAIN.md 4).
 * "Latest" is arrival order: the notifications carry no date. A verification that starts
 * (IN_PROGRESS) after another was decided does not undo that decision: the user keeps it
 * until the new verification is decided.
 *
 * Changes of one verification may reach this stream out of their order (two notifications
 * of the same verification processed at once); each carries its verification's `sequence`,
 * and one at or below what is already recorded for that verification changes nothing. That
 * also makes recording a change again (a retried request) a no-op.
 */
export const userKyc: Decider<UserKycCommand, UserKycState, UserKycEvent> = {
  initialState: () => ({ verifications: new Map(), latestDecision: null }),
  evolve,
  decide,
};

function decide(command: UserKycCommand, state: UserKycState): UserKycEvent[] {
  switch (command.type) {
    case 'RecordVerificationChange': {
      const known = state.verifications.get(command.verificationId);
      if (known !== undefined && known.sequence >= command.sequence) return [];
      const { type: _type, ...data } = command;
      return [{ type: 'KycVerificationUpdated', data }];
    }
    default:
      return assertNever(command.type);
  }
}

function evolve(state: UserKycState, event: UserKycEvent): UserKycState {
  switch (event.type) {
    case 'KycVerificationUpdated': {
      const { verificationId, status, reason, sequence } = event.data;
      const verifications = new Map(state.verifications).set(verificationId, {
        verificationId,
        status,
        reason,
        sequence,
      });
      const latestDecision = isDecision(status) ? { verificationId, status, reason } : state.latestDecision;
      return { verifications, latestDecision };
    }
    default:
      return assertNever(event.type);
  }
}

/** The user's KYC status as authorization reads it. */
export interface KycStatus {
  /**
   * KYC is required once any verification notification was seen for the user (DOMAIN.md 5,
   * rule 4): before that, the operator has not put the user through KYC.
   */
  readonly required: boolean;
  /** `null` when no verification was seen; IN_PROGRESS while none is decided; else the latest decision. */
  readonly status: VerificationStatus | null;
  /** The rejection reason when `status` is REJECTED. */
  readonly reason: RejectionReason | null;
  /** The verification the status comes from; `null` while none is decided. */
  readonly decidedBy: string | null;
}

export function kycStatusOf(state: UserKycState): KycStatus {
  const required = state.verifications.size > 0;
  const decision = state.latestDecision;
  if (decision !== null) {
    return { required, status: decision.status, reason: decision.reason, decidedBy: decision.verificationId };
  }
  return { required, status: required ? 'IN_PROGRESS' : null, reason: null, decidedBy: null };
}
