import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { GetCardQuery } from '@app/cards';
import { problem, send } from '../http/answer';
import { parseOpaqueId } from '../http/lenient';
import { OperatorAuthGuard } from './operator-auth.guard';

/** A card's lock state and every lock, unlock and anomaly Antaca notified, for support. */
@Controller('operator/cards')
@UseGuards(OperatorAuthGuard)
export class OperatorCardsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':cardId')
  async view(@Param('cardId') rawCardId: string, @Res() reply: FastifyReply): Promise<void> {
    const cardId = parseOpaqueId(rawCardId);
    const card = cardId && (await this.queries.execute(new GetCardQuery(cardId)));
    send(
      reply,
      card ? { status: 200, body: card } : problem(404, 'CARD_NOT_FOUND', 'No notification names this card'),
    );
  }
}
