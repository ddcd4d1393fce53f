import { assertNever, type Decider, type RequestRef } from '@app/shared-kernel';
import type { LockReasonsCommand } from './lock-reasons.commands';
import type { LockReasonsEvent } from './lock-reasons.events';
import { initialLockReasonsState, type LockReasonsState, type LockReasonStatus } from './lock-reasons.state';
import { KNOWN_LOCK_REASONS } from './lock-subject';

/**
 * The transactional lock reasons of a user or corporation (DOMAIN.md 4): per reason, the
 * newest `timestamp` wins, whatever the arrival order. Ties go to the add (when Antaca cannot
 * say which came first, the subject stays locked). A removal of a reason never added is
 * recorded too: it orders an older add that may still arrive.
 *
 * Every notification leaves an event, so a repeat (same idempotency key) decides nothing and
 * the history shows everything Antaca said.
 */
export const lockReasons: Decider<LockReasonsCommand, LockReasonsState, LockReasonsEvent> = {
  initialState: initialLockReasonsState,
  evolve,
  decide,
};

/** `recorded`: processed now or before under this key; `reused`: the key came with another request. */
export type LockReasonsRequestOutcome = 'none' | 'recorded' | 'reused';

export function outcomeOfLockReasonsRequest(
  state: LockReasonsState,
  request: RequestRef,
): LockReasonsRequestOutcome {
  const requestHash = state.requests.get(request.idempotencyKey);
  if (requestHash === undefined) return 'none';
  return requestHash === request.requestHash ? 'recorded' : 'reused';
}

function decide(command: LockReasonsCommand, state: LockReasonsState): readonly LockReasonsEvent[] {
  if (state.requests.has(command.request.idempotencyKey)) return [];
  const { request, subject, reason, timestamp, timestampUtc, body } = command;
  const common = {
    subjectType: subject.type,
    subjectId: subject.id,
    reason,
    timestamp,
    timestampUtc,
    request,
    body,
  };
  const newestUtc = state.reasons.get(reason)?.newestUtc;
  switch (command.type) {
    case 'AddLockReason':
      return newestUtc === undefined || timestampUtc >= newestUtc
        ? [{ type: 'LockReasonAdded', data: { ...common, known: KNOWN_LOCK_REASONS.has(reason) } }]
        : [{ type: 'LockReasonNotificationSuperseded', data: { ...common, notification: 'added' } }];
    case 'RemoveLockReason':
      return newestUtc === undefined || timestampUtc > newestUtc
        ? [{ type: 'LockReasonRemoved', data: common }]
        : [{ type: 'LockReasonNotificationSuperseded', data: { ...common, notification: 'removed' } }];
    default:
      return assertNever(command);
  }
}

function evolve(state: LockReasonsState, event: LockReasonsEvent): LockReasonsState {
  const { subjectType, subjectId, reason, timestamp, timestampUtc, request } = event.data;
  const next: LockReasonsState = {
    subject: { type: subjectType, id: subjectId },
    reasons: state.reasons,
    requests: new Map(state.requests).set(request.idempotencyKey, request.requestHash),
  };
  const withReason = (status: LockReasonStatus) => ({
    ...next,
    reasons: new Map(state.reasons).set(reason, status),
  });
  switch (event.type) {
    case 'LockReasonAdded': {
      const current = state.reasons.get(reason);
      const since = current?.active ? current.since : timestamp;
      return withReason({ active: true, since, newestUtc: timestampUtc });
    }
    case 'LockReasonRemoved':
      return withReason({ active: false, since: null, newestUtc: timestampUtc });
    case 'LockReasonNotificationSuperseded':
      return next;
    default:
      return assertNever(event);
  }
}
