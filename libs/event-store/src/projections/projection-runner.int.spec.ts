import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../embedded/sqlite-event-store';
import type { RecordedEvent } from '../event-store.port';
import type { ReadModelProjection } from './projection';
import { ProjectionRunner, type RegisteredProjection } from './projection-runner';
import { openReadModelDatabase, type ReadModelDb } from './read-model-database';

/** Inserts one row per event: a second apply of the same event breaks the primary key. */
class NotesProjection implements ReadModelProjection {
  constructor(
    private readonly table: string,
    private readonly failOn?: number,
  ) {}
  migrate(db: ReadModelDb): void {
    db.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (n INTEGER PRIMARY KEY)`);
  }
  apply(event: RecordedEvent, db: ReadModelDb): void {
    const { n } = event.data as { n: number };
    db.prepare(`INSERT INTO ${this.table} (n) VALUES (?)`).run(n);
    if (n === this.failOn) throw new Error(`cannot project ${n}`);
  }
}

const notes = (table = 'notes', failOn?: number): RegisteredProjection => ({
  options: { name: table, handles: ['Noted'] },
  projection: new NotesProjection(table, failOn),
});

describe('ProjectionRunner', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: ReadModelDb;
  const runners: ProjectionRunner[] = [];

  const run = (...projections: RegisteredProjection[]) => {
    const runner = new ProjectionRunner(store, db, projections);
    runners.push(runner);
    runner.start();
    return runner;
  };
  const append = (...numbers: number[]) =>
    store.appendToStream(
      'notes-1',
      numbers.map((n) => ({ type: 'Noted', data: { n } })),
      { expectedRevision: 'any' },
    );
  const rows = (table = 'notes') =>
    db
      .prepare<[], { n: number }>(`SELECT n FROM ${table} ORDER BY n`)
      .all()
      .map((row) => row.n);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'projections-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    db = openReadModelDatabase(join(dir, 'read-models.sqlite'));
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the events a projection handles and passes over the others', async () => {
    const runner = run(notes());
    await append(1, 2);
    await store.appendToStream('other-1', [{ type: 'Ignored', data: { n: 99 } }], {
      expectedRevision: 'any',
    });
    const { position } = await append(3);
    await runner.waitFor(position);
    expect(rows()).toEqual([1, 2, 3]);
  });

  it('applies only the events of its category when it names one', async () => {
    const runner = run({
      options: { name: 'notes', handles: ['Noted'], category: 'notes' },
      projection: new NotesProjection('notes'),
    });
    await store.appendToStream('memo-1', [{ type: 'Noted', data: { n: 7 } }], { expectedRevision: 'any' });
    await runner.waitFor((await append(1)).position);
    expect(rows()).toEqual([1]);
  });

  it('resumes after its checkpoint on restart: nothing applied twice, nothing skipped', async () => {
    const first = run(notes());
    await first.waitFor((await append(1, 2, 3)).position);
    await first.stop();
    await append(4, 5);
    const second = run(notes());
    await second.waitFor((await append(6)).position);
    expect(rows()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lets a new read model catch up from the start without replaying into the old one', async () => {
    const first = run(notes());
    await first.waitFor((await append(1, 2)).position);
    await first.stop();
    const second = run(notes(), notes('notes_copy'));
    await second.waitFor((await append(3)).position);
    expect(rows()).toEqual([1, 2, 3]);
    expect(rows('notes_copy')).toEqual([1, 2, 3]);
  });

  it('stops on a failing event with nothing of it applied, and applies it once after the fix', async () => {
    const failures: unknown[] = [];
    const broken = new ProjectionRunner(store, db, [notes('notes', 3)], (error) => failures.push(error));
    runners.push(broken);
    broken.start();
    const { position } = await append(1, 2, 3, 4);
    await expect(broken.waitFor(position, 500)).rejects.toThrow(/did not reach|failed|not running/);
    expect(broken.state).toBe('failed');
    expect(failures).toHaveLength(1);
    expect(rows()).toEqual([1, 2]);

    const fixed = run(notes());
    await fixed.waitFor(position);
    expect(rows()).toEqual([1, 2, 3, 4]);
  });

  it('answers waitFor at once for a position already processed and refuses when not running', async () => {
    const runner = run(notes());
    const { position } = await append(1);
    await runner.waitFor(position);
    await expect(runner.waitFor(position, 1)).resolves.toBeUndefined();
    await runner.stop();
    const later = await append(2);
    await expect(runner.waitFor(later.position)).rejects.toThrow(/not running/);
  });

  it('refuses two projections with the same name', () => {
    expect(() => new ProjectionRunner(store, db, [notes(), notes()])).toThrow(
      /Two projections are named notes/,
    );
  });
});
