import { Module } from '@nestjs/common';
import { GetCardLockStateHandler } from './application/get-card-lock-state.query';
import { GetCardHandler } from './application/get-card.query';
import { RecordCardNotificationHandler } from './application/record-card-notification.command';

/** Cards: lock and unlock notifications, the lock state for authorization, the operator's card view. */
@Module({ providers: [RecordCardNotificationHandler, GetCardLockStateHandler, GetCardHandler] })
export class CardsModule {}
