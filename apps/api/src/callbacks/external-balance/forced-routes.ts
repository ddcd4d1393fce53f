/** The routes that never refuse (DOMAIN.md 2, "Forced means forced"). */
const FORCED = new Set(['/transactions/force-debit', '/transactions/force-credit', '/transactions/reversal']);

export function isForcedRoute(path: string): boolean {
  return FORCED.has(path);
}
