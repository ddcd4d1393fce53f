import { Module } from '@nestjs/common';
import { AuthorizationPolicy, PermissiveAuthorizationPolicy } from './application/authorization-policy';
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

/** UserBalance: its commands, queries and read models (balances, clearing status, suspense). */
@Module({
  providers: [
    { provide: AuthorizationPolicy, useClass: PermissiveAuthorizationPolicy },
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
export class BalancesModule {}
