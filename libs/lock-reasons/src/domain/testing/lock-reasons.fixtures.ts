import type { RequestRef } from '@app/shared-kernel';
import type { AddLockReason, LockReasonsCommand, RemoveLockReason } from '../lock-reasons.commands';
import type { LockReasonsEvent } from '../lock-reasons.events';
import { KNOWN_LOCK_REASONS, type LockSubject } from '../lock-subject';

/** The seeds' own example subject. */
export const CORPORATION: LockSubject = { type: 'corporation', id: 'a3f33118-946d-4b9c-b27f-e009d28355fa' };

let counter = 0;

export function requestRef(): RequestRef {
  counter += 1;
  return { idempotencyKey: `key-${counter}`, requestHash: `hash-${counter}` };
}

/** `2025-06-17T<hh>:00:00+02:00`: timestamps of the same day, ordered by hour, in a non-UTC offset. */
function at(hour: number) {
  const timestamp = `2025-06-17T${String(hour).padStart(2, '0')}:00:00+02:00`;
  return { timestamp, timestampUtc: new Date(timestamp).toISOString() };
}

function notification(reason: string, hour: number, request: RequestRef, subject: LockSubject) {
  const body = { resourceType: subject.type, resourceId: subject.id, lockReason: reason, ...at(hour) };
  return { request, subject, reason, ...at(hour), body };
}

export function add(
  reason: string,
  hour: number,
  request = requestRef(),
  subject = CORPORATION,
): AddLockReason {
  return { type: 'AddLockReason', ...notification(reason, hour, request, subject) };
}

export function remove(
  reason: string,
  hour: number,
  request = requestRef(),
  subject = CORPORATION,
): RemoveLockReason {
  return { type: 'RemoveLockReason', ...notification(reason, hour, request, subject) };
}

function common(command: LockReasonsCommand) {
  const { request, subject, reason, timestamp, timestampUtc, body } = command;
  return { subjectType: subject.type, subjectId: subject.id, reason, timestamp, timestampUtc, request, body };
}

export function added(command: AddLockReason): LockReasonsEvent {
  return {
    type: 'LockReasonAdded',
    data: { ...common(command), known: KNOWN_LOCK_REASONS.has(command.reason) },
  };
}

export function removed(command: RemoveLockReason): LockReasonsEvent {
  return { type: 'LockReasonRemoved', data: common(command) };
}

export function superseded(command: LockReasonsCommand): LockReasonsEvent {
  const notification = command.type === 'AddLockReason' ? 'added' : 'removed';
  return { type: 'LockReasonNotificationSuperseded', data: { ...common(command), notification } };
}
