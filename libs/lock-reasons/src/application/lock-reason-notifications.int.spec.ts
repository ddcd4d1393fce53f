import { SqliteEventStore } from '@app/event-store';
import { lockReasonsStream, type LockSubject } from '../domain/lock-subject';
import { add, CORPORATION, remove } from '../domain/testing/lock-reasons.fixtures';
import { GetActiveLockReasonsHandler, GetActiveLockReasonsQuery } from './get-active-lock-reasons.query';
import { GetLockReasonsHandler, GetLockReasonsQuery } from './get-lock-reasons.query';
import {
  RecordLockReasonNotificationCommand,
  RecordLockReasonNotificationHandler,
} from './record-lock-reason-notification.command';

/**
 * The lock reason handlers against the SQLite store: idempotency without the HTTP answer
 * cache, and read-your-writes of the active reasons over several subjects.
 */
describe('lock reason notifications against the store', () => {
  let store: SqliteEventStore;
  const USER = { type: 'user', id: '42' } as const;

  const record = (command: RecordLockReasonNotificationCommand['command']) =>
    new RecordLockReasonNotificationHandler(store).execute(
      new RecordLockReasonNotificationCommand(command, 'corr-1'),
    );
  const active = (subjects: readonly LockSubject[]) =>
    new GetActiveLockReasonsHandler(store).execute(new GetActiveLockReasonsQuery(subjects));

  beforeEach(() => {
    store = new SqliteEventStore({ file: ':memory:' });
  });
  afterEach(() => store.close());

  it('answers the active reasons of a user and its corporation right after they are recorded', async () => {
    const corporationReason = add('FRAUD_SUSPECTED', 10);
    const userReason = add('DOCUMENT_EXPIRED', 11, undefined, USER);
    await record(corporationReason);
    await record(userReason);
    await record(add('ZEN_LOCK', 9, undefined, { type: 'user', id: 'someone-else' }));

    expect(await active([USER, CORPORATION])).toEqual([
      { subjectType: 'user', subjectId: '42', reason: 'DOCUMENT_EXPIRED', since: userReason.timestamp },
      {
        subjectType: 'corporation',
        subjectId: CORPORATION.id,
        reason: 'FRAUD_SUSPECTED',
        since: corporationReason.timestamp,
      },
    ]);
    expect(await active([])).toEqual([]);
    expect(await active([{ type: 'corporation', id: 'never-notified' }])).toEqual([]);
  });

  it('records a request delivered again without the answer cache once, and tells a reused key', async () => {
    const command = add('POLICE_LOCK', 10);
    expect(await record(command)).toBe('recorded');
    expect(await record(command)).toBe('recorded');
    const reuse = remove('POLICE_LOCK', 11, {
      idempotencyKey: command.request.idempotencyKey,
      requestHash: 'other',
    });
    expect(await record(reuse)).toBe('reused');

    const events = await store.readStream(lockReasonsStream(CORPORATION));
    expect(events.map((event) => event.type)).toEqual(['LockReasonAdded']);
    expect(events[0]?.metadata).toMatchObject({ idempotencyKey: command.request.idempotencyKey });
  });

  it('gives the operator the active reasons and every notification', async () => {
    await record(add('PEKAO_LOCK', 11));
    await record(remove('PEKAO_LOCK', 10));
    const view = await new GetLockReasonsHandler(store).execute(new GetLockReasonsQuery(CORPORATION));
    expect(view?.active.map((reason) => reason.reason)).toEqual(['PEKAO_LOCK']);
    expect(view?.history.map((entry) => entry.type)).toEqual([
      'LockReasonAdded',
      'LockReasonNotificationSuperseded',
    ]);
    expect(await new GetLockReasonsHandler(store).execute(new GetLockReasonsQuery(USER))).toBeUndefined();
  });
});
