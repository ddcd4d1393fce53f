import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { GetCardTransactionQuery, ListCardTransactionsQuery, ListSuspenseQuery } from '@app/balances';
import { GetTransactionLifecycleQuery } from '@app/transactions';
import { invalidRequest, problem, send } from '../http/answer';
import { parseLooseId, parseUuid } from '../http/lenient';
import { OperatorAuthGuard } from './operator-auth.guard';

const STATUSES = ['AUTHORIZED', 'CLEARED', 'REVERSED', 'DECLINED'];
const REPORT_LIMIT = 1_000;

/** Clearing status: one lifecycle, the report, and the suspense list. */
@Controller('operator')
@UseGuards(OperatorAuthGuard)
export class OperatorTransactionsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get('transactions/:id')
  async one(@Param('id') rawId: string, @Res() reply: FastifyReply): Promise<void> {
    const id = parseLooseId(rawId);
    if (!id) return send(reply, problem(404, 'TRANSACTION_NOT_FOUND', 'No transaction has this id'));
    const rows = await this.queries.execute(new GetCardTransactionQuery(id));
    // The lifecycle's own stream (kept by a reactor, so it may trail the balances by a moment).
    // It may be all there is: Antaca's transaction notifier can tell of an id no balance saw.
    const lifecycle = await this.queries.execute(new GetTransactionLifecycleQuery(id));
    if (rows.length === 0 && lifecycle === undefined)
      return send(reply, problem(404, 'TRANSACTION_NOT_FOUND', 'No transaction has this id'));
    send(reply, { status: 200, body: { id, transactions: rows, lifecycle: lifecycle ?? null } });
  }

  @Get('transactions')
  async report(
    @Query('status') status: string | undefined,
    @Query('balanceId') rawBalanceId: string | undefined,
    @Query('staleOnly') staleOnly: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const bad = [
      ...(status !== undefined && !STATUSES.includes(status.toUpperCase()) ? ['status'] : []),
      ...(rawBalanceId !== undefined && !parseUuid(rawBalanceId) ? ['balanceId'] : []),
      ...(staleOnly !== undefined && !['true', 'false'].includes(staleOnly) ? ['staleOnly'] : []),
    ];
    if (bad.length > 0) return send(reply, invalidRequest(bad));
    const filter = {
      status: status?.toUpperCase(),
      balanceId: rawBalanceId && parseUuid(rawBalanceId),
      staleOnly: staleOnly === 'true',
    };
    const transactions = await this.queries.execute(new ListCardTransactionsQuery(filter, REPORT_LIMIT));
    send(reply, { status: 200, body: { transactions, limit: REPORT_LIMIT } });
  }

  @Get('suspense')
  async suspense(@Res() reply: FastifyReply): Promise<void> {
    const entries = await this.queries.execute(new ListSuspenseQuery(REPORT_LIMIT));
    send(reply, { status: 200, body: { entries, limit: REPORT_LIMIT } });
  }
}
