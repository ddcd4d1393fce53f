/**
 * Like `assertNever`, for events: makes a missing `case` a compile error, and at run time
 * names only the type. The shared `assertNever` prints the whole value, and an event's data
 * (a request body) must not end up in an error message or a log.
 */
export function unexpectedType(event: never): never {
  const type: unknown = (event as { readonly type?: unknown }).type;
  throw new Error(`Unexpected event type: ${JSON.stringify(type)}`);
}
