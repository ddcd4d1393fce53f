import { replay, type Decider, type DomainEvent } from '@app/shared-kernel';

/** given(events).when(command).then(events) for any decider, folding from a fresh initial state. */
export function givenFor<TCommand, TState, TEvent extends DomainEvent>(
  decider: Decider<TCommand, TState, TEvent>,
) {
  return (history: readonly TEvent[]) => ({
    when(command: TCommand) {
      const before = replay(decider, history);
      return {
        then(expected: readonly TEvent[]): { readonly events: readonly TEvent[]; readonly state: TState } {
          const events = decider.decide(command, before);
          expect(events).toEqual(expected);
          return { events, state: replay(decider, [...history, ...events]) };
        },
      };
    },
  });
}
