import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { cardStream } from '../domain/card.decider';
import { lock, unlock } from '../domain/testing/card.fixtures';
import { GetCardLockStateHandler, GetCardLockStateQuery } from './get-card-lock-state.query';
import { GetCardHandler, GetCardQuery } from './get-card.query';
import {
  RecordCardNotificationCommand,
  RecordCardNotificationHandler,
} from './record-card-notification.command';

/**
 * The card handlers against the SQLite store: the idempotency that must hold without the HTTP
 * answer cache (after a crash, or on another instance), and read-your-writes of the lock state.
 */
describe('card notifications against the store', () => {
  let dir: string;
  let stores: SqliteEventStore[];

  const openStore = () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    stores.push(store);
    return store;
  };
  const record = (store: SqliteEventStore, command: RecordCardNotificationCommand['command']) =>
    new RecordCardNotificationHandler(store).execute(new RecordCardNotificationCommand(command, 'corr-1'));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cards-'));
    stores = [];
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the lock to the very next query, and an unknown card as unlocked', async () => {
    const store = openStore();
    const command = lock('CARD_STOLEN', 10);
    expect(await record(store, command)).toBe('recorded');

    const states = new GetCardLockStateHandler(store);
    expect(await states.execute(new GetCardLockStateQuery(command.cardId))).toEqual({
      cardId: command.cardId,
      locked: true,
      reason: 'CARD_STOLEN',
      lockedAt: command.date,
    });
    expect(await states.execute(new GetCardLockStateQuery('never-seen'))).toEqual({
      cardId: 'never-seen',
      locked: false,
      reason: null,
      lockedAt: null,
    });
  });

  it('records a request again delivered without the answer cache once, with its key in the metadata', async () => {
    const store = openStore();
    const command = lock('PENDING_QUERY', 10);
    expect(await record(store, command)).toBe('recorded');
    expect(await record(store, command)).toBe('recorded');

    const events = await store.readStream(cardStream(command.cardId));
    expect(events).toHaveLength(1);
    expect(events[0]?.metadata).toMatchObject({
      idempotencyKey: command.request.idempotencyKey,
      correlationId: 'corr-1',
    });
  });

  it('tells a reused key and records nothing for it', async () => {
    const store = openStore();
    const first = lock('PENDING_QUERY', 10);
    await record(store, first);
    const reuse = unlock(11, { idempotencyKey: first.request.idempotencyKey, requestHash: 'other' });
    expect(await record(store, reuse)).toBe('reused');
    expect(await store.readStream(cardStream(first.cardId))).toHaveLength(1);
  });

  it('records the same request delivered to two instances at once exactly once', async () => {
    const [one, two] = [openStore(), openStore()];
    const command = lock('SUSPECTED_FRAUD', 10);
    const outcomes = await Promise.all([record(one, command), record(two, command)]);
    expect(outcomes).toEqual(['recorded', 'recorded']);
    expect(await one.readStream(cardStream(command.cardId))).toHaveLength(1);
  });

  it('gives the operator the state and every notification with its date and arrival time', async () => {
    const store = openStore();
    const locked = lock('CARD_LOST', 10);
    const unlocked = unlock(11);
    await record(store, locked);
    await record(store, unlocked);

    const view = await new GetCardHandler(store).execute(new GetCardQuery(locked.cardId));
    expect(view).toMatchObject({ locked: true, reason: 'CARD_LOST', irreversible: true, anomalies: 1 });
    expect(view?.history.map(({ type, date }) => ({ type, date }))).toEqual([
      { type: 'CardLocked', date: locked.date },
      { type: 'CardUnlockAnomalyRecorded', date: unlocked.date },
    ]);
    expect(await new GetCardHandler(store).execute(new GetCardQuery('never-seen'))).toBeUndefined();
  });
});
