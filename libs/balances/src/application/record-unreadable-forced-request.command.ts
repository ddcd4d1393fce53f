import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import type { DomainEvent, RequestRef } from '@app/shared-kernel';
import { WriteFence } from './write-fence';

export type ForcedCommandType = 'ForceDebit' | 'ForceCredit' | 'Reverse';

/** Where forced requests go that name no usable balance, id or amount. */
export const UNREADABLE_REQUESTS_STREAM = 'suspense-unreadable';

/** A forced request nothing could be applied from; kept whole (as text) for reconciliation. */
export type ForcedRequestUnreadable = DomainEvent<
  'ForcedRequestUnreadable',
  { command: ForcedCommandType; fields: string[]; body: string; request: RequestRef }
>;

/** Forced request bodies are small; a larger one is kept truncated, and says so. */
const MAX_KEPT_BODY_CHARS = 16_384;

export class RecordUnreadableForcedRequestCommand extends Command<void> {
  constructor(
    readonly command: ForcedCommandType,
    readonly fields: string[],
    readonly body: string,
    readonly request: RequestRef,
    readonly correlationId: string,
  ) {
    super();
  }
}

@CommandHandler(RecordUnreadableForcedRequestCommand)
export class RecordUnreadableForcedRequestHandler implements ICommandHandler<RecordUnreadableForcedRequestCommand> {
  constructor(
    private readonly store: EventStore,
    private readonly fence: WriteFence,
  ) {}

  async execute({
    command,
    fields,
    body,
    request,
    correlationId,
  }: RecordUnreadableForcedRequestCommand): Promise<void> {
    const kept =
      body.length > MAX_KEPT_BODY_CHARS ? `${body.slice(0, MAX_KEPT_BODY_CHARS)}…(truncated)` : body;
    const event: ForcedRequestUnreadable = {
      type: 'ForcedRequestUnreadable',
      data: { command, fields, body: kept, request },
    };
    const { position } = await this.store.appendToStream(
      UNREADABLE_REQUESTS_STREAM,
      [{ ...event, metadata: { idempotencyKey: request.idempotencyKey, correlationId } }],
      { expectedRevision: 'any' },
    );
    this.fence.wrote(position);
  }
}
