import { Body, Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdempotentExecutor } from '@app/security';
import { RegisterUserCommand } from '@app/users';
import { fingerprintOf, invalidRequest, problem, send } from '../http/answer';
import { parseOpaqueId } from '../http/lenient';
import { validateDto } from '../http/validate-dto';
import { OperatorAuthGuard } from './operator-auth.guard';
import { RegisterUserRequestDto } from './operator.request.dto';
import { userOverview } from './user-overview';

@Controller('operator/users')
@UseGuards(OperatorAuthGuard)
export class OperatorUsersHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly idempotency: IdempotentExecutor,
  ) {}

  /** The user with their KYC, active lock reasons, balances and cards; 404 for a user never registered. */
  @Get(':userId')
  async view(@Param('userId') rawUserId: string, @Res() reply: FastifyReply): Promise<void> {
    const userId = parseOpaqueId(rawUserId);
    const overview = userId && (await userOverview(this.queries, userId));
    send(
      reply,
      overview ? { status: 200, body: overview } : problem(404, 'USER_NOT_FOUND', 'No user has this id'),
    );
  }

  /** Registers a user: 201 the first time, 200 when it already exists. */
  @Post()
  async register(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const fingerprint = fingerprintOf(request, 'idempotency-key');
    const answer = await this.idempotency.execute(fingerprint, async () => {
      const dto = validateDto(RegisterUserRequestDto, body);
      if (!dto.ok) return invalidRequest(dto.fields);
      const { userId, email, firstName, lastName, corporationId } = dto.value;
      const details = {
        email: email ?? null,
        firstName: firstName ?? null,
        lastName: lastName ?? null,
        corporationId: corporationId ?? null,
      };
      const { created } = await this.commands.execute(
        new RegisterUserCommand(userId, details, fingerprint.idempotencyKey),
      );
      return { status: created ? 201 : 200, body: { userId } };
    });
    send(reply, answer);
  }
}
