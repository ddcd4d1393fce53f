import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { BalancesModule } from '@app/balances';
import { EventStoreModule, ProjectionsModule } from '@app/event-store';
import { SecurityModule } from '@app/security';
import { TransactionsModule } from '@app/transactions';
import { UsersModule } from '@app/users';
import { BalancesHttpController } from './callbacks/external-balance/balances.http.controller';
import { MetricsModule } from './metrics/metrics.module';
import { TransactionsHttpController } from './callbacks/external-balance/transactions.http.controller';
import { OperatorBalancesHttpController } from './operator/balances.http.controller';
import { HealthController } from './operator/health.controller';
import { OperatorTransactionsHttpController } from './operator/transactions.http.controller';
import { OperatorUsersHttpController } from './operator/users.http.controller';

/** The whole service: one application behind two listeners (see `http/listeners.ts`). */
@Module({})
export class AppModule {
  /** `config` is the awaited `AppConfigModule.forRoot()`, validated before anything starts. */
  static register(config: DynamicModule): DynamicModule {
    return {
      module: AppModule,
      imports: [
        config,
        CqrsModule.forRoot(),
        EventStoreModule,
        ProjectionsModule,
        SecurityModule,
        UsersModule,
        BalancesModule,
        TransactionsModule,
        MetricsModule,
      ],
      controllers: [
        BalancesHttpController,
        TransactionsHttpController,
        OperatorUsersHttpController,
        OperatorBalancesHttpController,
        OperatorTransactionsHttpController,
        HealthController,
      ],
    };
  }
}
