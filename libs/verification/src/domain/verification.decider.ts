import { assertNever, type Decider } from '@app/shared-kernel';
import { isDecision, type NotificationRequest, type VerificationVerdict } from './kyc';
import type { IgnoredBecause, NotifiedUser, VerificationEvent } from './verification.events';

/** Stream of one KYC verification: `verification-<verificationId>` (lower-case UUID). */
export const verificationStream = (verificationId: string): string => `verification-${verificationId}`;

/** One `POST /notifications/verification{InProgress,Accepted,Rejected}`, already parsed. */
export interface RecordVerificationNotification {
  readonly type: 'RecordVerificationNotification';
  readonly request: NotificationRequest;
  readonly verificationId: string;
  readonly userId: string;
  readonly verdict: VerificationVerdict;
  readonly user: NotifiedUser;
  readonly body: Readonly<Record<string, unknown>>;
}

export type VerificationCommand = RecordVerificationNotification;

/** A processed notification, by idempotency key. */
export interface RecordedNotification {
  readonly requestHash: string;
  /** The `sequence` of the change it made; `null` when it was ignored. */
  readonly changedAt: number | null;
}

/** One KYC verification (stream `verification-<verificationId>`), as `evolve` leaves it. */
export interface VerificationState {
  readonly verificationId: string | null;
  /** The user of its first notification; a notification naming another user is ignored. */
  readonly userId: string | null;
  /** The current status (and reason); `null` before the first notification. */
  readonly verdict: VerificationVerdict | null;
  /** Number of status changes so far. */
  readonly sequence: number;
  readonly requests: ReadonlyMap<string, RecordedNotification>;
}

/**
 * The Verification decider (DOMAIN.md 4, KYC verification). Notifications carry no date, so
 * arrival order is the only order there is:
 * - the first notification sets the status, whatever it is;
 * - a decision (ACCEPTED, REJECTED) replaces whatever came before, the opposite decision
 *   included: Antaca re-reviewed, and its latest word is the one we act on;
 * - IN_PROGRESS after a decision is a late delivery: recorded, ignored;
 * - the same status and reason again changes nothing (recorded, ignored);
 * - a repeat of a processed request (same idempotency key) decides nothing: `outcomeOf`
 *   tells the recorded answer, or a reuse of the key for another request.
 */
export const verification: Decider<VerificationCommand, VerificationState, VerificationEvent> = {
  initialState: () => ({
    verificationId: null,
    userId: null,
    verdict: null,
    sequence: 0,
    requests: new Map(),
  }),
  evolve,
  decide,
};

function decide(command: VerificationCommand, state: VerificationState): VerificationEvent[] {
  switch (command.type) {
    case 'RecordVerificationNotification':
      return decideNotification(command, state);
    default:
      return assertNever(command.type);
  }
}

function decideNotification(
  command: RecordVerificationNotification,
  state: VerificationState,
): VerificationEvent[] {
  if (state.requests.has(command.request.idempotencyKey)) return [];
  const because = whyIgnored(command, state);
  if (because !== null)
    return [{ type: 'VerificationNotificationIgnored', data: { ...fromNotification(command), because } }];
  const previous = state.verdict && { status: state.verdict.status, reason: state.verdict.reason };
  return [
    {
      type: 'VerificationStatusChanged',
      data: { ...fromNotification(command), sequence: state.sequence + 1, previous },
    },
  ];
}

function whyIgnored(
  command: RecordVerificationNotification,
  state: VerificationState,
): IgnoredBecause | null {
  if (state.userId !== null && state.userId !== command.userId) return 'OTHER_USER';
  const current = state.verdict;
  if (current === null) return null;
  if (command.verdict.status === 'IN_PROGRESS' && isDecision(current.status)) return 'LATE_IN_PROGRESS';
  if (command.verdict.status === current.status && command.verdict.reason === current.reason)
    return 'UNCHANGED';
  return null;
}

function fromNotification(command: RecordVerificationNotification) {
  const { verificationId, userId, verdict, user, request, body } = command;
  return { verificationId, userId, status: verdict.status, reason: verdict.reason, user, request, body };
}

function evolve(state: VerificationState, event: VerificationEvent): VerificationState {
  const { request } = event.data;
  switch (event.type) {
    case 'VerificationStatusChanged': {
      const { verificationId, userId, sequence } = event.data;
      return {
        verificationId,
        userId,
        verdict: verdictOf(event.data),
        sequence,
        requests: withRequest(state.requests, request, sequence),
      };
    }
    case 'VerificationNotificationIgnored':
      return { ...state, requests: withRequest(state.requests, request, null) };
    default:
      return assertNever(event);
  }
}

/** Rebuilds the verdict from an event's flat `status` and `reason`, which `decide` only ever writes in pairs. */
function verdictOf(data: Pick<VerificationEvent['data'], 'status' | 'reason'>): VerificationVerdict {
  if (data.status === 'REJECTED') {
    if (data.reason === null) throw new Error('A REJECTED verification event without a reason');
    return { status: 'REJECTED', reason: data.reason };
  }
  return { status: data.status, reason: null };
}

function withRequest(
  requests: ReadonlyMap<string, RecordedNotification>,
  request: NotificationRequest,
  changedAt: number | null,
): ReadonlyMap<string, RecordedNotification> {
  return new Map(requests).set(request.idempotencyKey, { requestHash: request.requestHash, changedAt });
}

/** How the application answers a notification after `handle()`. */
export type NotificationOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'changed'; readonly sequence: number }
  | { readonly kind: 'ignored' }
  | { readonly kind: 'reused' };

/**
 * What `request` did to this verification: `changed` (at `sequence`) or `ignored` when it was
 * recorded with this hash, `reused` when its key was recorded for another request, `none`
 * when it was never recorded.
 */
export function outcomeOf(state: VerificationState, request: NotificationRequest): NotificationOutcome {
  const recorded = state.requests.get(request.idempotencyKey);
  if (recorded === undefined) return { kind: 'none' };
  if (recorded.requestHash !== request.requestHash) return { kind: 'reused' };
  return recorded.changedAt === null
    ? { kind: 'ignored' }
    : { kind: 'changed', sequence: recorded.changedAt };
}
