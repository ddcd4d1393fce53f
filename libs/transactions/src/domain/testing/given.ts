import { replay } from '@app/shared-kernel';
import type { TransactionCommand } from '../transaction.commands';
import { transaction } from '../transaction.decider';
import type { TransactionEvent } from '../transaction.events';
import type { TransactionState } from '../transaction.state';

export interface Outcome {
  readonly events: readonly TransactionEvent[];
  /** The state after the history and the decided events. */
  readonly state: TransactionState;
}

/** given(events).when(command).then(events), folding from a fresh initial state. */
export function given(history: readonly TransactionEvent[]) {
  return {
    when(command: TransactionCommand) {
      const before = replay(transaction, history);
      const decide = () => transaction.decide(command, before);
      return {
        then(expected: readonly TransactionEvent[]): Outcome {
          const events = decide();
          expect(events).toEqual(expected);
          return { events, state: replay(transaction, [...history, ...events]) };
        },
        thenThrows(message: RegExp): void {
          expect(decide).toThrow(message);
        },
      };
    },
  };
}
