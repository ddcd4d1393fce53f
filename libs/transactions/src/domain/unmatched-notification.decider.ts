import { assertNever, type Decider, type DomainEvent, type RequestRef } from '@app/shared-kernel';

/**
 * A transaction notification that names no usable transaction `id`, so it belongs to no
 * lifecycle. The notifier accepts only 2xx answers (any other makes Antaca resend the same
 * bytes up to 5 times, to the same result), so it is answered 204 and kept here, one stream
 * per notifier request, for someone to reconcile by hand.
 *
 * Stream `unmatchedTransactionNotification-<id>`, `<id>` derived from the request's
 * idempotency key by the application (keys are free text; stream ids are not).
 */
export const unmatchedNotificationStream = (id: string): string => `unmatchedTransactionNotification-${id}`;

export type TransactionNotificationUnmatched = DomainEvent<
  'TransactionNotificationUnmatched',
  {
    readonly request: RequestRef;
    /** Why it matched nothing: the fields that were missing or unusable. */
    readonly invalidFields: readonly string[];
    /** The body as parsed JSON, or its text when it was not JSON. */
    readonly body: unknown;
  }
>;

export type UnmatchedNotificationEvent = TransactionNotificationUnmatched;

export interface RecordUnmatchedNotification {
  readonly type: 'RecordUnmatchedNotification';
  readonly notification: TransactionNotificationUnmatched['data'];
}

export type UnmatchedNotificationCommand = RecordUnmatchedNotification;

export interface UnmatchedNotificationState {
  /** The request recorded in this stream; `null` before it. */
  readonly request: RequestRef | null;
}

/** Records the request once; a repeat (or a reuse of its key) decides nothing. */
export const unmatchedNotification: Decider<
  UnmatchedNotificationCommand,
  UnmatchedNotificationState,
  UnmatchedNotificationEvent
> = {
  initialState: () => ({ request: null }),
  evolve: (_state, event) => {
    switch (event.type) {
      case 'TransactionNotificationUnmatched':
        return { request: event.data.request };
      default:
        return assertNever(event.type);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordUnmatchedNotification':
        return state.request === null
          ? [{ type: 'TransactionNotificationUnmatched', data: command.notification }]
          : [];
      default:
        return assertNever(command.type);
    }
  },
};

/** `recorded` for this request (first time or a repeat), `reused` when its key named another. */
export function unmatchedOutcomeOf(
  state: UnmatchedNotificationState,
  request: RequestRef,
): 'recorded' | 'reused' {
  return state.request === null || state.request.requestHash === request.requestHash ? 'recorded' : 'reused';
}
