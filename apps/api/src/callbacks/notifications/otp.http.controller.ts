import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestOtpDeliveryCommand } from '@app/otp';
import {
  IDEMPOTENCY_KEY_REUSED,
  IdempotentExecutor,
  type Answer,
  type RequestFingerprint,
} from '@app/security';
import { answerOnce, noContent } from '../../http/answer';
import { parseOtpNotification } from './otp.request.dto';

const IDEMPOTENCY_KEY = 'x-idempotency-key';

/** The seeds' error body for this route: `{detail}` only (DOMAIN.md 6). */
function unprocessable(detail: string): Answer {
  return { status: 422, body: { detail } };
}

/**
 * 3DS External OTP Notifier (`POST /notifications/otp`): the code goes to the delivery outbox
 * and the answer is 204 at once; delivery (webhook or dev inbox) happens in the background.
 * Antaca does not retry an OTP it got an error for, so a bad body is told plainly (422
 * `{detail}` naming the fields, never their values: one of them is the code).
 */
@Controller('notifications')
export class OtpHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly idempotency: IdempotentExecutor,
  ) {}

  @Post('otp')
  async otp(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const work = (fingerprint: RequestFingerprint) => this.queue(body, fingerprint, request.id);
    await answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, work);
  }

  private async queue(
    body: unknown,
    fingerprint: RequestFingerprint,
    correlationId: string,
  ): Promise<Answer> {
    const parsed = parseOtpNotification(body);
    if (parsed.kind === 'invalid')
      return unprocessable(`Invalid or missing fields: ${parsed.fields.join(', ')}`);
    const request = { idempotencyKey: fingerprint.idempotencyKey, requestHash: fingerprint.requestHash };
    const answer = await this.commands.execute(
      new RequestOtpDeliveryCommand(parsed.facts, parsed.otp, request, correlationId),
    );
    return answer === 'reused' ? IDEMPOTENCY_KEY_REUSED : noContent;
  }
}
