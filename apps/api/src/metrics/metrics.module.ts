import { Module } from '@nestjs/common';
import { TransactionsModule } from '@app/transactions';
import { MetricsController } from './metrics.controller';
import { ServiceMetrics } from './service-metrics';

/** `GET /metrics`; bootstrap feeds it every answered request (see `ServiceMetrics.observe`). */
@Module({
  imports: [TransactionsModule],
  providers: [ServiceMetrics],
  controllers: [MetricsController],
  exports: [ServiceMetrics],
})
export class MetricsModule {}
