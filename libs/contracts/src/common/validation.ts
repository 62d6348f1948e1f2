import type { ValidationError } from 'class-validator';
import { FieldError } from '../errors';

/** Flattens class-validator's tree into `field: reason` pairs, with dotted paths for nested fields. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}
