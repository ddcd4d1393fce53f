import { Body, Controller, Logger, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  IDEMPOTENCY_KEY_REUSED,
  IdempotentExecutor,
  type Answer,
  type RequestFingerprint,
} from '@app/security';
import { RecordTransactionNotificationCommand, type TransactionNotificationInput } from '@app/transactions';
import { answerOnce, noContent } from '../../http/answer';
import { parseTransactionNotification } from './transaction-notifier.request.dto';

const IDEMPOTENCY_KEY = 'x-idempotency-key';

/**
 * Legacy Transactions Notifier (`POST /notifications/transaction`): Antaca's account of a
 * transaction, recorded into that transaction's history (`GET /operator/transactions/:id`).
 *
 * Only 200 and 204 are answers Antaca accepts; anything else it resends, byte for byte, up to
 * 5 times. So nothing in the body refuses it: a notification without a usable `transaction.id`
 * is kept in its own stream for reconciliation (and logged, without its body), and a
 * malformed idempotency key falls back to the body hash. The one exception: a key reused for
 * a different body gets 422 IDEMPOTENCY_KEY_REUSED as everywhere (DOMAIN.md 3); that is not a
 * resend, and answering 204 would claim a request was recorded when it was not.
 */
@Controller('notifications')
export class TransactionNotifierHttpController {
  private readonly logger = new Logger(TransactionNotifierHttpController.name);

  constructor(
    private readonly commands: CommandBus,
    private readonly idempotency: IdempotentExecutor,
  ) {}

  @Post('transaction')
  async notify(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const work = (fingerprint: RequestFingerprint) => this.record(body, fingerprint, request.id);
    await answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, work, 'ignore');
  }

  private async record(
    body: unknown,
    fingerprint: RequestFingerprint,
    correlationId: string,
  ): Promise<Answer> {
    const parsed = parseTransactionNotification(body);
    const request = { idempotencyKey: fingerprint.idempotencyKey, requestHash: fingerprint.requestHash };
    const input: TransactionNotificationInput =
      parsed.kind === 'matched'
        ? {
            kind: 'matched',
            notification: {
              lifecycleId: parsed.lifecycleId,
              request,
              status: parsed.status,
              date: parsed.date,
              description: parsed.description,
              invalidFields: parsed.invalidFields,
              transaction: parsed.transaction,
            },
          }
        : {
            kind: 'unmatched',
            notification: { request, invalidFields: parsed.invalidFields, body: parsed.body },
          };
    const outcome = await this.commands.execute(
      new RecordTransactionNotificationCommand(input, correlationId),
    );
    if (parsed.kind === 'unmatched') {
      this.logger.warn(
        `Transaction notification without a usable transaction id kept for reconciliation (invalid: ${parsed.invalidFields.join(', ')}; correlation ${correlationId})`,
      );
    }
    return outcome === 'reused' ? IDEMPOTENCY_KEY_REUSED : noContent;
  }
}
