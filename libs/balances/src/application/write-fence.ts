import { Injectable } from '@nestjs/common';
import { compareLogPositions, ProjectionRunner, type LogPosition } from '@app/event-store';

/**
 * Read-your-writes on one instance: remembers the newest position this process wrote and
 * lets a query wait until the read models have reached it, so a GET right after a 204
 * reflects it.
 */
@Injectable()
export class WriteFence {
  private newest: LogPosition | undefined;

  constructor(private readonly projections: ProjectionRunner) {}

  wrote(position: LogPosition | undefined): void {
    if (position && (!this.newest || compareLogPositions(position, this.newest) > 0)) this.newest = position;
  }

  /** Resolves once every read model reflects everything this process has written so far. */
  async reached(): Promise<void> {
    await this.projections.waitFor(this.newest);
  }
}
