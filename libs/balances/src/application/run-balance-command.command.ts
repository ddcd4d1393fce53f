import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '@app/event-store';
import type { Refusal } from '../domain/refusal';
import type { UserBalanceCommand } from '../domain/user-balance.commands';
import { outcomeOf, userBalance } from '../domain/user-balance.decider';
import { AuthorizationPolicy } from './authorization-policy';
import { balanceStream } from './balance-stream';
import { WriteFence } from './write-fence';

/** What the balance answered this request: the recorded outcome, also on a replay. */
export type BalanceCommandOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'refused'; readonly refusal: Refusal }
  | { readonly kind: 'reused' };

/** Any UserBalance command; the command's `type` names the use case (Debit, Clear, ...). */
export class RunBalanceCommand extends Command<BalanceCommandOutcome> {
  constructor(
    readonly balanceId: string,
    /** Without `policyRefusal`: the handler asks the AuthorizationPolicy for debits and credits. */
    readonly command: DistributiveOmit<UserBalanceCommand, 'policyRefusal'>,
    readonly correlationId: string,
  ) {
    super();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Load the balance, decide, append; the idempotency key travels in the events, so a retry
 * (after a crash, or on another instance) finds the recorded outcome instead of applying twice.
 */
@CommandHandler(RunBalanceCommand)
export class RunBalanceCommandHandler implements ICommandHandler<RunBalanceCommand, BalanceCommandOutcome> {
  constructor(
    private readonly store: EventStore,
    private readonly policy: AuthorizationPolicy,
    private readonly fence: WriteFence,
  ) {}

  async execute({ balanceId, command, correlationId }: RunBalanceCommand): Promise<BalanceCommandOutcome> {
    const complete: UserBalanceCommand =
      command.type === 'Debit' || command.type === 'Credit'
        ? {
            ...command,
            policyRefusal: await this.policy.evaluate({ balanceId, transaction: command.transaction }),
          }
        : command;
    const result = await this.store.handle(balanceStream(balanceId), userBalance, complete, {
      metadata: { idempotencyKey: command.request.idempotencyKey, correlationId },
    });
    this.fence.wrote(result.position);
    const outcome = outcomeOf(result.state, command.request);
    // No recorded outcome means the decider found nothing to change (linking again): accepted.
    return outcome.kind === 'none' ? { kind: 'accepted' } : outcome;
  }
}
