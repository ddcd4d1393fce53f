import { Module } from '@nestjs/common';
import { GetActiveLockReasonsHandler } from './application/get-active-lock-reasons.query';
import { GetLockReasonsHandler } from './application/get-lock-reasons.query';
import { RecordLockReasonNotificationHandler } from './application/record-lock-reason-notification.command';

/** Transactional lock reasons of users and corporations: their notifications, and the active set for authorization, the operator's view. */
@Module({
  providers: [RecordLockReasonNotificationHandler, GetActiveLockReasonsHandler, GetLockReasonsHandler],
})
export class LockReasonsModule {}
