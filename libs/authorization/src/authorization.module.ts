import { Module } from '@nestjs/common';
import { AuthorizationPolicy } from '@app/balances';
import { LocksAndKycAuthorizationPolicy } from './application/locks-and-kyc.authorization-policy';

/**
 * The balances' `AuthorizationPolicy` adapter, for `BalancesModule.register`. It asks the
 * cards, lock-reasons, users, verification and balances libs through the (global) QueryBus,
 * so their modules must be part of the application.
 */
@Module({
  providers: [{ provide: AuthorizationPolicy, useClass: LocksAndKycAuthorizationPolicy }],
  exports: [AuthorizationPolicy],
})
export class AuthorizationModule {}
