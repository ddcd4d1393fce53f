/**
 * A place in the global log (`$all`), as EventStoreDB gives it: a commit and a prepare
 * position. For gRPC appends both are the event's own log position; only events of the
 * old explicit (TCP) transactions share a commit position and differ by prepare. Keeping
 * both makes resuming exact in either case. The embedded store uses its sequence for both.
 */
export interface LogPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START_OF_LOG: LogPosition = { commit: -1n, prepare: -1n };

export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Serialised form for checkpoints: `commit/prepare`, both decimal. */
export function formatLogPosition(position: LogPosition): string {
  return `${position.commit}/${position.prepare}`;
}

export function parseLogPosition(text: string): LogPosition {
  const match = /^(-?\d+)\/(-?\d+)$/.exec(text);
  if (!match) throw new Error(`Not a log position: ${JSON.stringify(text)}`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}
