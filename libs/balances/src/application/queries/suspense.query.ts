import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_DB, type ReadModelDb } from '@app/event-store';
import type { SuspenseRow } from '../../projections/suspense.projection';
import { WriteFence } from '../write-fence';

export interface SuspenseEntry {
  readonly eventId: string;
  readonly balanceId: string | null;
  readonly id: string | null;
  readonly command: string;
  readonly reason: string;
  readonly amount: number | null;
  readonly currency: string | null;
  readonly body: unknown;
  readonly recordedAt: string;
}

/** Forced requests waiting for manual reconciliation, oldest first. */
export class ListSuspenseQuery extends Query<SuspenseEntry[]> {
  constructor(readonly limit: number) {
    super();
  }
}

@QueryHandler(ListSuspenseQuery)
export class ListSuspenseHandler implements IQueryHandler<ListSuspenseQuery, SuspenseEntry[]> {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: ReadModelDb,
    private readonly fence: WriteFence,
  ) {}

  async execute({ limit }: ListSuspenseQuery): Promise<SuspenseEntry[]> {
    await this.fence.reached();
    return this.db
      .prepare<[number], SuspenseRow>('SELECT * FROM suspense ORDER BY recorded_at, rowid LIMIT ?')
      .all(limit)
      .map((row) => ({
        eventId: row.event_id,
        balanceId: row.balance_id,
        id: row.lifecycle_id,
        command: row.command,
        reason: row.reason,
        amount: row.amount_minor,
        currency: row.currency,
        body: JSON.parse(row.body) as unknown,
        recordedAt: row.recorded_at,
      }));
  }
}
