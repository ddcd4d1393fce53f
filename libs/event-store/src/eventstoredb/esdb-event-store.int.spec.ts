import { randomUUID } from 'node:crypto';
import { start, type EsdbTestServer } from '../../../../test/support/esdb-test-server';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { EventStoreUnavailable, WrongExpectedVersion } from '../errors';
import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port';
import type { LogPosition } from '../log-position';
import { EsdbEventStore } from './esdb-event-store';

/**
 * Against a live EventStoreDB when EVENTSTORE_CONNECTION_STRING is set (insecure or with
 * credentials in the string), otherwise against the wire-compatible test double in
 * test/support/esdb-test-server. Every `open()` is a new client: a restart, a second process.
 */
const liveConnectionString = process.env.EVENTSTORE_CONNECTION_STRING;

describeEventStoreContract('EventStoreDB', () => {
  const server = liveConnectionString ? undefined : start();
  return {
    open: async () =>
      new EsdbEventStore({ connectionString: liveConnectionString ?? (await server!).connectionString }),
    dispose: async () => {
      await (await server)?.stop();
    },
  };
});

describe('EventStoreDB adapter', () => {
  let server: EsdbTestServer | undefined;
  const stores: EventStore[] = [];
  const open = async () => {
    const store = new EsdbEventStore({ connectionString: liveConnectionString ?? server!.connectionString });
    stores.push(store);
    return store;
  };
  let prefix: string;
  const stream = (name: string) => `${prefix}${name}`;
  const ours = (events: RecordedEvent[]) => events.filter((event) => event.streamId.startsWith(prefix));

  beforeAll(async () => {
    if (!liveConnectionString) server = await start();
  });
  beforeEach(() => {
    prefix = `esdb_${randomUUID().replaceAll('-', '')}-`;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps system events out: $-prefixed types anywhere, any type in a $-prefixed stream', async () => {
    const store = await open();
    const start = await logEnd(store);
    const subscription = store.subscribeToAll({ after: start });
    await store.appendToStream(stream('a'), [note(1), { type: '$internal', data: { n: 2 } }, note(3)], {
      expectedRevision: 'no_stream',
    });
    await store.appendToStream(`$${stream('system')}`, [note(4)], { expectedRevision: 'no_stream' });
    await store.appendToStream(stream('b'), [note(5)], { expectedRevision: 'no_stream' });

    const everything = await store.readAll({ after: start });
    expect(everything.some((event) => event.type.startsWith('$') || event.streamId.startsWith('$'))).toBe(
      false,
    );
    expect(ours(everything).map((event) => event.data)).toEqual([{ n: 1 }, { n: 3 }, { n: 5 }]);
    expect((await store.readStream(stream('a'))).map((event) => event.data)).toEqual([{ n: 1 }, { n: 3 }]);

    const delivered: unknown[] = [];
    for await (const event of subscription) {
      expect(event.type.startsWith('$') || event.streamId.startsWith('$')).toBe(false);
      if (!event.streamId.startsWith(prefix)) continue;
      delivered.push(event.data);
      if (event.streamId === stream('b')) break;
    }
    expect(delivered).toEqual([{ n: 1 }, { n: 3 }, { n: 5 }]);
  });

  it('treats a retried append with the same event ids as done, as EventStoreDB does', async () => {
    const store = await open();
    const events = [withId(note(1)), withId(note(2))];
    const first = await store.appendToStream(stream('a'), events, { expectedRevision: 'no_stream' });
    const retry = await store.appendToStream(stream('a'), events, { expectedRevision: 'no_stream' });
    expect(retry).toEqual(first);
    expect(await store.readStream(stream('a'))).toHaveLength(2);
    await expect(
      store.appendToStream(stream('a'), [withId(note(3))], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(WrongExpectedVersion);
  });

  it('refuses an event id that is not a UUID before calling the server', async () => {
    const store = await open();
    await expect(
      store.appendToStream(stream('a'), [{ ...note(1), eventId: 'not-a-uuid' }], { expectedRevision: 'any' }),
    ).rejects.toThrow(TypeError);
  });

  it('reports an unreachable server as EventStoreUnavailable', async () => {
    const gone = await start();
    await gone.stop();
    const store = new EsdbEventStore({ connectionString: gone.connectionString });
    stores.push(store);
    await expect(
      store.appendToStream(stream('a'), [note(1)], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(store.readStream(stream('a'))).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailable);
    await expect(drain(store.subscribeToAll())).rejects.toBeInstanceOf(EventStoreUnavailable);
  });

  describe('against the test double only', () => {
    const onlyDouble = liveConnectionString ? it.skip : it;

    onlyDouble('ends a subscription with EventStoreUnavailable when the server goes away', async () => {
      const doomed = await start();
      const store = new EsdbEventStore({ connectionString: doomed.connectionString });
      stores.push(store);
      await store.appendToStream(stream('a'), [note(1)], { expectedRevision: 'no_stream' });
      const subscription = store.subscribeToAll();
      const consumer = drain(subscription, (event) => event.streamId === stream('a'));
      await consumer.reachedMark;
      await doomed.stop();
      await expect(consumer.done).rejects.toBeInstanceOf(EventStoreUnavailable);
    });

    onlyDouble(
      'resumes inside a block of events sharing one commit position (explicit transaction)',
      async () => {
        const store = await open();
        const start = await logEnd(store);
        const transaction = server!.beginTransaction(stream('tx'));
        transaction.write([1, 2].map(proposed));
        await store.appendToStream(stream('between'), [note(10)], { expectedRevision: 'no_stream' });
        transaction.write([3, 4].map(proposed));
        transaction.commit();
        await store.appendToStream(stream('after'), [note(20)], { expectedRevision: 'no_stream' });

        const all = ours(await store.readAll({ after: start }));
        // The append in the middle committed first; the transaction's events share a commit position.
        expect(all.map(number)).toEqual([10, 1, 2, 3, 4, 20]);
        const block = all.slice(1, 5).map((event) => event.position);
        expect(new Set(block.map((position) => position.commit)).size).toBe(1);
        expect(new Set(block.map((position) => position.prepare)).size).toBe(4);

        for (let stop = 0; stop < all.length; stop++) {
          const after = all[stop]!.position;
          expect(ours(await store.readAll({ after })).map(number)).toEqual(all.slice(stop + 1).map(number));
          expect(ours(await store.readAll({ after, maxCount: 2 })).map(number)).toEqual(
            all.slice(stop + 1, stop + 3).map(number),
          );
          const resumed = await open();
          const received: number[] = [];
          const subscription = resumed.subscribeToAll({ after });
          if (stop < all.length - 1) {
            for await (const event of subscription) {
              if (!event.streamId.startsWith(prefix)) continue;
              received.push(number(event));
              if (received.length === all.length - stop - 1) break;
            }
          }
          await subscription.close();
          expect(received).toEqual(all.slice(stop + 1).map(number));
        }
      },
    );

    onlyDouble('fails a stream read loudly when the server cannot tell an event position', async () => {
      const store = await open();
      const transaction = server!.beginTransaction(stream('tx'));
      transaction.write([proposed(1)]);
      transaction.commit();
      await expect(store.readStream(stream('tx'))).rejects.toBeInstanceOf(EventStoreUnavailable);
    });

    onlyDouble('works through Streams.Append as well (a server without ServerFeatures)', async () => {
      const old = await start({ serverFeatures: false });
      try {
        const store = new EsdbEventStore({ connectionString: old.connectionString });
        stores.push(store);
        const result = await store.appendToStream(stream('a'), [note(1), note(2)], {
          expectedRevision: 'no_stream',
        });
        expect(result.nextExpectedRevision).toBe(1n);
        const events = await store.readStream(stream('a'));
        expect(events.map(number)).toEqual([1, 2]);
        expect(events[1]!.position).toEqual(result.position);
        const stale = store.appendToStream(stream('a'), [note(3)], { expectedRevision: 0n });
        await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersion);
        await expect(stale).rejects.toMatchObject({ actual: 1n, expected: 0n });
        const missing = store.appendToStream(stream('b'), [note(3)], { expectedRevision: 3n });
        await expect(missing).rejects.toMatchObject({ actual: 'no_stream' });
      } finally {
        await old.stop();
      }
    });
  });
});

function note(n: number): NewEvent {
  return { type: 'Noted', data: { n } };
}

function withId(event: NewEvent): NewEvent {
  return { ...event, eventId: randomUUID() };
}

function number(event: RecordedEvent): number {
  return (event.data as { n: number }).n;
}

function proposed(n: number) {
  return {
    eventId: randomUUID(),
    type: 'Noted',
    isJson: true,
    data: Buffer.from(JSON.stringify({ n })),
    metadata: Buffer.from(JSON.stringify({ recordedAt: new Date().toISOString() })),
  };
}

async function logEnd(store: EventStore): Promise<LogPosition | undefined> {
  let last: LogPosition | undefined;
  for (;;) {
    const page = await store.readAll({ after: last, maxCount: 1000 });
    if (page.length === 0) return last;
    last = page.at(-1)!.position;
  }
}

/** Iterates a subscription to its end; `reachedMark` resolves once `mark` matched an event. */
function drain(
  subscription: AsyncIterable<RecordedEvent>,
  mark: (event: RecordedEvent) => boolean = () => false,
): Promise<void> & { reachedMark: Promise<void>; done: Promise<void> } {
  let reached!: () => void;
  const reachedMark = new Promise<void>((resolve) => (reached = resolve));
  const done = (async () => {
    for await (const event of subscription) if (mark(event)) reached();
  })();
  return Object.assign(done, { reachedMark, done });
}
