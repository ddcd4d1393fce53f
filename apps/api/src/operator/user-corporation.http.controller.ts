import { Body, Controller, Param, Put, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdempotentExecutor, type Answer } from '@app/security';
import { AttachUserToCorporationCommand } from '@app/users';
import { fingerprintOf, invalidRequest, problem, send } from '../http/answer';
import { parseOpaqueId } from '../http/lenient';
import { validateDto } from '../http/validate-dto';
import { OperatorAuthGuard } from './operator-auth.guard';
import { AttachToCorporationRequestDto } from './user-corporation.request.dto';

const USER_NOT_FOUND = problem(404, 'USER_NOT_FOUND', 'No user has this id');

/**
 * The operator attaches an existing user to a corporation, whose transactional lock reasons
 * then also stop the user's payments (DOMAIN.md 5, rule 3). Attaching to another corporation
 * moves the user.
 */
@Controller('operator/users/:userId/corporation')
@UseGuards(OperatorAuthGuard)
export class OperatorUserCorporationHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly idempotency: IdempotentExecutor,
  ) {}

  /**
   * 200 `{userId, corporationId}`, also when already attached. With an `Idempotency-Key` the
   * answer is kept like every operator write; without one the PUT is simply run again (setting
   * a value twice is harmless), so a 404 for a user registered since is not replayed.
   */
  @Put()
  async attach(
    @Param('userId') rawUserId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const fingerprint = fingerprintOf(request, 'idempotency-key');
    const work = async (): Promise<Answer> => {
      const userId = parseOpaqueId(rawUserId);
      if (!userId) return USER_NOT_FOUND;
      const dto = validateDto(AttachToCorporationRequestDto, body);
      if (!dto.ok) return invalidRequest(dto.fields);
      const { corporationId } = dto.value;
      const result = await this.commands.execute(
        new AttachUserToCorporationCommand(userId, corporationId, fingerprint.idempotencyKey),
      );
      return result === 'attached' ? { status: 200, body: { userId, corporationId } } : USER_NOT_FOUND;
    };
    const keyed = request.headers['idempotency-key'] !== undefined;
    send(reply, keyed ? await this.idempotency.execute(fingerprint, work) : await work());
  }
}
