import { Module } from '@nestjs/common';
import { GetUserKycHandler } from './application/get-user-kyc.query';
import { RecordVerificationNotificationHandler } from './application/record-verification-notification.command';

/**
 * KYC: the Verification aggregate (`verification-<id>`) and each user's KYC (`kyc-<userId>`).
 * Registers unknown users through `RegisterUserCommand`, so the app must import UsersModule.
 */
@Module({ providers: [RecordVerificationNotificationHandler, GetUserKycHandler] })
export class VerificationModule {}
