export const BALANCE_CATEGORY = 'balance';
const PREFIX = `${BALANCE_CATEGORY}-`;

/** Stream of one balance: `balance-<balanceId>` (lower-case UUID). */
export const balanceStream = (balanceId: string): string => `${PREFIX}${balanceId}`;

/** The balance id of a balance stream, or undefined for any other stream. */
export const balanceIdOf = (streamId: string): string | undefined =>
  streamId.startsWith(PREFIX) ? streamId.slice(PREFIX.length) : undefined;
