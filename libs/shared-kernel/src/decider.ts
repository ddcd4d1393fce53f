import type { DomainEvent } from './domain-event';

/**
 * A pure decision model (the "decider" pattern): no framework, no clock, no I/O.
 * Time, ids and everything else that varies come in through the command.
 *
 * - `initialState()`: the state of a stream that has no events yet;
 * - `evolve(state, event)`: the state after one more event; must be total and deterministic,
 *   because replaying a stream must always give the same state;
 * - `decide(command, state)`: the events the command produces; an empty list means
 *   "nothing to record" (for example an exact replay of an already recorded request).
 */
export interface Decider<TCommand, TState, TEvent extends DomainEvent> {
  initialState(): TState;
  evolve(state: TState, event: TEvent): TState;
  decide(command: TCommand, state: TState): readonly TEvent[];
}

/** Folds events over the decider's initial state. */
export function replay<TState, TEvent extends DomainEvent>(
  decider: Pick<Decider<unknown, TState, TEvent>, 'initialState' | 'evolve'>,
  events: Iterable<TEvent>,
): TState {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
