import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '@app/config';
import { GetOtpInboxQuery } from '@app/otp';
import { invalidRequest, problem, send } from '../http/answer';
import { parseOpaqueId } from '../http/lenient';
import { OperatorAuthGuard } from './operator-auth.guard';

/**
 * The OTP dev inbox: for local runs without `OTP_WEBHOOK_URL`, the codes sent for a card,
 * readable until they expire. With a webhook configured the codes go there only, and this
 * route does not exist (404), so production never shows a code to anyone.
 */
@Controller('operator')
@UseGuards(OperatorAuthGuard)
export class OperatorOtpInboxHttpController {
  constructor(
    private readonly queries: QueryBus,
    private readonly config: AppConfig,
  ) {}

  @Get('otp-inbox')
  async inbox(@Query('cardId') rawCardId: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (this.config.otpWebhookUrl !== undefined) {
      return send(reply, problem(404, 'NOT_FOUND', 'The OTP dev inbox is off: codes go to OTP_WEBHOOK_URL'));
    }
    const cardId = parseOpaqueId(rawCardId);
    if (cardId === undefined) return send(reply, invalidRequest(['cardId']));
    const codes = await this.queries.execute(new GetOtpInboxQuery(cardId));
    send(reply, { status: 200, body: { cardId, codes } });
  }
}
