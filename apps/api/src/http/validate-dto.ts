import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export type DtoResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly fields: string[] };

/**
 * Builds a DTO from only the properties it declares with `@Expose()` (unknown fields stay in
 * the raw body, never bound) and validates it. Returns the dotted names of the bad fields.
 */
export function validateDto<T extends object>(type: ClassConstructor<T>, body: unknown): DtoResult<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, fields: ['body'] };
  const value = plainToInstance(type, body, { excludeExtraneousValues: true, exposeDefaultValues: true });
  const errors = validateSync(value, { forbidUnknownValues: false });
  return errors.length === 0 ? { ok: true, value } : { ok: false, fields: fieldNames(errors) };
}

function fieldNames(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const name = parent ? `${parent}.${error.property}` : error.property;
    return error.children?.length ? fieldNames(error.children, name) : [name];
  });
}
