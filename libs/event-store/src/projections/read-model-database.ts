import Database from 'better-sqlite3';

export type ReadModelDb = Database.Database;

/**
 * The SQLite file that holds every read model and their checkpoints. Read models are
 * derived data (rebuildable from the log), so commits need not wait for the disk
 * (`synchronous = NORMAL`): a power cut may lose the last updates *and* their checkpoints
 * together, and the runner then simply applies those events again, once.
 */
export function openReadModelDatabase(file: string): ReadModelDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS projection_checkpoints (
      name     TEXT PRIMARY KEY,
      position TEXT NOT NULL
    );
  `);
  return db;
}
