import { replay } from '@app/shared-kernel';
import { givenFor } from './testing/given';
import { USER_ID, newRequest } from './testing/verification.fixtures';
import type { RejectionReason, VerificationStatus } from './kyc';
import {
  kycStatusOf,
  userKyc,
  userKycStream,
  type KycVerificationUpdated,
  type RecordVerificationChange,
} from './user-kyc.decider';

const given = givenFor(userKyc);
const V1 = 'a0000000-0000-4000-8000-000000000001';
const V2 = 'a0000000-0000-4000-8000-000000000002';

function change(
  verificationId: string,
  sequence: number,
  status: VerificationStatus,
  reason: RejectionReason | null = null,
): RecordVerificationChange {
  return {
    type: 'RecordVerificationChange',
    userId: USER_ID,
    verificationId,
    sequence,
    status,
    reason,
    request: newRequest(),
  };
}

function updated(command: RecordVerificationChange): KycVerificationUpdated {
  const { type: _type, ...data } = command;
  return { type: 'KycVerificationUpdated', data };
}

const history = (...commands: RecordVerificationChange[]) => commands.map(updated);

describe('UserKyc decider', () => {
  it('names the stream after the user', () => {
    expect(userKycStream(USER_ID)).toBe(`kyc-${USER_ID}`);
  });

  it('does not require KYC of a user no verification was seen for', () => {
    expect(kycStatusOf(userKyc.initialState())).toEqual({
      required: false,
      status: null,
      reason: null,
      decidedBy: null,
    });
  });

  it('requires KYC from the first notification, IN_PROGRESS until a decision', () => {
    const command = change(V1, 1, 'IN_PROGRESS');
    const { state } = given([])
      .when(command)
      .then([updated(command)]);
    expect(kycStatusOf(state)).toEqual({
      required: true,
      status: 'IN_PROGRESS',
      reason: null,
      decidedBy: null,
    });
  });

  it('follows a decision of the verification', () => {
    const command = change(V1, 2, 'REJECTED', 'INVALID_SELFIE');
    const { state } = given(history(change(V1, 1, 'IN_PROGRESS')))
      .when(command)
      .then([updated(command)]);
    expect(kycStatusOf(state)).toEqual({
      required: true,
      status: 'REJECTED',
      reason: 'INVALID_SELFIE',
      decidedBy: V1,
    });
  });

  it('follows the decision that arrived last, over all the verifications of the user', () => {
    const command = change(V2, 1, 'REJECTED', 'BLURRED_SELFIE');
    const { state } = given(history(change(V1, 1, 'ACCEPTED')))
      .when(command)
      .then([updated(command)]);
    expect(kycStatusOf(state)).toMatchObject({ status: 'REJECTED', reason: 'BLURRED_SELFIE', decidedBy: V2 });
    expect([...state.verifications.keys()]).toEqual([V1, V2]);
  });

  it('keeps the decision while a newer verification is only in progress', () => {
    const command = change(V2, 1, 'IN_PROGRESS');
    const { state } = given(history(change(V1, 1, 'ACCEPTED')))
      .when(command)
      .then([updated(command)]);
    expect(kycStatusOf(state)).toMatchObject({ status: 'ACCEPTED', decidedBy: V1 });
    expect(state.verifications.get(V2)).toMatchObject({ status: 'IN_PROGRESS' });
  });

  it('follows a re-review of the same verification', () => {
    const command = change(V1, 2, 'ACCEPTED');
    const { state } = given(history(change(V1, 1, 'REJECTED', 'INVALID_CUSTOMER_DATA')))
      .when(command)
      .then([updated(command)]);
    expect(kycStatusOf(state)).toMatchObject({ status: 'ACCEPTED', reason: null });
  });

  it('ignores a change of a verification that arrives after a later change of it', () => {
    const { state } = given(history(change(V1, 2, 'ACCEPTED')))
      .when(change(V1, 1, 'IN_PROGRESS'))
      .then([]);
    expect(kycStatusOf(state)).toMatchObject({ status: 'ACCEPTED' });
  });

  it('records a change once, however often it is recorded again', () => {
    const command = change(V1, 1, 'REJECTED', 'BLURRED_DOCUMENT_PHOTO');
    given(history(command))
      .when({ ...command, request: newRequest() })
      .then([]);
    expect(kycStatusOf(replay(userKyc, history(command)))).toMatchObject({ status: 'REJECTED' });
  });
});
