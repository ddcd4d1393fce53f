import { Module } from '@nestjs/common';
import { GetActiveLockReasonsHandler } from './application/get-active-lock-reasons.query';
import { RecordLockReasonNotificationHandler } from './application/record-lock-reason-notification.command';

/** Transactional lock reasons of users and corporations: their notifications, and the active set for authorization. */
@Module({ providers: [RecordLockReasonNotificationHandler, GetActiveLockReasonsHandler] })
export class LockReasonsModule {}
