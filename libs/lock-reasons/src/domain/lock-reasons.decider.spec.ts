import { lockReasons, outcomeOfLockReasonsRequest } from './lock-reasons.decider';
import { activeReasons } from './lock-reasons.state';
import { KNOWN_LOCK_REASONS, lockReasonsStream } from './lock-subject';
import { given } from './testing/given';
import { add, added, CORPORATION, remove, removed, superseded } from './testing/lock-reasons.fixtures';

describe('Lock reasons decider', () => {
  it('names the stream after the subject', () => {
    expect(lockReasonsStream({ type: 'user', id: '42' })).toBe('lock-reasons-user-42');
    expect(lockReasonsStream(CORPORATION)).toBe(`lock-reasons-corporation-${CORPORATION.id}`);
  });

  it('has no active reason before any notification', () => {
    expect(activeReasons(lockReasons.initialState())).toEqual([]);
  });

  describe('adding', () => {
    it.each([...KNOWN_LOCK_REASONS])('activates %s, a reason of the seeds', (reason) => {
      const command = add(reason, 10);
      const { events, state } = given([])
        .when(command)
        .then([added(command)]);
      expect(events[0]?.data).toMatchObject({ known: true });
      expect(activeReasons(state)).toEqual([{ reason, since: command.timestamp }]);
      expect(state.subject).toEqual(CORPORATION);
    });

    it('activates a reason the seeds do not list, recorded as unknown', () => {
      const command = add('NEGATIVE_VERIFICATION', 10);
      const { events, state } = given([])
        .when(command)
        .then([added(command)]);
      expect(events[0]?.data).toMatchObject({ known: false });
      expect(activeReasons(state)).toEqual([{ reason: 'NEGATIVE_VERIFICATION', since: command.timestamp }]);
    });

    it('keeps each reason apart', () => {
      const fraud = add('FRAUD_SUSPECTED', 10);
      const police = add('POLICE_LOCK', 11);
      const { state } = given([added(fraud)])
        .when(police)
        .then([added(police)]);
      expect(activeReasons(state).map((active) => active.reason)).toEqual(['FRAUD_SUSPECTED', 'POLICE_LOCK']);
    });

    it('keeps the start of the active period when a newer add of an active reason arrives', () => {
      const first = add('FRAUD_SUSPECTED', 10);
      const command = add('FRAUD_SUSPECTED', 11);
      const { state } = given([added(first)])
        .when(command)
        .then([added(command)]);
      expect(activeReasons(state)).toEqual([{ reason: 'FRAUD_SUSPECTED', since: first.timestamp }]);
    });

    it('only records an add dated before the removal in effect', () => {
      const first = remove('FRAUD_SUSPECTED', 11);
      const command = add('FRAUD_SUSPECTED', 10);
      const { state } = given([removed(first)])
        .when(command)
        .then([superseded(command)]);
      expect(activeReasons(state)).toEqual([]);
    });

    it('reactivates a removed reason with a newer add', () => {
      const history = [added(add('ZEN_LOCK', 9)), removed(remove('ZEN_LOCK', 10))];
      const command = add('ZEN_LOCK', 11);
      const { state } = given(history)
        .when(command)
        .then([added(command)]);
      expect(activeReasons(state)).toEqual([{ reason: 'ZEN_LOCK', since: command.timestamp }]);
    });

    it('lets an add dated exactly like the removal in effect activate the reason', () => {
      const first = remove('ZEN_LOCK', 10);
      const command = add('ZEN_LOCK', 10);
      const { state } = given([removed(first)])
        .when(command)
        .then([added(command)]);
      expect(activeReasons(state)).toHaveLength(1);
    });
  });

  describe('removing', () => {
    it('deactivates a reason with a newer removal', () => {
      const first = add('FRAUD_SUSPECTED', 10);
      const command = remove('FRAUD_SUSPECTED', 11);
      const { state } = given([added(first)])
        .when(command)
        .then([removed(command)]);
      expect(activeReasons(state)).toEqual([]);
    });

    it('leaves the other reasons active', () => {
      const history = [added(add('FRAUD_SUSPECTED', 10)), added(add('POLICE_LOCK', 10))];
      const command = remove('FRAUD_SUSPECTED', 11);
      const { state } = given(history)
        .when(command)
        .then([removed(command)]);
      expect(activeReasons(state).map((active) => active.reason)).toEqual(['POLICE_LOCK']);
    });

    it('leaves the reason active when the removal is dated before its add, recorded', () => {
      const first = add('FRAUD_SUSPECTED', 11);
      const command = remove('FRAUD_SUSPECTED', 10);
      const { state } = given([added(first)])
        .when(command)
        .then([superseded(command)]);
      expect(activeReasons(state)).toEqual([{ reason: 'FRAUD_SUSPECTED', since: first.timestamp }]);
    });

    it('does not let a removal dated exactly like the add in effect deactivate the reason', () => {
      const first = add('FRAUD_SUSPECTED', 10);
      const command = remove('FRAUD_SUSPECTED', 10);
      const { state } = given([added(first)])
        .when(command)
        .then([superseded(command)]);
      expect(activeReasons(state)).toHaveLength(1);
    });

    it('records the removal of a reason never added, so that its older add arriving later stays inactive', () => {
      const command = remove('PEKAO_LOCK', 11);
      const { state } = given([])
        .when(command)
        .then([removed(command)]);
      const late = add('PEKAO_LOCK', 10);
      const after = given([removed(command)])
        .when(late)
        .then([superseded(late)]);
      expect(activeReasons(state)).toEqual([]);
      expect(activeReasons(after.state)).toEqual([]);
    });
  });

  describe('repeats', () => {
    it('decides nothing for a notification repeated with the same key and body', () => {
      const first = add('FRAUD_SUSPECTED', 10);
      const { state } = given([added(first)])
        .when(first)
        .then([]);
      expect(outcomeOfLockReasonsRequest(state, first.request)).toBe('recorded');
    });

    it('decides nothing for a repeat after newer notifications, which stay in effect', () => {
      const first = add('FRAUD_SUSPECTED', 10);
      const later = remove('FRAUD_SUSPECTED', 11);
      const { state } = given([added(first), removed(later)])
        .when(first)
        .then([]);
      expect(activeReasons(state)).toEqual([]);
    });

    it('tells a key reused for another request, and applies nothing', () => {
      const first = add('FRAUD_SUSPECTED', 10);
      const reuse = remove('FRAUD_SUSPECTED', 11, {
        idempotencyKey: first.request.idempotencyKey,
        requestHash: 'another',
      });
      const { state } = given([added(first)])
        .when(reuse)
        .then([]);
      expect(outcomeOfLockReasonsRequest(state, reuse.request)).toBe('reused');
      expect(activeReasons(state)).toHaveLength(1);
    });

    it('knows no outcome for a key it never recorded', () => {
      expect(
        outcomeOfLockReasonsRequest(lockReasons.initialState(), { idempotencyKey: 'k', requestHash: 'h' }),
      ).toBe('none');
    });
  });
});
