import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { EventStore, ProjectionRunner } from '@app/event-store';
import { RecordTransactionLifecycleWhenBalanceChanges } from '@app/transactions';

/** Liveness and readiness for orchestrators; no authentication, on the operator listener. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly store: EventStore,
    private readonly projections: ProjectionRunner,
    private readonly transactionLifecycles: RecordTransactionLifecycleWhenBalanceChanges,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when the event store answers and the read models and reactors are being kept up to date. */
  @Get('ready')
  @HttpCode(200)
  async ready(): Promise<{ status: 'ready' }> {
    if (this.projections.state !== 'running') {
      throw new ServiceUnavailableException({
        title: 'NOT_READY',
        detail: `Read models are ${this.projections.state}`,
      });
    }
    if (this.transactionLifecycles.state !== 'running') {
      throw new ServiceUnavailableException({
        title: 'NOT_READY',
        detail: `Transaction lifecycles are ${this.transactionLifecycles.state}`,
      });
    }
    try {
      await this.store.readStream('health-probe', { maxCount: 1 });
    } catch {
      throw new ServiceUnavailableException({
        title: 'NOT_READY',
        detail: 'The event store does not answer',
      });
    }
    return { status: 'ready' };
  }
}
