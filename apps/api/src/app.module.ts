import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthorizationModule } from '@app/authorization';
import { BalancesModule } from '@app/balances';
import { CardsModule } from '@app/cards';
import { EventStoreModule, ProjectionsModule } from '@app/event-store';
import { LockReasonsModule } from '@app/lock-reasons';
import { OtpModule } from '@app/otp';
import { SecurityModule } from '@app/security';
import { TransactionsModule } from '@app/transactions';
import { UsersModule } from '@app/users';
import { VerificationModule } from '@app/verification';
import { BalancesHttpController } from './callbacks/external-balance/balances.http.controller';
import { PublicKeyHttpController } from './callbacks/public-key/public-key.http.controller';
import { CardLocksHttpController } from './callbacks/notifications/card-locks.http.controller';
import { LockReasonsHttpController } from './callbacks/notifications/lock-reasons.http.controller';
import { OperatorCardsHttpController } from './operator/cards.http.controller';
import { OperatorLockReasonsHttpController } from './operator/lock-reasons.http.controller';
import { OperatorUserCorporationHttpController } from './operator/user-corporation.http.controller';
import { MetricsModule } from './metrics/metrics.module';
import { VerificationHttpController } from './callbacks/notifications/verification.http.controller';
import { TransactionsHttpController } from './callbacks/external-balance/transactions.http.controller';
import { TransactionNotifierHttpController } from './callbacks/notifications/transaction-notifier.http.controller';
import { OtpHttpController } from './callbacks/notifications/otp.http.controller';
import { OperatorOtpInboxHttpController } from './operator/otp-inbox.http.controller';
import { OperatorBalancesHttpController } from './operator/balances.http.controller';
import { HealthController } from './operator/health.controller';
import { OperatorTransactionsHttpController } from './operator/transactions.http.controller';
import { OperatorUsersHttpController } from './operator/users.http.controller';

/** The whole service: one application behind two listeners (see `http/listeners.ts`). */
@Module({})
export class AppModule {
  /**
   * `config` is the awaited `AppConfigModule.forRoot()`, validated before anything starts;
   * `jweKeys` is `JweModule.register(...)` with the keys loaded before Nest starts.
   */
  static register(config: DynamicModule, jweKeys: DynamicModule): DynamicModule {
    return {
      module: AppModule,
      imports: [
        config,
        CqrsModule.forRoot(),
        EventStoreModule,
        ProjectionsModule,
        SecurityModule,
        jweKeys,
        UsersModule,
        BalancesModule.register({ authorizationPolicy: AuthorizationModule }),
        TransactionsModule,
        MetricsModule,
        VerificationModule,
        CardsModule,
        LockReasonsModule,
        OtpModule,
      ],
      controllers: [
        PublicKeyHttpController,
        BalancesHttpController,
        TransactionsHttpController,
        TransactionNotifierHttpController,
        OtpHttpController,
        OperatorOtpInboxHttpController,
        VerificationHttpController,
        CardLocksHttpController,
        LockReasonsHttpController,
        OperatorCardsHttpController,
        OperatorLockReasonsHttpController,
        OperatorUserCorporationHttpController,
        OperatorUsersHttpController,
        OperatorBalancesHttpController,
        OperatorTransactionsHttpController,
        HealthController,
      ],
    };
  }
}
