import { replay } from '@app/shared-kernel';
import { given } from './testing/given';
import {
  BALANCE_ID,
  USER_ID,
  balanceLinked,
  balanceUnlinked,
  clear,
  credit,
  creditReversed,
  debit,
  debitIgnoredAfterReversal,
  forceCredit,
  forceDebit,
  forcedRequestSuspended,
  fundedBalance,
  fundsCredited,
  fundsDebited,
  fundsHeld,
  holdReleased,
  linkBalance,
  operatorCredit,
  operatorCredited,
  operatorDebit,
  operatorDebited,
  requestRef,
  requestRefused,
  reversalRecorded,
  reverse,
  transactionCleared,
  unlinkBalance,
} from './testing/user-balance.fixtures';
import { outcomeOf, userBalance } from './user-balance.decider';

const limits = { reason: 'LIMITS_EXCEEDED', detail: 'Daily limit 1000 PLN reached' } as const;
const frauds = { reason: 'FRAUDS_DETECTED', detail: 'Card 222 is locked' } as const;

describe('UserBalance decider', () => {
  describe('linking', () => {
    it('links an unknown balance to a known user at zero in its currency', () => {
      const link = linkBalance();
      const { state, figures } = given([])
        .when(link)
        .then([balanceLinked(link)]);
      expect(state).toMatchObject({
        status: 'linked',
        balanceId: BALANCE_ID,
        userId: USER_ID,
        currency: 'PLN',
      });
      expect(figures).toEqual({ availableMinor: 0, bookedMinor: 0, holdsMinor: 0 });
    });

    it('refuses to link a balance for an unknown user', () => {
      given([])
        .when(linkBalance({ userId: '999', userKnown: false }))
        .thenRefused('USER_NOT_FOUND', 'User 999 is not known');
    });

    it('records nothing when the same balance is linked again to the same user and currency', () => {
      given([balanceLinked()]).when(linkBalance()).then([]);
    });

    it('refuses to link a balance already linked to another user', () => {
      given([balanceLinked()])
        .when(linkBalance({ userId: '222' }))
        .thenRefused('CLIENT_ERROR', `Balance ${BALANCE_ID} is already linked to another user`);
    });

    it('refuses to link a balance already linked in another currency', () => {
      given([balanceLinked()])
        .when(linkBalance({ currency: 'EUR' }))
        .thenRefused('CLIENT_ERROR', `Balance ${BALANCE_ID} is already linked in PLN, not EUR`);
    });

    it('links an unlinked balance again, to any user', () => {
      const link = linkBalance({ userId: '222', currency: 'EUR' });
      const { state } = given([balanceLinked(), balanceUnlinked()])
        .when(link)
        .then([balanceLinked(link)]);
      expect(state).toMatchObject({ status: 'linked', userId: '222', currency: 'EUR' });
    });
  });

  describe('deleting (unlinking)', () => {
    it('unlinks an empty balance', () => {
      const unlink = unlinkBalance();
      const { state } = given([balanceLinked()])
        .when(unlink)
        .then([balanceUnlinked(unlink)]);
      expect(state.status).toBe('unlinked');
    });

    it('refuses to delete a balance that holds booked money', () => {
      given(fundedBalance(100))
        .when(unlinkBalance())
        .thenRefused('BALANCE_NOT_EMPTY', `Balance ${BALANCE_ID} is not empty: booked 100, holds 0 PLN`);
    });

    it('refuses to delete a balance with an outstanding hold even when available is zero', () => {
      const hold = debit({ amountMinor: 100 });
      given([...fundedBalance(100), fundsHeld(hold)])
        .when(unlinkBalance())
        .thenRefused('BALANCE_NOT_EMPTY', `Balance ${BALANCE_ID} is not empty: booked 100, holds 100 PLN`);
    });

    it('refuses to delete a balance whose booked figure is negative', () => {
      given([balanceLinked(), fundsDebited(forceDebit({ status: 'CLEARED', amountMinor: 5 }))])
        .when(unlinkBalance())
        .thenRefused('BALANCE_NOT_EMPTY');
    });

    it('refuses to delete another user’s balance', () => {
      given([balanceLinked()])
        .when(unlinkBalance({ userId: '222' }))
        .thenRefused('FORBIDDEN', `Balance ${BALANCE_ID} does not belong to user 222`);
    });

    it('answers BALANCE_NOT_FOUND for a balance never linked', () => {
      given([]).when(unlinkBalance()).thenRefused('BALANCE_NOT_FOUND', 'Balance not found');
    });

    it('answers BALANCE_NOT_FOUND for a balance already unlinked', () => {
      given([balanceLinked(), balanceUnlinked()])
        .when(unlinkBalance())
        .thenRefused('BALANCE_NOT_FOUND', `Balance ${BALANCE_ID} is not linked`);
    });
  });

  describe('debit (authorization)', () => {
    it('holds the amount when available covers it, leaving booked untouched', () => {
      const authorization = debit({ amountMinor: 60 });
      const { figures } = given(fundedBalance(100))
        .when(authorization)
        .then([fundsHeld(authorization)]);
      expect(figures).toEqual({ availableMinor: 40, bookedMinor: 100, holdsMinor: 60 });
    });

    it('holds exactly the available amount', () => {
      const authorization = debit({ amountMinor: 100 });
      const { figures } = given(fundedBalance(100))
        .when(authorization)
        .then([fundsHeld(authorization)]);
      expect(figures.availableMinor).toBe(0);
    });

    it('declines a debit above the available amount', () => {
      given(fundedBalance(100))
        .when(debit({ amountMinor: 150 }))
        .thenRefused('INSUFFICIENT_FUNDS', 'Available 100 is less than 150 PLN');
    });

    it('counts outstanding holds against the available amount', () => {
      given([...fundedBalance(100), fundsHeld(debit({ lifecycleId: 'other', amountMinor: 50 }))])
        .when(debit({ amountMinor: 60 }))
        .thenRefused('INSUFFICIENT_FUNDS', 'Available 50 is less than 60 PLN');
    });

    it('accepts an amount of zero (balance inquiry) on an empty balance', () => {
      const inquiry = debit({ amountMinor: 0, type: 'balance inquiry' });
      given([balanceLinked()])
        .when(inquiry)
        .then([fundsHeld(inquiry)]);
    });

    it('answers BALANCE_NOT_FOUND for an unknown balance', () => {
      given([]).when(debit()).thenRefused('BALANCE_NOT_FOUND', 'Balance not found');
    });

    it('answers BALANCE_NOT_FOUND for an unlinked balance', () => {
      given([balanceLinked(), balanceUnlinked()]).when(debit()).thenRefused('BALANCE_NOT_FOUND');
    });

    it('refuses a debit in another currency with CLIENT_ERROR', () => {
      given(fundedBalance(1000))
        .when(debit({ currency: 'EUR' }))
        .thenRefused('CLIENT_ERROR', "Currency EUR differs from the balance's currency PLN");
    });

    it('refuses with the policy refusal handed in (limits)', () => {
      given(fundedBalance(1000))
        .when(debit({}, { policyRefusal: limits }))
        .thenRefused('LIMITS_EXCEEDED', limits.detail);
    });

    it('refuses with the policy refusal handed in (frauds)', () => {
      given(fundedBalance(1000))
        .when(debit({}, { policyRefusal: frauds }))
        .thenRefused('FRAUDS_DETECTED', frauds.detail);
    });

    it('checks an unknown balance before the currency', () => {
      given([])
        .when(debit({ currency: 'EUR' }, { policyRefusal: frauds }))
        .thenRefused('BALANCE_NOT_FOUND');
    });

    it('checks the currency before the policy rules', () => {
      given(fundedBalance(1000))
        .when(debit({ currency: 'EUR' }, { policyRefusal: frauds }))
        .thenRefused('CLIENT_ERROR');
    });

    it('checks the policy rules before the funds', () => {
      given([balanceLinked()])
        .when(debit({ amountMinor: 500 }, { policyRefusal: limits }))
        .thenRefused('LIMITS_EXCEEDED');
    });

    it('records the refused command with its transaction and body', () => {
      const declined = debit({ amountMinor: 150 });
      given(fundedBalance(100))
        .when(declined)
        .then([requestRefused(declined, 'INSUFFICIENT_FUNDS', 'Available 100 is less than 150 PLN')]);
    });

    it('adds an incremental authorization on the same id to the lifecycle’s hold', () => {
      const first = debit({ amountMinor: 100 });
      const incremental = debit({ amountMinor: 50 });
      const { state, figures } = given([...fundedBalance(500), fundsHeld(first)])
        .when(incremental)
        .then([fundsHeld(incremental)]);
      expect(figures).toEqual({ availableMinor: 350, bookedMinor: 500, holdsMinor: 150 });
      expect(state.lifecycles.get('lifecycle-1')).toMatchObject({ heldMinor: 150, authorizedMinor: 150 });
    });

    it('checks an incremental authorization against the available amount like any debit', () => {
      given([...fundedBalance(120), fundsHeld(debit({ amountMinor: 100 }))])
        .when(debit({ amountMinor: 50 }))
        .thenRefused('INSUFFICIENT_FUNDS', 'Available 20 is less than 50 PLN');
    });

    it('holds nothing for a debit whose reversal arrived first', () => {
      const early = reverse({ lifecycleId: 'late' });
      const late = debit({ lifecycleId: 'late', amountMinor: 80 });
      const { figures } = given([...fundedBalance(100), reversalRecorded(early, 'late', 'tombstone')])
        .when(late)
        .then([debitIgnoredAfterReversal(late)]);
      expect(figures).toEqual({ availableMinor: 100, bookedMinor: 100, holdsMinor: 0 });
    });

    it('holds nothing for another authorization on an already reversed lifecycle', () => {
      const first = debit({ amountMinor: 30 });
      const reversal = reverse();
      const again = debit({ amountMinor: 30 });
      given([...fundedBalance(100), fundsHeld(first), holdReleased(reversal, 'lifecycle-1', 30)])
        .when(again)
        .then([debitIgnoredAfterReversal(again)]);
    });
  });

  describe('force-debit', () => {
    it('holds an AUTHORIZED force-debit without a funds check: available may go negative', () => {
      const forced = forceDebit({ amountMinor: 150 });
      const { figures } = given(fundedBalance(100))
        .when(forced)
        .then([fundsHeld(forced)]);
      expect(figures).toEqual({ availableMinor: -50, bookedMinor: 100, holdsMinor: 150 });
    });

    it('books a CLEARED force-debit (offline transaction)', () => {
      const forced = forceDebit({ status: 'CLEARED', amountMinor: 150 });
      const { figures, state } = given(fundedBalance(100))
        .when(forced)
        .then([fundsDebited(forced)]);
      expect(figures).toEqual({ availableMinor: -50, bookedMinor: -50, holdsMinor: 0 });
      expect(state.lifecycles.get('lifecycle-1')).toMatchObject({ cleared: true, clearedMinor: 150 });
    });

    it('clears the hold of a CLEARED force-debit on a held lifecycle instead of charging twice', () => {
      const authorization = debit({ amountMinor: 60 });
      const settled = forceDebit({ status: 'CLEARED', amountMinor: 60 });
      const { figures } = given([...fundedBalance(100), fundsHeld(authorization)])
        .when(settled)
        .then([transactionCleared(settled, { heldMinor: 60, mismatch: false })]);
      expect(figures).toEqual({ availableMinor: 40, bookedMinor: 40, holdsMinor: 0 });
    });

    it('holds nothing for an AUTHORIZED force-debit whose reversal arrived first', () => {
      const forced = forceDebit({ lifecycleId: 'late' });
      given([balanceLinked(), reversalRecorded(reverse({ lifecycleId: 'late' }), 'late', 'tombstone')])
        .when(forced)
        .then([debitIgnoredAfterReversal(forced)]);
    });

    it('suspends a force-debit on an unknown balance instead of refusing it', () => {
      const forced = forceDebit();
      given([])
        .when(forced)
        .then([forcedRequestSuspended(forced, 'Balance not found')]);
    });

    it('suspends a force-debit on an unlinked balance', () => {
      const forced = forceDebit();
      given([balanceLinked(), balanceUnlinked()])
        .when(forced)
        .then([forcedRequestSuspended(forced, `Balance ${BALANCE_ID} is not linked`)]);
    });

    it('suspends a force-debit in another currency', () => {
      const forced = forceDebit({ currency: 'EUR' });
      given([balanceLinked()])
        .when(forced)
        .then([forcedRequestSuspended(forced, "Currency EUR differs from the balance's currency PLN")]);
    });

    it('suspends a force-debit with a status it cannot apply', () => {
      const forced = forceDebit({ status: 'REVERSED' });
      given([balanceLinked()])
        .when(forced)
        .then([forcedRequestSuspended(forced, 'force-debit with status REVERSED cannot be applied')]);
    });
  });

  describe('credit', () => {
    it('books a credit', () => {
      const income = credit({ amountMinor: 70 });
      const { figures } = given(fundedBalance(100))
        .when(income)
        .then([fundsCredited(income)]);
      expect(figures).toEqual({ availableMinor: 170, bookedMinor: 170, holdsMinor: 0 });
    });

    it('answers BALANCE_NOT_FOUND for a credit to an unknown balance', () => {
      given([]).when(credit()).thenRefused('BALANCE_NOT_FOUND');
    });

    it('refuses a credit in another currency with CLIENT_ERROR', () => {
      given([balanceLinked()])
        .when(credit({ currency: 'USD' }))
        .thenRefused('CLIENT_ERROR');
    });

    it('refuses a credit with the fraud refusal handed in', () => {
      given([balanceLinked()])
        .when(credit({}, { policyRefusal: frauds }))
        .thenRefused('FRAUDS_DETECTED', frauds.detail);
    });
  });

  describe('force-credit', () => {
    it('books a force-credit that reverses nothing', () => {
      const refund = forceCredit({ lifecycleId: 'refund', transactionId: 'n-9', amountMinor: 40 });
      const { figures } = given(fundedBalance(100))
        .when(refund)
        .then([fundsCredited(refund)]);
      expect(figures).toEqual({ availableMinor: 140, bookedMinor: 140, holdsMinor: 0 });
    });

    it('releases the hold of the debit it reverses (the seeds’ reversal example)', () => {
      const id = '24cbc777-de3f-42e2-b772-7d5427dc616e';
      const authorization = debit({
        lifecycleId: id,
        transactionId: '177482',
        amountMinor: 2233,
        currency: 'EUR',
      });
      const reversal = forceCredit({
        lifecycleId: id,
        transactionId: '2678823',
        referenceTransactionId: '177482',
        amountMinor: 2233,
        currency: 'EUR',
        status: 'REVERSED',
      });
      const start = [
        balanceLinked(linkBalance({ currency: 'EUR' })),
        operatorCredited(operatorCredit(20000)),
        fundsHeld(authorization),
      ];
      const { figures, state } = given(start)
        .when(reversal)
        .then([holdReleased(reversal, id, 2233)]);
      expect(figures).toEqual({ availableMinor: 20000, bookedMinor: 20000, holdsMinor: 0 });
      expect(state.lifecycles.get(id)).toMatchObject({ heldMinor: 0, reversed: true });
    });

    it('finds the reversed debit by referenceTransactionId when the id differs', () => {
      const authorization = debit({ lifecycleId: 'a', transactionId: '177482', amountMinor: 50 });
      const reversal = forceCredit({
        lifecycleId: 'b',
        transactionId: '2678823',
        referenceTransactionId: '177482',
        amountMinor: 50,
        status: 'REVERSED',
      });
      given([...fundedBalance(100), fundsHeld(authorization)])
        .when(reversal)
        .then([holdReleased(reversal, 'a', 50)]);
    });

    it('releases the most recent uncleared debit carrying the reference', () => {
      const older = debit({ lifecycleId: 'older', transactionId: 'n-1', amountMinor: 10 });
      const newer = debit({ lifecycleId: 'newer', transactionId: 'n-1', amountMinor: 20 });
      const reversal = forceCredit({
        lifecycleId: 'r',
        referenceTransactionId: 'n-1',
        amountMinor: 20,
        status: 'REVERSED',
      });
      given([...fundedBalance(100), fundsHeld(older), fundsHeld(newer)])
        .when(reversal)
        .then([holdReleased(reversal, 'newer', 20)]);
    });

    it('skips a cleared debit when matching by reference', () => {
      const older = debit({ lifecycleId: 'older', transactionId: 'n-1', amountMinor: 10 });
      const newer = debit({ lifecycleId: 'newer', transactionId: 'n-1', amountMinor: 20 });
      const clearing = clear({ lifecycleId: 'newer', amountMinor: 20 });
      const reversal = forceCredit({
        lifecycleId: 'r',
        referenceTransactionId: 'n-1',
        amountMinor: 10,
        status: 'REVERSED',
      });
      given([
        ...fundedBalance(100),
        fundsHeld(older),
        fundsHeld(newer),
        transactionCleared(clearing, { heldMinor: 20, mismatch: false }),
      ])
        .when(reversal)
        .then([holdReleased(reversal, 'older', 10)]);
    });

    it('credits what exceeds the released hold', () => {
      const authorization = debit({ amountMinor: 30 });
      const reversal = forceCredit({ amountMinor: 50, status: 'REVERSED' });
      const { figures } = given([...fundedBalance(100), fundsHeld(authorization)])
        .when(reversal)
        .then([holdReleased(reversal, 'lifecycle-1', 30), fundsCredited(reversal, 20)]);
      expect(figures).toEqual({ availableMinor: 120, bookedMinor: 120, holdsMinor: 0 });
    });

    it('releases part of the hold for a partial reversal, leaving the rest authorized', () => {
      const authorization = debit({ amountMinor: 80 });
      const reversal = forceCredit({ amountMinor: 30, status: 'REVERSED' });
      const { figures, state } = given([...fundedBalance(100), fundsHeld(authorization)])
        .when(reversal)
        .then([holdReleased(reversal, 'lifecycle-1', 30)]);
      expect(figures).toEqual({ availableMinor: 50, bookedMinor: 100, holdsMinor: 50 });
      expect(state.lifecycles.get('lifecycle-1')).toMatchObject({ heldMinor: 50, reversed: false });
    });

    it('credits a force-credit REVERSED of an already cleared debit (a refund)', () => {
      const authorization = debit({ amountMinor: 30 });
      const clearing = clear({ amountMinor: 30 });
      const refund = forceCredit({ amountMinor: 30, status: 'REVERSED' });
      const { figures } = given([
        ...fundedBalance(100),
        fundsHeld(authorization),
        transactionCleared(clearing, { heldMinor: 30, mismatch: false }),
      ])
        .when(refund)
        .then([fundsCredited(refund)]);
      expect(figures).toEqual({ availableMinor: 100, bookedMinor: 100, holdsMinor: 0 });
    });

    it('credits a force-credit REVERSED that matches nothing', () => {
      const reversal = forceCredit({
        lifecycleId: 'x',
        referenceTransactionId: 'nowhere',
        status: 'REVERSED',
      });
      given([balanceLinked()])
        .when(reversal)
        .then([fundsCredited(reversal)]);
    });

    it('suspends a force-credit on an unknown balance', () => {
      const forced = forceCredit();
      given([])
        .when(forced)
        .then([forcedRequestSuspended(forced, 'Balance not found')]);
    });

    it('suspends a force-credit in another currency', () => {
      const forced = forceCredit({ currency: 'EUR' });
      given([balanceLinked()])
        .when(forced)
        .then([forcedRequestSuspended(forced, "Currency EUR differs from the balance's currency PLN")]);
    });
  });

  describe('reversal', () => {
    it('releases the whole hold of an uncleared debit', () => {
      const authorization = debit({ amountMinor: 60 });
      const reversal = reverse({ amountMinor: 60 });
      const { figures } = given([...fundedBalance(100), fundsHeld(authorization)])
        .when(reversal)
        .then([holdReleased(reversal, 'lifecycle-1', 60)]);
      expect(figures).toEqual({ availableMinor: 100, bookedMinor: 100, holdsMinor: 0 });
    });

    it('releases the total of an incremental authorization', () => {
      const first = debit({ amountMinor: 100 });
      const incremental = debit({ amountMinor: 50 });
      const reversal = reverse({ amountMinor: 100 });
      const { figures } = given([...fundedBalance(500), fundsHeld(first), fundsHeld(incremental)])
        .when(reversal)
        .then([holdReleased(reversal, 'lifecycle-1', 150)]);
      expect(figures).toEqual({ availableMinor: 500, bookedMinor: 500, holdsMinor: 0 });
    });

    it('takes back an uncleared credit, even below zero available', () => {
      const income = credit({ lifecycleId: 'c', transactionId: 'n-c', amountMinor: 100 });
      const spend = debit({ lifecycleId: 'd', transactionId: 'n-d', amountMinor: 80 });
      const reversal = reverse({ lifecycleId: 'c', transactionId: 'n-c', amountMinor: 100 });
      const { figures } = given([balanceLinked(), fundsCredited(income), fundsHeld(spend)])
        .when(reversal)
        .then([creditReversed(reversal, 'c', 100)]);
      expect(figures).toEqual({ availableMinor: -80, bookedMinor: 0, holdsMinor: 80 });
    });

    it('only records the reversal of a cleared transaction (refunds come as force-credit)', () => {
      const authorization = debit({ amountMinor: 60 });
      const clearing = clear({ amountMinor: 60 });
      const reversal = reverse({ amountMinor: 60 });
      const { figures } = given([
        ...fundedBalance(100),
        fundsHeld(authorization),
        transactionCleared(clearing, { heldMinor: 60, mismatch: false }),
      ])
        .when(reversal)
        .then([reversalRecorded(reversal, 'lifecycle-1', 'already-cleared')]);
      expect(figures).toEqual({ availableMinor: 40, bookedMinor: 40, holdsMinor: 0 });
    });

    it('only records a second reversal of the same lifecycle', () => {
      const authorization = debit({ amountMinor: 60 });
      const reversal = reverse();
      given([...fundedBalance(100), fundsHeld(authorization), holdReleased(reverse(), 'lifecycle-1', 60)])
        .when(reversal)
        .then([reversalRecorded(reversal, 'lifecycle-1', 'already-reversed')]);
    });

    it('leaves a tombstone for an unknown transaction and answers it like any reversal', () => {
      const reversal = reverse({
        lifecycleId: 'unknown',
        transactionId: 'n-u',
        referenceTransactionId: null,
      });
      const { state } = given([balanceLinked()])
        .when(reversal)
        .then([reversalRecorded(reversal, 'unknown', 'tombstone')]);
      expect(state.lifecycles.get('unknown')).toMatchObject({
        tombstone: true,
        reversed: true,
        heldMinor: 0,
      });
    });

    it('leaves no hold when a reversal arrives before its debit', () => {
      const early = reverse({ lifecycleId: 'late', amountMinor: 70 });
      const late = debit({ lifecycleId: 'late', amountMinor: 70 });
      const afterReversal = given(fundedBalance(100))
        .when(early)
        .then([reversalRecorded(early, 'late', 'tombstone')]);
      const afterDebit = given([...fundedBalance(100), ...afterReversal.events])
        .when(late)
        .then([debitIgnoredAfterReversal(late)]);
      expect(afterDebit.figures).toEqual({ availableMinor: 100, bookedMinor: 100, holdsMinor: 0 });
    });

    it('finds the transaction by referenceTransactionId when the id is unknown', () => {
      const authorization = debit({ lifecycleId: 'a', transactionId: 'n-a', amountMinor: 25 });
      const reversal = reverse({ lifecycleId: 'z', transactionId: 'n-z', referenceTransactionId: 'n-a' });
      given([...fundedBalance(100), fundsHeld(authorization)])
        .when(reversal)
        .then([holdReleased(reversal, 'a', 25)]);
    });

    it('falls back to the transactionId when neither the id nor the reference match', () => {
      const authorization = debit({ lifecycleId: 'a', transactionId: 'n-a', amountMinor: 25 });
      const reversal = reverse({ lifecycleId: 'z', transactionId: 'n-a', referenceTransactionId: 'other' });
      given([...fundedBalance(100), fundsHeld(authorization)])
        .when(reversal)
        .then([holdReleased(reversal, 'a', 25)]);
    });

    it('suspends a reversal on an unknown balance', () => {
      const reversal = reverse();
      given([])
        .when(reversal)
        .then([forcedRequestSuspended(reversal, 'Balance not found')]);
    });
  });

  describe('clearing', () => {
    it('moves the hold into booked without moving available money', () => {
      const authorization = debit({ amountMinor: 60 });
      const clearing = clear({ amountMinor: 60 });
      const { figures, state } = given([...fundedBalance(100), fundsHeld(authorization)])
        .when(clearing)
        .then([transactionCleared(clearing, { heldMinor: 60, mismatch: false })]);
      expect(figures).toEqual({ availableMinor: 40, bookedMinor: 40, holdsMinor: 0 });
      expect(state.lifecycles.get('lifecycle-1')).toMatchObject({ cleared: true, clearedMinor: 60 });
    });

    it('flags a cleared amount different from the hold and moves only the hold', () => {
      const authorization = debit({ amountMinor: 60 });
      const clearing = clear({ amountMinor: 65 });
      const { figures } = given([...fundedBalance(100), fundsHeld(authorization)])
        .when(clearing)
        .then([transactionCleared(clearing, { heldMinor: 60, mismatch: true })]);
      expect(figures).toEqual({ availableMinor: 40, bookedMinor: 40, holdsMinor: 0 });
    });

    it('clears the total of an incremental authorization', () => {
      const clearing = clear({ amountMinor: 150 });
      given([
        ...fundedBalance(500),
        fundsHeld(debit({ amountMinor: 100 })),
        fundsHeld(debit({ amountMinor: 50 })),
      ])
        .when(clearing)
        .then([transactionCleared(clearing, { heldMinor: 150, mismatch: false })]);
    });

    it('finds the transaction by the path’s network id when the id is unknown', () => {
      const authorization = debit({ lifecycleId: 'a', transactionId: 'n-a', amountMinor: 60 });
      const clearing = clear({ lifecycleId: 'z', amountMinor: 60 }, { pathTransactionId: 'n-a' });
      given([...fundedBalance(100), fundsHeld(authorization)])
        .when(clearing)
        .then([transactionCleared(clearing, { lifecycleId: 'a', heldMinor: 60, mismatch: false })]);
    });

    it('picks the most recent uncleared lifecycle carrying the path’s network id', () => {
      const older = debit({ lifecycleId: 'older', transactionId: 'n-1', amountMinor: 10 });
      const newer = debit({ lifecycleId: 'newer', transactionId: 'n-1', amountMinor: 20 });
      const clearNewer = clear({ lifecycleId: 'newer', amountMinor: 20 });
      const clearing = clear({ lifecycleId: 'z', amountMinor: 10 }, { pathTransactionId: 'n-1' });
      given([
        ...fundedBalance(100),
        fundsHeld(older),
        fundsHeld(newer),
        transactionCleared(clearNewer, { heldMinor: 20, mismatch: false }),
      ])
        .when(clearing)
        .then([transactionCleared(clearing, { lifecycleId: 'older', heldMinor: 10, mismatch: false })]);
    });

    it('moves nothing for an exact repeat of a clearing under a new key', () => {
      const first = clear({ amountMinor: 60 });
      const repeat = clear({ amountMinor: 60 });
      const { figures } = given([
        ...fundedBalance(100),
        fundsHeld(debit({ amountMinor: 60 })),
        transactionCleared(first, { heldMinor: 60, mismatch: false }),
      ])
        .when(repeat)
        .then([transactionCleared(repeat, { heldMinor: 0, mismatch: false })]);
      expect(figures).toEqual({ availableMinor: 40, bookedMinor: 40, holdsMinor: 0 });
    });

    it('flags a second clearing with another amount', () => {
      const again = clear({ amountMinor: 70 });
      given([
        ...fundedBalance(100),
        fundsHeld(debit({ amountMinor: 60 })),
        transactionCleared(clear({ amountMinor: 60 }), { heldMinor: 60, mismatch: false }),
      ])
        .when(again)
        .then([transactionCleared(again, { heldMinor: 0, mismatch: true })]);
    });

    it('flags the clearing of a reversed transaction and moves nothing', () => {
      const clearing = clear({ amountMinor: 60 });
      const { figures } = given([
        ...fundedBalance(100),
        fundsHeld(debit({ amountMinor: 60 })),
        holdReleased(reverse(), 'lifecycle-1', 60),
      ])
        .when(clearing)
        .then([transactionCleared(clearing, { heldMinor: 0, mismatch: true })]);
      expect(figures).toEqual({ availableMinor: 100, bookedMinor: 100, holdsMinor: 0 });
    });

    it('compares the clearing of a credit with the credited amount', () => {
      const clearing = clear({ lifecycleId: 'c', amountMinor: 40 });
      given([balanceLinked(), fundsCredited(credit({ lifecycleId: 'c', amountMinor: 40 }))])
        .when(clearing)
        .then([transactionCleared(clearing, { lifecycleId: 'c', heldMinor: 0, mismatch: false })]);
    });

    it('answers TRANSACTION_NOT_FOUND for a transaction the balance never saw', () => {
      given(fundedBalance(100))
        .when(clear({ lifecycleId: 'z' }, { pathTransactionId: 'n-z' }))
        .thenRefused('TRANSACTION_NOT_FOUND', 'No transaction z or n-z on this balance');
    });

    it('answers TRANSACTION_NOT_FOUND on an unknown balance', () => {
      given([]).when(clear()).thenRefused('TRANSACTION_NOT_FOUND');
    });
  });

  describe('operator money moves', () => {
    it('books an operator credit', () => {
      const transfer = operatorCredit(250);
      const { figures } = given([balanceLinked()])
        .when(transfer)
        .then([operatorCredited(transfer)]);
      expect(figures).toEqual({ availableMinor: 250, bookedMinor: 250, holdsMinor: 0 });
    });

    it('answers BALANCE_NOT_FOUND for an operator credit to an unknown balance', () => {
      given([]).when(operatorCredit(250)).thenRefused('BALANCE_NOT_FOUND');
    });

    it('books an operator debit within the available amount', () => {
      const fee = operatorDebit(30);
      const { figures } = given(fundedBalance(100))
        .when(fee)
        .then([operatorDebited(fee)]);
      expect(figures).toEqual({ availableMinor: 70, bookedMinor: 70, holdsMinor: 0 });
    });

    it('declines an operator debit above the available amount', () => {
      given([...fundedBalance(100), fundsHeld(debit({ amountMinor: 80 }))])
        .when(operatorDebit(30))
        .thenRefused('INSUFFICIENT_FUNDS', 'Available 20 is less than 30 PLN');
    });

    it('answers BALANCE_NOT_FOUND for an operator debit on an unlinked balance', () => {
      given([balanceLinked(), balanceUnlinked()]).when(operatorDebit(0)).thenRefused('BALANCE_NOT_FOUND');
    });
  });

  describe('idempotency', () => {
    it('records nothing for a repeat with the same key and hash, and answers it as accepted', () => {
      const request = requestRef('K-1', 'H-1');
      const authorization = debit({ amountMinor: 60 }, { request });
      const { state } = given([...fundedBalance(100), fundsHeld(authorization)])
        .when(debit({ amountMinor: 60 }, { request }))
        .then([]);
      expect(outcomeOf(state, request)).toEqual({ kind: 'accepted' });
    });

    it('still declines a declined debit retried after a top-up', () => {
      const request = requestRef('K-2', 'H-2');
      const declined = debit({ amountMinor: 150 }, { request });
      const refusal = requestRefused(declined, 'INSUFFICIENT_FUNDS', 'Available 100 is less than 150 PLN');
      const { state } = given([...fundedBalance(100), refusal, operatorCredited(operatorCredit(1000))])
        .when(debit({ amountMinor: 150 }, { request }))
        .then([]);
      expect(outcomeOf(state, request)).toEqual({
        kind: 'refused',
        refusal: { reason: 'INSUFFICIENT_FUNDS', detail: 'Available 100 is less than 150 PLN' },
      });
    });

    it('answers a reuse of the key with another request as reused, applying nothing', () => {
      const authorization = debit({ amountMinor: 60 }, { request: requestRef('K-3', 'H-3') });
      const other = requestRef('K-3', 'H-other');
      const { state, figures } = given([...fundedBalance(100), fundsHeld(authorization)])
        .when(debit({ amountMinor: 10, lifecycleId: 'other' }, { request: other }))
        .then([]);
      expect(outcomeOf(state, other)).toEqual({ kind: 'reused' });
      expect(figures.holdsMinor).toBe(60);
    });

    it('answers none for a key never recorded', () => {
      const { state } = given([balanceLinked()]).when(linkBalance()).then([]);
      expect(outcomeOf(state, requestRef())).toEqual({ kind: 'none' });
    });

    it('applies a forced request only once', () => {
      const request = requestRef('K-4', 'H-4');
      given([balanceLinked(), fundsDebited(forceDebit({ status: 'CLEARED' }, { request }))])
        .when(forceDebit({ status: 'CLEARED' }, { request }))
        .then([]);
    });

    it('records one outcome for a request that produced several events', () => {
      const request = requestRef('K-5', 'H-5');
      const reversal = forceCredit({ amountMinor: 50, status: 'REVERSED' }, { request });
      const { state } = given([...fundedBalance(100), fundsHeld(debit({ amountMinor: 30 }))])
        .when(reversal)
        .then([holdReleased(reversal, 'lifecycle-1', 30), fundsCredited(reversal, 20)]);
      expect(outcomeOf(state, request)).toEqual({ kind: 'accepted' });
    });

    it('records a refused link under its key', () => {
      const request = requestRef('K-6', 'H-6');
      const { state } = given([])
        .when(linkBalance({ userKnown: false, request }))
        .thenRefused('USER_NOT_FOUND');
      expect(outcomeOf(state, request)).toEqual({
        kind: 'refused',
        refusal: { reason: 'USER_NOT_FOUND', detail: `User ${USER_ID} is not known` },
      });
    });
  });

  describe('replay', () => {
    it('gives the same state from the same events every time', () => {
      const history = [
        ...fundedBalance(100),
        fundsHeld(debit({ amountMinor: 60 })),
        transactionCleared(clear({ amountMinor: 60 }), { heldMinor: 60, mismatch: false }),
      ];
      expect(replay(userBalance, history)).toEqual(replay(userBalance, history));
    });

    it('refuses an amount that is not a non-negative integer as a bug', () => {
      const state = replay(userBalance, fundedBalance(100));
      expect(() => userBalance.decide(debit({ amountMinor: -1 }), state)).toThrow(RangeError);
      expect(() => userBalance.decide(operatorCredit(1.5), state)).toThrow(RangeError);
    });
  });
});
