import type { ForcedCommandType } from '@app/balances';

/** The routes that never refuse (DOMAIN.md 2, "Forced means forced"), and the command of each. */
const FORCED: ReadonlyMap<string, ForcedCommandType> = new Map([
  ['/transactions/force-debit', 'ForceDebit'],
  ['/transactions/force-credit', 'ForceCredit'],
  ['/transactions/reversal', 'Reverse'],
]);

export function isForcedRoute(path: string): boolean {
  return FORCED.has(path);
}

export function forcedCommandOf(path: string): ForcedCommandType | undefined {
  return FORCED.get(path);
}
