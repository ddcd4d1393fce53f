import { Body, Controller, Param, Post, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  RecordUnreadableForcedRequestCommand,
  RunBalanceCommand,
  type BalanceCommandOutcome,
  type ForcedCommandType,
} from '@app/balances';
import {
  IDEMPOTENCY_KEY_REUSED,
  IdempotentExecutor,
  type Answer,
  type RequestFingerprint,
} from '@app/security';
import { withoutSecrets, maskCardNumbersIn } from '@app/shared-kernel';
import { answerOnce, invalidRequest, noContent, problem } from '../../http/answer';
import { rawBodyOf } from '../../http/json-body';
import { parseLooseId } from '../../http/lenient';
import { parseCardTransaction, parseForcedTransaction } from './card-transaction.request.dto';
import { answerFor } from './refusal-answers';

const IDEMPOTENCY_KEY = 'x-idempotency-key';

/**
 * External Balance: the money path (seeds: debit, force-debit, credit, force-credit,
 * reversal, update transaction status). Debit, credit and clearing may refuse; the forced
 * ones never do: what cannot be applied is recorded in suspense and still answered 204.
 */
@Controller('transactions')
export class TransactionsHttpController {
  constructor(
    private readonly commands: CommandBus,
    private readonly idempotency: IdempotentExecutor,
  ) {}

  @Post('debit')
  debit(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.refusable('Debit', body, request, reply);
  }

  @Post('credit')
  credit(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.refusable('Credit', body, request, reply);
  }

  @Post('force-debit')
  forceDebit(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.forced('ForceDebit', body, request, reply);
  }

  @Post('force-credit')
  forceCredit(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.forced('ForceCredit', body, request, reply);
  }

  @Post('reversal')
  reversal(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forced('Reverse', body, request, reply);
  }

  /** Clearing: `:transactionId` is a network id, used to match when the body's `id` does not. */
  @Put(':transactionId')
  async clear(
    @Param('transactionId') rawTransactionId: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, async (fingerprint) => {
      const pathTransactionId = parseLooseId(rawTransactionId);
      if (!pathTransactionId)
        return problem(404, 'TRANSACTION_NOT_FOUND', 'cannot find requested transaction');
      const parsed = parseCardTransaction(body);
      if (parsed.kind === 'invalid') return invalidRequest(parsed.fields);
      const { balanceId, transaction } = parsed;
      return answerFor(
        await this.run(
          balanceId,
          { type: 'Clear', request: fingerprint, transaction, body: recordable(body), pathTransactionId },
          request,
        ),
      );
    });
  }

  private async refusable(
    type: 'Debit' | 'Credit',
    body: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    await answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, async (fingerprint) => {
      const parsed = parseCardTransaction(body);
      if (parsed.kind === 'invalid') return invalidRequest(parsed.fields);
      const { balanceId, transaction } = parsed;
      return answerFor(
        await this.run(
          balanceId,
          { type, request: fingerprint, transaction, body: recordable(body) },
          request,
        ),
      );
    });
  }

  private forced(
    type: ForcedCommandType,
    body: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    // A malformed key must not refuse a forced request: the body hash identifies it instead.
    const work = (fingerprint: RequestFingerprint) => this.applyForced(type, body, request, fingerprint);
    return answerOnce(this.idempotency, request, reply, IDEMPOTENCY_KEY, work, 'ignore');
  }

  private async applyForced(
    type: ForcedCommandType,
    body: unknown,
    request: FastifyRequest,
    fingerprint: RequestFingerprint,
  ): Promise<Answer> {
    const parsed = parseForcedTransaction(body);
    if (parsed.kind === 'unusable') {
      // Nothing can be applied, but the money moved at Antaca: keep the request for reconciliation.
      await this.commands.execute(
        new RecordUnreadableForcedRequestCommand(
          type,
          parsed.fields,
          rawText(request),
          fingerprint,
          request.id,
        ),
      );
      return invalidRequest(parsed.fields);
    }
    const { balanceId, transaction } = parsed;
    const outcome = await this.run(
      balanceId,
      { type, request: fingerprint, transaction, body: recordable(body) },
      request,
    );
    return outcome.kind === 'reused' ? IDEMPOTENCY_KEY_REUSED : noContent;
  }

  private run(
    balanceId: string,
    command: RunBalanceCommand['command'],
    request: FastifyRequest,
  ): Promise<BalanceCommandOutcome> {
    return this.commands.execute(new RunBalanceCommand(balanceId, command, request.id));
  }
}

/** The body as it goes into the events: as received, minus secrets (DOMAIN.md 7). */
function recordable(body: unknown): Record<string, unknown> {
  return withoutSecrets(body) as Record<string, unknown>;
}

function rawText(request: FastifyRequest): string {
  return maskCardNumbersIn(rawBodyOf(request)?.toString('utf8') ?? '');
}
