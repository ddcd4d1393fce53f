import { Body, Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GetBalanceHistoryQuery, GetBalanceQuery, RunBalanceCommand } from '@app/balances';
import { IdempotentExecutor } from '@app/security';
import { fingerprintOf, invalidRequest, problem, send } from '../http/answer';
import { isoDateTime } from '../http/lenient-field';
import { parseUuid } from '../http/lenient';
import { validateDto } from '../http/validate-dto';
import { answerFor } from '../callbacks/external-balance/refusal-answers';
import { OperatorAuthGuard } from './operator-auth.guard';
import { MoneyMoveRequestDto } from './operator.request.dto';

const BALANCE_NOT_FOUND = problem(404, 'BALANCE_NOT_FOUND', 'No balance has this id');

/** The back office's view of balances, and the only way money enters or leaves them besides Antaca. */
@Controller('operator/balances/:balanceId')
@UseGuards(OperatorAuthGuard)
export class OperatorBalancesHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly idempotency: IdempotentExecutor,
  ) {}

  @Get()
  async view(@Param('balanceId') rawBalanceId: string, @Res() reply: FastifyReply): Promise<void> {
    const balanceId = parseUuid(rawBalanceId);
    const balance = balanceId && (await this.queries.execute(new GetBalanceQuery(balanceId)));
    send(reply, balance ? { status: 200, body: balance } : BALANCE_NOT_FOUND);
  }

  /** Every event with the figures after it; `?at=` (ISO 8601) stops the replay there. */
  @Get('history')
  async history(
    @Param('balanceId') rawBalanceId: string,
    @Query('at') rawAt: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const balanceId = parseUuid(rawBalanceId);
    if (rawAt !== undefined && !isoDateTime(rawAt)) return send(reply, invalidRequest(['at']));
    const at = rawAt === undefined ? undefined : new Date(rawAt);
    const entries = balanceId && (await this.queries.execute(new GetBalanceHistoryQuery(balanceId, at)));
    send(reply, entries ? { status: 200, body: { balanceId, events: entries } } : BALANCE_NOT_FOUND);
  }

  @Post('credits')
  credit(
    @Param('balanceId') balanceId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.move('OperatorCredit', balanceId, body, request, reply);
  }

  @Post('debits')
  debit(
    @Param('balanceId') balanceId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.move('OperatorDebit', balanceId, body, request, reply);
  }

  private async move(
    type: 'OperatorCredit' | 'OperatorDebit',
    rawBalanceId: string,
    body: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const fingerprint = fingerprintOf(request, 'idempotency-key');
    const answer = await this.idempotency.execute(fingerprint, async () => {
      const balanceId = parseUuid(rawBalanceId);
      if (!balanceId) return BALANCE_NOT_FOUND;
      const dto = validateDto(MoneyMoveRequestDto, body);
      if (!dto.ok) return invalidRequest(dto.fields);
      const { amount, reason, reference } = dto.value;
      const command = { type, request: fingerprint, amountMinor: amount, reason, reference };
      return answerFor(await this.commands.execute(new RunBalanceCommand(balanceId, command, request.id)));
    });
    send(reply, answer);
  }
}
