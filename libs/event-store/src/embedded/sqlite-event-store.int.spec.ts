import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

describeEventStoreContract('embedded (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'event-store-'));
  return {
    open: async () => new SqliteEventStore({ file: join(dir, 'events.sqlite') }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
