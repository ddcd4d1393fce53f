import type { CommandBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { RecordUnreadableForcedRequestCommand } from '@app/balances';
import { fingerprintOf } from '../../http/answer';
import { rawBodyOf } from '../../http/json-body';
import { forcedCommandOf } from './forced-routes';

/**
 * A forced request refused before its controller ran (a JWE refusal: nothing could be read
 * from it) is still kept whole for reconciliation, as an unreadable forced request is: the
 * money already moved at Antaca. Its body is kept as received (an encrypted one stays
 * encrypted); the idempotency key, or the hash of those bytes, names it.
 */
export async function recordRefusedForcedRequest(
  commands: CommandBus,
  request: FastifyRequest,
): Promise<void> {
  const path = request.url.split('?')[0] ?? request.url;
  const command = forcedCommandOf(path);
  if (!command) return;
  await commands.execute(
    new RecordUnreadableForcedRequestCommand(
      command,
      ['payload'],
      rawBodyOf(request)?.toString('utf8') ?? '',
      fingerprintOf(request, 'x-idempotency-key', 'ignore'),
      request.id,
    ),
  );
}
