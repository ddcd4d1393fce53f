import { replay } from '@app/shared-kernel';
import { givenFor } from './testing/given';
import {
  USER_ID,
  VERIFICATION_ID,
  accepted,
  changed,
  ignored,
  inProgress,
  notification,
  rejected,
} from './testing/verification.fixtures';
import type { VerificationVerdict } from './kyc';
import { outcomeOf, verification, verificationStream } from './verification.decider';
import type { VerificationEvent } from './verification.events';

const given = givenFor(verification);

/** The history of a verification that went through `verdicts`, one notification each. */
function through(...verdicts: VerificationVerdict[]): VerificationEvent[] {
  return verdicts.map((verdict, index) =>
    changed(notification(verdict), index + 1, verdicts[index - 1] ?? null),
  );
}

describe('Verification decider', () => {
  it('names the stream after the verification id', () => {
    expect(verificationStream(VERIFICATION_ID)).toBe(`verification-${VERIFICATION_ID}`);
  });

  describe('the first notification sets the status, whatever it is', () => {
    it.each([
      ['IN_PROGRESS', inProgress],
      ['ACCEPTED', accepted],
      ['REJECTED', rejected('INVALID_CUSTOMER_DATA')],
    ])('%s', (_name, verdict) => {
      const command = notification(verdict);
      const { state } = given([])
        .when(command)
        .then([changed(command, 1, null)]);
      expect(state).toMatchObject({ verificationId: VERIFICATION_ID, userId: USER_ID, verdict, sequence: 1 });
    });
  });

  describe('a decision after IN_PROGRESS', () => {
    it.each([
      ['ACCEPTED', accepted],
      ['REJECTED', rejected('BLURRED_DOCUMENT_PHOTO')],
    ])('%s replaces IN_PROGRESS', (_name, verdict) => {
      const command = notification(verdict);
      const { state } = given(through(inProgress))
        .when(command)
        .then([changed(command, 2, inProgress)]);
      expect(state.verdict).toEqual(verdict);
    });
  });

  describe('a late IN_PROGRESS', () => {
    it.each([
      ['ACCEPTED', accepted],
      ['REJECTED', rejected()],
    ])('is recorded and ignored after %s', (_name, decision) => {
      const command = notification(inProgress);
      const { state } = given(through(inProgress, decision))
        .when(command)
        .then([ignored(command, 'LATE_IN_PROGRESS')]);
      expect(state.verdict).toEqual(decision);
      expect(state.sequence).toBe(2);
      expect(outcomeOf(state, command.request)).toEqual({ kind: 'ignored' });
    });
  });

  describe('one decision after the opposite one: a re-review, the latest arrival wins', () => {
    it('REJECTED after ACCEPTED rejects', () => {
      const command = notification(rejected('INVALID_SELFIE'));
      const { state } = given(through(accepted))
        .when(command)
        .then([changed(command, 2, accepted)]);
      expect(state.verdict).toEqual(rejected('INVALID_SELFIE'));
    });

    it('ACCEPTED after REJECTED accepts', () => {
      const command = notification(accepted);
      const { state } = given(through(rejected()))
        .when(command)
        .then([changed(command, 2, rejected())]);
      expect(state.verdict).toEqual(accepted);
    });

    it('REJECTED with another reason replaces the reason', () => {
      const command = notification(rejected('INVALID_DOCUMENT_PHOTO'));
      const { state } = given(through(rejected('BLURRED_SELFIE')))
        .when(command)
        .then([changed(command, 2, rejected('BLURRED_SELFIE'))]);
      expect(state.verdict).toEqual(rejected('INVALID_DOCUMENT_PHOTO'));
    });
  });

  describe('the status it already has, from another request', () => {
    it.each([
      ['IN_PROGRESS', inProgress],
      ['ACCEPTED', accepted],
      ['REJECTED with the same reason', rejected('BLURRED_SELFIE')],
    ])('%s is recorded and changes nothing', (_name, verdict) => {
      const command = notification(verdict);
      const { state } = given(through(verdict))
        .when(command)
        .then([ignored(command, 'UNCHANGED')]);
      expect(state).toMatchObject({ verdict, sequence: 1 });
    });
  });

  it('records and ignores a notification naming another user than the verification has', () => {
    const command = notification(rejected(), { userId: 'someone-else' });
    const { state } = given(through(accepted))
      .when(command)
      .then([ignored(command, 'OTHER_USER')]);
    expect(state).toMatchObject({ userId: USER_ID, verdict: accepted, sequence: 1 });
  });

  describe('repeats', () => {
    it('decides nothing for a repeat of a request that changed the status, and tells its outcome', () => {
      const command = notification(rejected());
      const history = [changed(command, 1, null)];
      const { state } = given(history).when(command).then([]);
      expect(outcomeOf(state, command.request)).toEqual({ kind: 'changed', sequence: 1 });
    });

    it('still tells the change a request made after later changes', () => {
      const first = notification(inProgress);
      const state = replay(verification, [
        changed(first, 1, null),
        changed(notification(accepted), 2, inProgress),
      ]);
      expect(verification.decide(first, state)).toEqual([]);
      expect(outcomeOf(state, first.request)).toEqual({ kind: 'changed', sequence: 1 });
    });

    it('decides nothing for the same key with another request, and tells it is a reuse', () => {
      const first = notification(accepted);
      const reuse = notification(rejected(), {
        request: { idempotencyKey: first.request.idempotencyKey, requestHash: 'another-hash' },
      });
      const { state } = given([changed(first, 1, null)])
        .when(reuse)
        .then([]);
      expect(outcomeOf(state, reuse.request)).toEqual({ kind: 'reused' });
      expect(state.verdict).toEqual(accepted);
    });

    it('knows nothing of a request it never saw', () => {
      expect(outcomeOf(verification.initialState(), notification(accepted).request)).toEqual({
        kind: 'none',
      });
    });
  });

  it('refuses to fold a REJECTED change without a reason (a corrupt stream is loud)', () => {
    const corrupt = changed(notification(rejected()), 1, null);
    const broken = { ...corrupt, data: { ...corrupt.data, reason: null } };
    expect(() => replay(verification, [broken])).toThrow(/without a reason/);
  });
});
