import Database from 'better-sqlite3';

export interface CachedAnswer {
  readonly status: number;
  /** JSON text of the body, or null for an answer without one (204). */
  readonly body: string | null;
}

interface Row {
  request_hash: string;
  status: number;
  body: string | null;
}

/**
 * The fast path in front of the aggregates: answers already given, by idempotency key.
 * It is an optimisation only. The guard is the aggregates' own events, which carry the key
 * (a crash between the append and `remember` leaves the retry to find the outcome there),
 * so this file may be lost, and it is pruned after the retention period.
 */
export class IdempotencyCache {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS answers (
        idempotency_key TEXT PRIMARY KEY,
        request_hash    TEXT NOT NULL,
        status          INTEGER NOT NULL,
        body            TEXT,
        stored_at_ms    INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS answers_by_age ON answers (stored_at_ms);
    `);
    this.statements = {
      find: this.db.prepare<[string], Row>(
        'SELECT request_hash, status, body FROM answers WHERE idempotency_key = ?',
      ),
      remember: this.db.prepare<[string, string, number, string | null, number]>(
        `INSERT INTO answers (idempotency_key, request_hash, status, body, stored_at_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (idempotency_key) DO NOTHING`,
      ),
      prune: this.db.prepare<[number]>('DELETE FROM answers WHERE stored_at_ms < ?'),
    };
  }

  find(key: string): (CachedAnswer & { readonly requestHash: string }) | undefined {
    const row = this.statements.find.get(key);
    return row && { requestHash: row.request_hash, status: row.status, body: row.body };
  }

  remember(key: string, requestHash: string, answer: CachedAnswer, nowMs: number): void {
    this.statements.remember.run(key, requestHash, answer.status, answer.body, nowMs);
  }

  /** Forgets answers stored before `cutoffMs`; returns how many. */
  prune(cutoffMs: number): number {
    return this.statements.prune.run(cutoffMs).changes;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
