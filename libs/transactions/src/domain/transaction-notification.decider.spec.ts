import { given } from './testing/given';
import { notified, notify } from './testing/notification.fixtures';
import { LIFECYCLE_ID, fundsHeld, recordOutcome, recorded, requestRef } from './testing/transaction.fixtures';
import { notificationOutcomeOf } from './transaction.decider';
import type { TransactionEvent } from './transaction.events';
import {
  unmatchedNotification,
  unmatchedNotificationStream,
  unmatchedOutcomeOf,
} from './unmatched-notification.decider';

const holdOf100 = recordOutcome(fundsHeld(100));
const authorizedHold: TransactionEvent[] = [
  recorded('TransactionAuthorized', holdOf100, { kind: 'debit', amountMinor: 100, forced: false }),
];

describe('Transaction decider: Antaca transaction notifications', () => {
  it('records a notification about an id nothing else recorded yet', () => {
    const command = notify();
    const { state } = given([])
      .when(command)
      .then([notified(command)]);
    expect(state).toMatchObject({
      lifecycleId: LIFECYCLE_ID,
      status: null,
      notified: { status: 'SUCCESS', date: '2023-11-17T11:32:16+00:00', description: 'APPROVED' },
      notificationRequests: [command.notification.request],
      appliedSourceEventIds: [],
      balanceIds: [],
    });
  });

  it('keeps the status and figures of the balance events: a notification moves no money', () => {
    const command = notify({ status: 'DECLINED', description: 'INSUFFICIENT_FUNDS' });
    const { state } = given(authorizedHold)
      .when(command)
      .then([notified(command)]);
    expect(state).toMatchObject({
      status: 'AUTHORIZED',
      heldMinor: 100,
      authorizedMinor: 100,
      notified: { status: 'DECLINED', description: 'INSUFFICIENT_FUNDS' },
      appliedSourceEventIds: [holdOf100.sourceEventId],
    });
  });

  it('records nothing for a repeat of the same request (Antaca resends up to 5 times)', () => {
    const first = notify();
    const { state } = given([notified(first)])
      .when(first)
      .then([]);
    expect(notificationOutcomeOf(state, first.notification.request)).toBe('recorded');
  });

  it('records nothing for another request under a recorded key, and tells it is a reuse', () => {
    const first = notify();
    const reuse = notify({
      request: { idempotencyKey: first.notification.request.idempotencyKey, requestHash: 'other-hash' },
      status: 'DECLINED',
    });
    const { state } = given([notified(first)])
      .when(reuse)
      .then([]);
    expect(notificationOutcomeOf(state, reuse.notification.request)).toBe('reused');
    expect(state.notified?.status).toBe('SUCCESS');
  });

  it('tells a request never seen', () => {
    const first = notify();
    const { state } = given([])
      .when(first)
      .then([notified(first)]);
    expect(notificationOutcomeOf(state, requestRef())).toBe('none');
  });

  it('records a notification dated before the latest one, but keeps the latest as Antaca’s word', () => {
    const later = notify({ status: 'SUCCESS', date: '2023-11-17T12:00:00+00:00', description: 'APPROVED' });
    const earlier = notify({
      status: 'DECLINED',
      date: '2023-11-17T13:00:00+02:00',
      description: 'LIMIT_EXCEED',
    });
    const { state } = given([notified(later)])
      .when(earlier)
      .then([notified(earlier)]);
    expect(state.notified).toEqual({
      status: 'SUCCESS',
      date: '2023-11-17T12:00:00+00:00',
      description: 'APPROVED',
    });
    expect(state.notificationRequests).toHaveLength(2);
  });

  it('lets a notification dated later replace the latest, whatever the offsets', () => {
    const first = notify({ date: '2023-11-17T12:00:00+00:00' });
    const second = notify({
      status: 'INVALID',
      date: '2023-11-17T14:00:01+02:00',
      description: 'UNKNOWN_ERROR',
    });
    const { state } = given([notified(first)])
      .when(second)
      .then([notified(second)]);
    expect(state.notified?.status).toBe('INVALID');
  });

  it('lets an undated notification count only while nothing dated was recorded', () => {
    const undated = notify({ date: null, status: null, invalidFields: ['date', 'status'] });
    expect(
      given([])
        .when(undated)
        .then([notified(undated)]).state.notified,
    ).toEqual({
      status: null,
      date: null,
      description: 'APPROVED',
    });
    const dated = notify();
    const again = notify({ date: null, status: 'DECLINED', invalidFields: ['date'] });
    expect(
      given([notified(dated)])
        .when(again)
        .then([notified(again)]).state.notified?.status,
    ).toBe('SUCCESS');
  });

  it('refuses to record a notification about another lifecycle in this stream', () => {
    given(authorizedHold)
      .when(notify({ lifecycleId: 'another-id' }))
      .thenThrows(/another-id/);
  });

  it('leaves the balance events exactly once: a re-delivered one is still ignored, a new one recorded', () => {
    const notification = notify();
    const history = [...authorizedHold, notified(notification)];
    given(history).when(holdOf100).then([]);
    const secondHold = recordOutcome(fundsHeld(50));
    given(history)
      .when(secondHold)
      .then([recorded('TransactionAdjusted', secondHold, { kind: 'debit', amountMinor: 50, forced: false })]);
  });
});

describe('Unmatched transaction notification decider', () => {
  const request = { idempotencyKey: 'key-u', requestHash: 'hash-u' };
  const command = {
    type: 'RecordUnmatchedNotification' as const,
    notification: { request, invalidFields: ['transaction.id'], body: { status: 'SUCCESS' } },
  };
  const recordedEvent = { type: 'TransactionNotificationUnmatched' as const, data: command.notification };

  it('names its stream by category', () => {
    expect(unmatchedNotificationStream('abc')).toBe('unmatchedTransactionNotification-abc');
  });

  it('records the request once', () => {
    const state = unmatchedNotification.initialState();
    expect(unmatchedNotification.decide(command, state)).toEqual([recordedEvent]);
    const after = unmatchedNotification.evolve(state, recordedEvent);
    expect(unmatchedNotification.decide(command, after)).toEqual([]);
    expect(unmatchedOutcomeOf(after, request)).toBe('recorded');
  });

  it('tells a reuse of the key for another request', () => {
    const after = unmatchedNotification.evolve(unmatchedNotification.initialState(), recordedEvent);
    expect(unmatchedOutcomeOf(after, { idempotencyKey: 'key-u', requestHash: 'other' })).toBe('reused');
  });
});
