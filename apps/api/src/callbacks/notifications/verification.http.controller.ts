import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IDEMPOTENCY_KEY_REUSED, IdempotentExecutor } from '@app/security';
import { RecordVerificationNotificationCommand, type VerificationStatus } from '@app/verification';
import { answerOnce, invalidRequest, noContent } from '../../http/answer';
import { parseVerificationNotification } from './verification.request.dto';

const IDEMPOTENCY_KEY = 'x-idempotency-key';

/**
 * KYC notifications (seeds: External Verification Notifier). 204 once recorded; a repeat
 * (same key, or no key and the same bytes) is answered the same and applied once; a bad body
 * is a 400 naming its fields, with nothing recorded.
 */
@Controller('notifications')
export class VerificationHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly idempotency: IdempotentExecutor,
  ) {}

  @Post('verificationInProgress')
  inProgress(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.record('IN_PROGRESS', body, request, reply);
  }

  @Post('verificationAccepted')
  accepted(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.record('ACCEPTED', body, request, reply);
  }

  @Post('verificationRejected')
  rejected(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.record('REJECTED', body, request, reply);
  }

  private async record(
    routeStatus: VerificationStatus,
    body: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    await answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, async (fingerprint) => {
      const parsed = parseVerificationNotification(body, routeStatus);
      if (parsed.kind === 'invalid') return invalidRequest(parsed.fields);
      const { verificationId, userId, verdict, user } = parsed;
      const result = await this.commands.execute(
        new RecordVerificationNotificationCommand(
          {
            verificationId,
            userId,
            verdict,
            user,
            request: fingerprint,
            body: body as Record<string, unknown>,
          },
          request.id,
        ),
      );
      return result === 'reused' ? IDEMPOTENCY_KEY_REUSED : noContent;
    });
  }
}
