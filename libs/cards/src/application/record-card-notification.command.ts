import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import type { CardCommand } from '../domain/card.commands';
import { card, cardStream, outcomeOfCardRequest } from '../domain/card.decider';

/** `recorded`: this request is in the card's history (now or before); `reused`: its key belongs to another request. */
export type CardNotificationOutcome = 'recorded' | 'reused';

/** `cardLocked` or `cardUnlocked`, recorded on the card's stream at most once per idempotency key. */
export class RecordCardNotificationCommand extends Command<CardNotificationOutcome> {
  constructor(
    readonly command: CardCommand,
    readonly correlationId: string,
  ) {
    super();
  }
}

@CommandHandler(RecordCardNotificationCommand)
export class RecordCardNotificationHandler implements ICommandHandler<
  RecordCardNotificationCommand,
  CardNotificationOutcome
> {
  constructor(private readonly store: EventStore) {}

  async execute({ command, correlationId }: RecordCardNotificationCommand): Promise<CardNotificationOutcome> {
    const result = await this.store.handle(cardStream(command.cardId), card, command, {
      metadata: { idempotencyKey: command.request.idempotencyKey, correlationId },
    });
    return outcomeOfCardRequest(result.state, command.request) === 'reused' ? 'reused' : 'recorded';
  }
}
