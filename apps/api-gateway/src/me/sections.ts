import { Type } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cg/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toDomainError } from '../http/problem.filter';

export type SectionStatus = 'ok' | 'unavailable' | 'not_applicable';

export class SectionError {
  @ApiProperty({ enum: ErrorCode }) code: ErrorCode;
  @ApiProperty() message: string;
}

export interface Section<T> {
  status: SectionStatus;
  data?: T;
  error?: DomainError;
}

/**
 * One part of an aggregate view: its own failure (a service down or slow, a record missing) is reported
 * inside the section, so the rest of the view still answers.
 */
export async function section<T>(load: () => Promise<T>): Promise<Section<T>> {
  try {
    return { status: 'ok', data: await load() };
  } catch (error) {
    const { code, message } = toDomainError(error);
    return { status: 'unavailable', error: { code, message } };
  }
}

export function notApplicable<T>(message: string): Section<T> {
  return { status: 'not_applicable', error: { code: ErrorCode.NOT_FOUND, message } };
}

/** The OpenAPI shape of a section holding `type` (or a list of it), named `name`. */
export function SectionOf(name: string, type: Type<unknown>, isArray = false): Type<Section<unknown>> {
  class SectionShape {
    @ApiProperty({ enum: ['ok', 'unavailable', 'not_applicable'] }) status: SectionStatus;
    @ApiPropertyOptional({ type, isArray }) data?: unknown;
    @ApiPropertyOptional({ type: SectionError }) error?: SectionError;
  }
  Object.defineProperty(SectionShape, 'name', { value: name });
  return SectionShape;
}
