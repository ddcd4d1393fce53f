/**
 * The only source of "now" outside tests. Injected so replay and tests stay deterministic.
 * An abstract class rather than an interface so it can also serve as a DI token.
 */
export abstract class Clock {
  abstract now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
