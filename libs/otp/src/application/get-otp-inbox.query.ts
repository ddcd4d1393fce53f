import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/shared-kernel';
import { OtpOutbox } from '../infrastructure/otp-outbox';

export interface OtpInboxEntry {
  readonly deliveryId: string;
  readonly otp: string;
  readonly cardId: string;
  readonly customerId: string;
  readonly balanceId: string;
  readonly amount: number;
  readonly currency: string;
  readonly merchantName: string;
  readonly requestedAt: string;
  readonly expiresAt: string;
}

/** The dev inbox of one card: its codes not yet expired, newest first. */
export class GetOtpInboxQuery extends Query<OtpInboxEntry[]> {
  constructor(readonly cardId: string) {
    super();
  }
}

@QueryHandler(GetOtpInboxQuery)
export class GetOtpInboxHandler implements IQueryHandler<GetOtpInboxQuery, OtpInboxEntry[]> {
  constructor(
    private readonly outbox: OtpOutbox,
    private readonly clock: Clock,
  ) {}

  async execute({ cardId }: GetOtpInboxQuery): Promise<OtpInboxEntry[]> {
    return this.outbox.inbox(cardId, this.clock.now().getTime()).map(({ delivery, otp }) => ({
      deliveryId: delivery.deliveryId,
      otp,
      cardId: delivery.cardId,
      customerId: delivery.customerId,
      balanceId: delivery.balanceId,
      amount: delivery.amountMinor,
      currency: delivery.currency,
      merchantName: delivery.merchantName,
      requestedAt: delivery.requestedAt,
      expiresAt: delivery.expiresAt,
    }));
  }
}
