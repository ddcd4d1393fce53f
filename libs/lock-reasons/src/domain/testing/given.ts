import { replay } from '@app/shared-kernel';
import type { LockReasonsCommand } from '../lock-reasons.commands';
import { lockReasons } from '../lock-reasons.decider';
import type { LockReasonsEvent } from '../lock-reasons.events';
import type { LockReasonsState } from '../lock-reasons.state';

export interface Outcome {
  readonly events: readonly LockReasonsEvent[];
  /** The state after the history and the decided events. */
  readonly state: LockReasonsState;
}

/** given(events).when(command).then(events), folding from a fresh initial state. */
export function given(history: readonly LockReasonsEvent[]) {
  return {
    when(command: LockReasonsCommand) {
      return {
        then(expected: readonly LockReasonsEvent[]): Outcome {
          const events = lockReasons.decide(command, replay(lockReasons, history));
          expect(events).toEqual(expected);
          return { events, state: replay(lockReasons, [...history, ...events]) };
        },
      };
    },
  };
}
