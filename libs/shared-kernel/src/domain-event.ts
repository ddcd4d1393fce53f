/**
 * An event as the domain sees it: a stable, past-tense type string and plain JSON data.
 * Ids, positions and timestamps of the log are the store's business (RecordedEvent).
 */
export interface DomainEvent<TType extends string = string, TData extends object = object> {
  readonly type: TType;
  readonly data: TData;
}
