import { Body, Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GetBalanceQuery, ListUserBalancesQuery, RunBalanceCommand } from '@app/balances';
import { IdempotentExecutor } from '@app/security';
import { UserExistsQuery } from '@app/users';
import { answerOnce, invalidRequest, problem, send } from '../../http/answer';
import { parseOpaqueId, parseUuid } from '../../http/lenient';
import { validateDto } from '../../http/validate-dto';
import { LinkBalanceRequestDto } from './link-balance.request.dto';
import { answerFor } from './refusal-answers';

const IDEMPOTENCY_KEY = 'x-idempotency-key';

/** External Balance: linking, reading and deleting a user's balances (seeds: "API External balance"). */
@Controller('users/:id/balances')
export class BalancesHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly idempotency: IdempotentExecutor,
  ) {}

  @Post()
  async link(
    @Param('id') rawUserId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, async (fingerprint) => {
      const userId = parseOpaqueId(rawUserId);
      if (!userId) return problem(404, 'USER_NOT_FOUND', 'No user has this id');
      const dto = validateDto(LinkBalanceRequestDto, body);
      if (!dto.ok) return invalidRequest(dto.fields);
      const userKnown = await this.queries.execute(new UserExistsQuery(userId));
      const { balanceId, currency } = dto.value;
      return answerFor(
        await this.commands.execute(
          new RunBalanceCommand(
            balanceId,
            { type: 'LinkBalance', request: fingerprint, balanceId, userId, currency, userKnown },
            request.id,
          ),
        ),
      );
    });
  }

  @Get()
  async list(@Param('id') rawUserId: string): Promise<{ id: string; currency: string; amount: number }[]> {
    const userId = parseOpaqueId(rawUserId);
    if (!userId) return [];
    const balances = await this.queries.execute(new ListUserBalancesQuery(userId));
    return balances.map((balance) => ({
      id: balance.balanceId,
      currency: balance.currency,
      amount: balance.available,
    }));
  }

  @Get(':balanceId')
  async get(
    @Param('id') rawUserId: string,
    @Param('balanceId') rawBalanceId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const balanceId = parseUuid(rawBalanceId);
    const balance = balanceId && (await this.queries.execute(new GetBalanceQuery(balanceId)));
    if (!balance || balance.status !== 'LINKED') {
      return send(reply, problem(404, 'BALANCE_NOT_FOUND', 'No linked balance has this id'));
    }
    if (balance.userId !== parseOpaqueId(rawUserId)) {
      return send(reply, problem(403, 'FORBIDDEN', 'The balance belongs to another user'));
    }
    send(reply, { status: 200, body: { currency: balance.currency, amount: balance.available } });
  }

  @Delete(':balanceId')
  async unlink(
    @Param('id') rawUserId: string,
    @Param('balanceId') rawBalanceId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, async (fingerprint) => {
      const balanceId = parseUuid(rawBalanceId);
      const userId = parseOpaqueId(rawUserId);
      if (!balanceId) return problem(404, 'BALANCE_NOT_FOUND', 'No linked balance has this id');
      if (!userId) return problem(403, 'FORBIDDEN', 'The balance belongs to another user');
      return answerFor(
        await this.commands.execute(
          new RunBalanceCommand(
            balanceId,
            { type: 'UnlinkBalance', request: fingerprint, userId },
            request.id,
          ),
        ),
      );
    });
  }
}
