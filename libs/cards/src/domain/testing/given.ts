import { replay } from '@app/shared-kernel';
import type { CardCommand } from '../card.commands';
import { card } from '../card.decider';
import type { CardEvent } from '../card.events';
import type { CardState } from '../card.state';

export interface Outcome {
  readonly events: readonly CardEvent[];
  /** The state after the history and the decided events. */
  readonly state: CardState;
}

/** given(events).when(command).then(events), folding from a fresh initial state. */
export function given(history: readonly CardEvent[]) {
  return {
    when(command: CardCommand) {
      return {
        then(expected: readonly CardEvent[]): Outcome {
          const events = card.decide(command, replay(card, history));
          expect(events).toEqual(expected);
          return { events, state: replay(card, [...history, ...events]) };
        },
      };
    },
  };
}
