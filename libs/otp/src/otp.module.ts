import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Logger, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { GetOtpInboxHandler } from './application/get-otp-inbox.query';
import {
  OTP_CHANNEL,
  OtpDeliveryWorker,
  WEBHOOK_TIMEOUT_MS,
  type OtpChannelConfig,
} from './application/otp-delivery.worker';
import { RequestOtpDeliveryHandler } from './application/request-otp-delivery.command';
import { OtpOutbox } from './infrastructure/otp-outbox';
import { loadOtpCodeCipher, resolveOtpWebhookSecret } from './infrastructure/otp-secrets';
import { OtpWebhook } from './infrastructure/otp-webhook';

/**
 * 3DS OTP delivery: the outbox (`DATA_DIR/otp-outbox.sqlite`, codes encrypted with
 * `DATA_DIR/otp-outbox.key`), its worker, and the channel: the webhook when `OTP_WEBHOOK_URL`
 * is set, else the dev inbox. Needs the (global) EventStoreModule for `EventStore` and `Clock`.
 */
@Module({
  providers: [
    {
      provide: OtpOutbox,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        mkdirSync(config.dataDir, { recursive: true });
        return new OtpOutbox(join(config.dataDir, 'otp-outbox.sqlite'), loadOtpCodeCipher(config.dataDir));
      },
    },
    {
      provide: OTP_CHANNEL,
      inject: [AppConfig],
      useFactory: (config: AppConfig): OtpChannelConfig => {
        if (config.otpWebhookUrl === undefined) return { kind: 'dev-inbox' };
        const { secret, generatedFile } = resolveOtpWebhookSecret(config);
        if (generatedFile !== undefined) {
          new Logger('OtpDelivery').warn(
            `OTP_WEBHOOK_SECRET is not set: webhook deliveries are signed with the dev secret in ${generatedFile}`,
          );
        }
        return {
          kind: 'webhook',
          webhook: new OtpWebhook({ url: config.otpWebhookUrl, secret, timeoutMs: WEBHOOK_TIMEOUT_MS }),
        };
      },
    },
    OtpDeliveryWorker,
    RequestOtpDeliveryHandler,
    GetOtpInboxHandler,
  ],
})
export class OtpModule {}
