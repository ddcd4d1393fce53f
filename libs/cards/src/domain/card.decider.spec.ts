import { replay } from '@app/shared-kernel';
import {
  cardLockReasonKind,
  IRREVERSIBLE_CARD_LOCK_REASONS,
  REVERSIBLE_CARD_LOCK_REASONS,
} from './card-lock-reasons';
import { card, cardStream, outcomeOfCardRequest } from './card.decider';
import { given } from './testing/given';
import { anomaly, lock, locked, superseded, unlock, unlocked } from './testing/card.fixtures';

/** What the authorization path reads of a state. */
const lockState = (state: ReturnType<typeof card.initialState>) => ({
  locked: state.lock !== null,
  reason: state.lock?.reason ?? null,
  lockedAt: state.lock?.date ?? null,
});

describe('Card decider', () => {
  it('names the stream after the card id', () => {
    expect(cardStream('11')).toBe('card-11');
  });

  it('knows the eight reasons of the seeds, four of them irreversible', () => {
    expect(IRREVERSIBLE_CARD_LOCK_REASONS.map(cardLockReasonKind)).toEqual(Array(4).fill('irreversible'));
    expect(REVERSIBLE_CARD_LOCK_REASONS.map(cardLockReasonKind)).toEqual(Array(4).fill('reversible'));
    expect(cardLockReasonKind('CARD_MELTED')).toBe('unknown');
  });

  describe('a card without notifications', () => {
    it('is unlocked', () => {
      expect(lockState(card.initialState())).toEqual({ locked: false, reason: null, lockedAt: null });
    });

    it('is locked by a lock, with its reason and date', () => {
      const command = lock('PIN_TRIES_EXCEEDED', 10);
      const { state } = given([])
        .when(command)
        .then([locked(command)]);
      expect(lockState(state)).toEqual({
        locked: true,
        reason: 'PIN_TRIES_EXCEEDED',
        lockedAt: command.date,
      });
      expect(state.cardId).toBe('11');
    });

    it('records an unlock, which orders the notifications that arrive later', () => {
      const command = unlock(10);
      const { state } = given([])
        .when(command)
        .then([unlocked(command)]);
      expect(lockState(state).locked).toBe(false);
      expect(state.newest).toEqual({
        notification: 'cardUnlocked',
        date: command.date,
        dateUtc: command.dateUtc,
      });
    });
  });

  describe('newest date wins', () => {
    it.each(REVERSIBLE_CARD_LOCK_REASONS)('unlocks a card locked for %s by a later unlock', (reason) => {
      const first = lock(reason, 10);
      const command = unlock(11);
      const { state } = given([locked(first)])
        .when(command)
        .then([unlocked(command)]);
      expect(lockState(state)).toEqual({ locked: false, reason: null, lockedAt: null });
    });

    it('keeps the card locked when an unlock dated before the lock arrives after it', () => {
      const first = lock('SUSPECTED_FRAUD', 10);
      const command = unlock(9);
      const { state } = given([locked(first)])
        .when(command)
        .then([superseded(command, 'older-than-current')]);
      expect(lockState(state)).toEqual({ locked: true, reason: 'SUSPECTED_FRAUD', lockedAt: first.date });
    });

    it('keeps the card unlocked when a lock dated before the unlock arrives after it', () => {
      const first = unlock(10);
      const command = lock('PENDING_QUERY', 9);
      const { state } = given([unlocked(first)])
        .when(command)
        .then([superseded(command, 'older-than-current')]);
      expect(lockState(state).locked).toBe(false);
    });

    it('takes the reason and date of a newer lock of a locked card', () => {
      const first = lock('PENDING_QUERY', 10);
      const command = lock('SUSPECTED_FRAUD', 11);
      const { state } = given([locked(first)])
        .when(command)
        .then([locked(command)]);
      expect(lockState(state)).toEqual({ locked: true, reason: 'SUSPECTED_FRAUD', lockedAt: command.date });
    });

    it('keeps the reason of the lock in effect when an older lock arrives late', () => {
      const first = lock('SUSPECTED_FRAUD', 11);
      const command = lock('PENDING_QUERY', 10);
      const { state } = given([locked(first)])
        .when(command)
        .then([superseded(command, 'older-than-current')]);
      expect(lockState(state)).toEqual({ locked: true, reason: 'SUSPECTED_FRAUD', lockedAt: first.date });
    });

    it('compares instants, not the text of dates in different offsets', () => {
      const first = lock('PENDING_QUERY', 10);
      // 09:30 UTC is 11:30 at +02:00: after the lock although its text sorts before it.
      const command = { ...unlock(0), date: '2025-06-17T09:30:00Z', dateUtc: '2025-06-17T09:30:00.000Z' };
      given([locked(first)])
        .when(command)
        .then([unlocked(command)]);
    });

    it('lets a lock dated exactly like the unlock in effect lock the card', () => {
      const first = unlock(10);
      const command = lock('PENDING_QUERY', 10);
      const { state } = given([unlocked(first)])
        .when(command)
        .then([locked(command)]);
      expect(lockState(state).locked).toBe(true);
    });

    it('does not let an unlock dated exactly like the lock in effect unlock the card', () => {
      const first = lock('PENDING_QUERY', 10);
      const command = unlock(10);
      const { state } = given([locked(first)])
        .when(command)
        .then([superseded(command, 'older-than-current')]);
      expect(lockState(state).locked).toBe(true);
    });
  });

  describe('irreversible reasons', () => {
    it.each(IRREVERSIBLE_CARD_LOCK_REASONS)(
      'keeps a card locked for %s when a later unlock arrives, recording an anomaly',
      (reason) => {
        const first = lock(reason, 10);
        const command = unlock(11);
        const { state } = given([locked(first)])
          .when(command)
          .then([anomaly(command, first)]);
        expect(lockState(state)).toEqual({ locked: true, reason, lockedAt: first.date });
        expect(state.anomalies).toBe(1);
      },
    );

    it('only records an unlock dated before the irreversible lock', () => {
      const first = lock('CARD_LOST', 10);
      const command = unlock(9);
      const { state } = given([locked(first)])
        .when(command)
        .then([superseded(command, 'older-than-current')]);
      expect(state.anomalies).toBe(0);
      expect(lockState(state).locked).toBe(true);
    });

    it('keeps the irreversible reason when a newer reversible lock arrives', () => {
      const first = lock('CARD_STOLEN', 10);
      const command = lock('SUSPECTED_FRAUD', 11);
      const { state } = given([locked(first)])
        .when(command)
        .then([superseded(command, 'irreversibly-locked')]);
      expect(lockState(state)).toEqual({ locked: true, reason: 'CARD_STOLEN', lockedAt: first.date });
    });

    it('takes the reason of a newer irreversible lock', () => {
      const first = lock('CARD_LOST', 10);
      const command = lock('CARD_REPLACED', 12);
      const { state } = given([locked(first)])
        .when(command)
        .then([locked(command)]);
      expect(lockState(state)).toEqual({ locked: true, reason: 'CARD_REPLACED', lockedAt: command.date });
      expect(state.irreversiblySince?.date).toBe(first.date);
    });

    it('records an unlock dated between two irreversible locks as an anomaly too', () => {
      const lost = lock('CARD_LOST', 10);
      const replaced = lock('CARD_REPLACED', 12);
      const command = unlock(11);
      given([locked(lost), locked(replaced)])
        .when(command)
        .then([anomaly(command, replaced)]);
    });

    it('only records an irreversible lock older than the one in effect', () => {
      const first = lock('CARD_REPLACED', 12);
      const command = lock('CARD_LOST', 10);
      const { state } = given([locked(first)])
        .when(command)
        .then([superseded(command, 'older-than-current')]);
      expect(lockState(state).reason).toBe('CARD_REPLACED');
    });

    it('locks a card unlocked by a newer unlock when the irreversible lock arrives late, naming that unlock an anomaly', () => {
      const earlierUnlock = unlock(11);
      const command = lock('CARD_INACTIVE', 10);
      const { state } = given([unlocked(earlierUnlock)])
        .when(command)
        .then([locked(command), anomaly(earlierUnlock, command, command)]);
      expect(lockState(state)).toEqual({ locked: true, reason: 'CARD_INACTIVE', lockedAt: command.date });
      expect(state.newest?.dateUtc).toBe(earlierUnlock.dateUtc);
    });

    it('stays locked after a late irreversible lock, whatever unlock comes after it', () => {
      const earlierUnlock = unlock(11);
      const lost = lock('CARD_LOST', 10);
      const command = unlock(12);
      const { state } = given([unlocked(earlierUnlock), locked(lost), anomaly(earlierUnlock, lost, lost)])
        .when(command)
        .then([anomaly(command, lost)]);
      expect(lockState(state).locked).toBe(true);
      expect(state.anomalies).toBe(2);
    });

    it('replaces the reason of a newer reversible lock by a late irreversible one, without an anomaly', () => {
      const first = lock('SUSPECTED_FRAUD', 11);
      const command = lock('CARD_STOLEN', 10);
      const { state } = given([locked(first)])
        .when(command)
        .then([locked(command)]);
      expect(lockState(state)).toEqual({ locked: true, reason: 'CARD_STOLEN', lockedAt: command.date });
      expect(state.anomalies).toBe(0);
    });
  });

  describe('a reason the seeds do not list', () => {
    it('locks the card, recorded as unknown', () => {
      const command = lock('CARD_MELTED', 10);
      const { events, state } = given([])
        .when(command)
        .then([locked(command)]);
      expect(events[0]?.data).toMatchObject({ reason: 'CARD_MELTED', reasonKind: 'unknown' });
      expect(lockState(state)).toEqual({ locked: true, reason: 'CARD_MELTED', lockedAt: command.date });
    });

    it('never unlocks: arriving late, it is only recorded', () => {
      const first = lock('SUSPECTED_FRAUD', 11);
      const command = lock('CARD_MELTED', 10);
      const { state } = given([locked(first)])
        .when(command)
        .then([superseded(command, 'older-than-current')]);
      expect(lockState(state)).toEqual({ locked: true, reason: 'SUSPECTED_FRAUD', lockedAt: first.date });
    });

    it('is lifted by a later unlock, like a reversible reason', () => {
      const first = lock('CARD_MELTED', 10);
      const command = unlock(11);
      const { state } = given([locked(first)])
        .when(command)
        .then([unlocked(command)]);
      expect(lockState(state).locked).toBe(false);
    });

    it('does not replace an irreversible reason', () => {
      const first = lock('CARD_LOST', 10);
      const command = lock('CARD_MELTED', 11);
      given([locked(first)])
        .when(command)
        .then([superseded(command, 'irreversibly-locked')]);
    });
  });

  describe('repeats', () => {
    it('decides nothing for a lock repeated with the same key and body', () => {
      const first = lock('PENDING_QUERY', 10);
      const { state } = given([locked(first)])
        .when(first)
        .then([]);
      expect(outcomeOfCardRequest(state, first.request)).toBe('recorded');
    });

    it('decides nothing for a repeated unlock, recorded as an anomaly once', () => {
      const first = lock('CARD_LOST', 10);
      const second = unlock(11);
      const { state } = given([locked(first), anomaly(second, first)])
        .when(second)
        .then([]);
      expect(state.anomalies).toBe(1);
    });

    it('decides nothing for a repeat that arrives after newer notifications', () => {
      const first = lock('PENDING_QUERY', 10);
      const later = unlock(11);
      const { state } = given([locked(first), unlocked(later)])
        .when(first)
        .then([]);
      expect(lockState(state).locked).toBe(false);
    });

    it('tells a key reused for another request, and applies nothing', () => {
      const first = lock('PENDING_QUERY', 10);
      const reuse = unlock(11, { idempotencyKey: first.request.idempotencyKey, requestHash: 'another' });
      const { state } = given([locked(first)])
        .when(reuse)
        .then([]);
      expect(outcomeOfCardRequest(state, reuse.request)).toBe('reused');
      expect(lockState(state).locked).toBe(true);
    });

    it('knows no outcome for a key it never recorded', () => {
      expect(outcomeOfCardRequest(replay(card, []), { idempotencyKey: 'k', requestHash: 'h' })).toBe('none');
    });
  });
});
