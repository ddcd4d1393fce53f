import { applyDecorators } from '@nestjs/common';
import { Expose, Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/** Marks a value that was present but could not be parsed (so validation can name the field). */
class Unparsable {
  constructor(readonly raw: unknown) {}
}

/**
 * A DTO property read with one of the lenient parsers (`http/lenient.ts`): exposed (so it is
 * bound), parsed, and valid when the parser accepted it, or when it is absent and optional.
 * `null` counts as absent: Antaca sends `null` for fields it has no value for.
 */
export function LenientField(
  parse: (value: unknown) => unknown,
  options: { required: boolean },
): PropertyDecorator {
  return applyDecorators(
    Expose(),
    Transform(({ value }: { value: unknown }) => {
      if (value === undefined || value === null) return undefined;
      const parsed = parse(value);
      return parsed === undefined ? new Unparsable(value) : parsed;
    }),
    ValidateBy({
      name: 'lenientField',
      validator: {
        validate: (value: unknown) =>
          value === undefined ? !options.required : !(value instanceof Unparsable),
        defaultMessage: () => 'invalid',
      },
    }),
  );
}

/** Free text up to `max` characters (descriptions, types, statuses). */
export const text =
  (max: number) =>
  (value: unknown): string | undefined =>
    typeof value === 'string' && value.length <= max ? value : undefined;

/** ISO 8601 with a time and an offset (`2023-01-01T10:10:54+00:00`, `...Z`). */
export const isoDateTime = (value: unknown): string | undefined =>
  typeof value === 'string' &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) &&
  !Number.isNaN(Date.parse(value))
    ? value
    : undefined;

/** A JSON object (not an array). Antaca sends `[]` for an empty `transactionData`: accepted as none. */
export const jsonObject = (value: unknown): Record<string, unknown> | undefined => {
  if (Array.isArray(value) && value.length === 0) return {};
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
};
