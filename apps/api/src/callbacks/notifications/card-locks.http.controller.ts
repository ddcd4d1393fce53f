import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RecordCardNotificationCommand, type CardCommand } from '@app/cards';
import { IDEMPOTENCY_KEY_REUSED, IdempotentExecutor, type RequestFingerprint } from '@app/security';
import { answerOnce, invalidRequest, noContent } from '../../http/answer';
import { validateDto } from '../../http/validate-dto';
import { CardLockedRequestDto, CardUnlockedRequestDto } from './card-locks.request.dto';
import { utcInstantOf } from './notification-body';

const IDEMPOTENCY_KEY = 'x-idempotency-key';

/**
 * Card locks (seeds: External Card Block Notifier). 204 once recorded on the card's stream,
 * whatever the notification changed (an older one, or an unlock of an irreversibly locked
 * card, is recorded without unlocking it); a repeat (same key, or no key and the same bytes)
 * gets the same answer and is applied once; a bad body is a 400 naming its fields, nothing
 * recorded.
 */
@Controller('notifications')
export class CardLocksHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly idempotency: IdempotentExecutor,
  ) {}

  @Post('cardLocked')
  async locked(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, async (fingerprint) => {
      const dto = validateDto(CardLockedRequestDto, body);
      if (!dto.ok) return invalidRequest(dto.fields);
      const { dcCardId, date, reason } = dto.value;
      return this.record(
        { type: 'LockCard', ...this.notification(fingerprint, dcCardId, date, body), reason },
        request,
      );
    });
  }

  @Post('cardUnlocked')
  async unlocked(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, async (fingerprint) => {
      const dto = validateDto(CardUnlockedRequestDto, body);
      if (!dto.ok) return invalidRequest(dto.fields);
      const { dcCardId, date } = dto.value;
      return this.record(
        { type: 'UnlockCard', ...this.notification(fingerprint, dcCardId, date, body) },
        request,
      );
    });
  }

  private notification(request: RequestFingerprint, cardId: string, date: string, body: unknown) {
    return { request, cardId, date, dateUtc: utcInstantOf(date), body: body as Record<string, unknown> };
  }

  private async record(command: CardCommand, request: FastifyRequest) {
    const outcome = await this.commands.execute(new RecordCardNotificationCommand(command, request.id));
    return outcome === 'reused' ? IDEMPOTENCY_KEY_REUSED : noContent;
  }
}
