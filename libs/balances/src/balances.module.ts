import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ListBalanceCardsHandler } from './application/queries/balance-cards.query';
import { GetBalanceOwnerHandler } from './application/queries/balance-owner.query';
import { GetBalanceHistoryHandler } from './application/queries/balance-history.query';
import { GetBalanceHandler, ListUserBalancesHandler } from './application/queries/balance-views.queries';
import {
  GetCardTransactionHandler,
  ListCardTransactionsHandler,
} from './application/queries/card-transactions.queries';
import { ListSuspenseHandler } from './application/queries/suspense.query';
import { RecordUnreadableForcedRequestHandler } from './application/record-unreadable-forced-request.command';
import { RunBalanceCommandHandler } from './application/run-balance-command.command';
import { WriteFence } from './application/write-fence';
import { BalanceCardsProjection } from './projections/balance-cards.projection';
import { BalancesProjection } from './projections/balances.projection';
import { ClearingStatusProjection } from './projections/clearing-status.projection';
import { SuspenseProjection } from './projections/suspense.projection';

/**
 * UserBalance: its commands, queries and read models (balances, clearing status, suspense,
 * balance cards). Import it through `register`, which says where its `AuthorizationPolicy` comes from.
 */
@Module({
  providers: [
    WriteFence,
    RunBalanceCommandHandler,
    RecordUnreadableForcedRequestHandler,
    GetBalanceHandler,
    GetBalanceOwnerHandler,
    ListBalanceCardsHandler,
    ListUserBalancesHandler,
    GetBalanceHistoryHandler,
    GetCardTransactionHandler,
    ListCardTransactionsHandler,
    ListSuspenseHandler,
    BalancesProjection,
    ClearingStatusProjection,
    SuspenseProjection,
    BalanceCardsProjection,
  ],
  exports: [WriteFence],
})
export class BalancesModule {
  /**
   * Rules 3-5 of DOMAIN.md 5 depend on other aggregates (cards, lock reasons, KYC, limits).
   * Balances owns the port (`AuthorizationPolicy`) and the application chooses the adapter:
   * `authorizationPolicy` is a module that provides and exports it. So this lib never depends
   * on the libs the rules read, and the policy's own dependencies stay in its module.
   */
  static register(options: { readonly authorizationPolicy: Type | DynamicModule }): DynamicModule {
    return { module: BalancesModule, imports: [options.authorizationPolicy] };
  }
}
