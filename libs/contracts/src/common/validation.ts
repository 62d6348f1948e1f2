import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateIf, ValidateNested, type ValidationError } from 'class-validator';
import { FieldError } from '../errors';

type Constructor = new (...args: never[]) => object;

function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** Optional, but `null` is refused: `@IsOptional` lets it through to code that expects a value or nothing. */
export const OmitOrGive = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);

/** A nested object that must be given: missing, null, an array or a scalar is a field error, not a crash. */
export const NestedObject = (type: () => Constructor): PropertyDecorator =>
  all(IsDefined(), IsObject(), ValidateNested(), Type(type));

/** A nested object that may be left out; when given (null included) it must be a valid object. */
export const OptionalNestedObject = (type: () => Constructor): PropertyDecorator =>
  all(OmitOrGive(), IsObject(), ValidateNested(), Type(type));

/** Flattens class-validator's tree into `field: reason` pairs, with dotted paths for nested fields. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}
