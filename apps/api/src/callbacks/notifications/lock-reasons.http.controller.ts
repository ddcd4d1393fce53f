import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RecordLockReasonNotificationCommand, type LockReasonsCommand } from '@app/lock-reasons';
import { IDEMPOTENCY_KEY_REUSED, IdempotentExecutor } from '@app/security';
import { answerOnce, invalidRequest, noContent } from '../../http/answer';
import { validateDto } from '../../http/validate-dto';
import { LockReasonNotificationRequestDto } from './lock-reasons.request.dto';
import { utcInstantOf } from './notification-body';

const IDEMPOTENCY_KEY = 'x-idempotency-key';

/**
 * Transactional lock reasons (seeds: External Transactional Lock Reason Notifier). 204 once
 * recorded on the user's or corporation's stream, whatever it changed (a removal older than
 * the add in effect is recorded and leaves the reason active); a repeat gets the same answer
 * and is applied once; a bad body is a 400 naming its fields, nothing recorded.
 */
@Controller('notifications')
export class LockReasonsHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly idempotency: IdempotentExecutor,
  ) {}

  @Post('transactionalLockReasonAdded')
  added(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.record('AddLockReason', body, request, reply);
  }

  @Post('transactionalLockReasonRemoved')
  removed(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.record('RemoveLockReason', body, request, reply);
  }

  private async record(
    type: LockReasonsCommand['type'],
    body: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    await answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, async (fingerprint) => {
      const dto = validateDto(LockReasonNotificationRequestDto, body);
      if (!dto.ok) return invalidRequest(dto.fields);
      const { resourceType, resourceId, lockReason, timestamp } = dto.value;
      const command: LockReasonsCommand = {
        type,
        request: fingerprint,
        subject: { type: resourceType, id: resourceId },
        reason: lockReason,
        timestamp,
        timestampUtc: utcInstantOf(timestamp),
        body: body as Record<string, unknown>,
      };
      const outcome = await this.commands.execute(
        new RecordLockReasonNotificationCommand(command, request.id),
      );
      return outcome === 'reused' ? IDEMPOTENCY_KEY_REUSED : noContent;
    });
  }
}
