import { replay } from '@app/shared-kernel';
import type { RefusalReason } from '../refusal';
import type { UserBalanceCommand } from '../user-balance.commands';
import { userBalance } from '../user-balance.decider';
import type { RequestRefused, UserBalanceEvent } from '../user-balance.events';
import { availableMinor, type UserBalanceState } from '../user-balance.state';

/** The money figures of a state, for one-line assertions. */
export interface Figures {
  readonly availableMinor: number;
  readonly bookedMinor: number;
  readonly holdsMinor: number;
}

export function figuresOf(state: UserBalanceState): Figures {
  return {
    availableMinor: availableMinor(state),
    bookedMinor: state.bookedMinor,
    holdsMinor: state.holdsMinor,
  };
}

/** What a `when` decided, and the state after those events (a fresh fold: nothing is shared). */
export interface Outcome {
  readonly events: readonly UserBalanceEvent[];
  readonly state: UserBalanceState;
  readonly figures: Figures;
}

export interface Scenario {
  /** Asserts the decided events, exactly. */
  then(expected: readonly UserBalanceEvent[]): Outcome;
  /** Asserts a single RequestRefused with this reason (and detail, when given). */
  thenRefused(reason: RefusalReason, detail?: string): Outcome;
}

/**
 * given(events).when(command).then(events): folds `history` from a fresh initial state,
 * decides `command` against it, then folds the decided events onto the same state (decide
 * only reads it, and it is not used afterwards: see the ownership note on `userBalance`).
 */
export function given(history: readonly UserBalanceEvent[]) {
  return {
    when(command: UserBalanceCommand): Scenario {
      const before = replay(userBalance, history);
      const events = userBalance.decide(command, before);
      const state = events.reduce((folded, event) => userBalance.evolve(folded, event), before);
      const outcome: Outcome = { events, state, figures: figuresOf(state) };
      return {
        then(expected) {
          expect(events).toEqual(expected);
          return outcome;
        },
        thenRefused(reason, detail) {
          expect(events.map((event) => event.type)).toEqual(['RequestRefused']);
          const refusal = events[0] as RequestRefused;
          expect(refusal.data.reason).toBe(reason);
          if (detail !== undefined) expect(refusal.data.detail).toBe(detail);
          return outcome;
        },
      };
    },
  };
}
