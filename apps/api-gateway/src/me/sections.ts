import { Type } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cg/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Metrics } from '@cg/observability';
import { toDomainError } from '../http/problem.filter';

export const SECTION_STATUSES = ['ok', 'unavailable', 'timed_out', 'not_applicable'] as const;
export type SectionStatus = (typeof SECTION_STATUSES)[number];

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
    return { status: code === ErrorCode.UPSTREAM_TIMEOUT ? 'timed_out' : 'unavailable', error: { code, message } };
  }
}

export function notApplicable<T>(message: string): Section<T> {
  return { status: 'not_applicable', error: { code: ErrorCode.NOT_FOUND, message } };
}

/** A section the reader should have had and did not get. */
export function isMissing(section: Section<unknown>): boolean {
  return section.status !== 'ok' && section.status !== 'not_applicable';
}

/**
 * The sections of one view as served: each is counted in `view_sections_total`, and the view is `degraded` when
 * any of them is missing.
 */
export function served<S extends Record<string, Section<unknown>>>(
  metrics: Metrics,
  view: string,
  sections: S,
): S & { degraded: boolean } {
  for (const [name, part] of Object.entries(sections)) {
    metrics.viewSections.inc({ view, section: name, outcome: part.status });
  }
  return { ...sections, degraded: Object.values(sections).some(isMissing) };
}

/** The OpenAPI shape of a section holding `type` (or a list of it), named `name`. */
export function SectionOf(name: string, type: Type<unknown>, isArray = false): Type<Section<unknown>> {
  class SectionShape {
    @ApiProperty({
      enum: [...SECTION_STATUSES],
      description:
        '`unavailable`: the service answering it is down or failed; `timed_out`: it did not answer within the ' +
        'section budget; `not_applicable`: it does not apply to this caller',
    })
    status: SectionStatus;
    @ApiPropertyOptional({ type, isArray }) data?: unknown;
    @ApiPropertyOptional({ type: SectionError }) error?: SectionError;
  }
  Object.defineProperty(SectionShape, 'name', { value: name });
  return SectionShape;
}

/** The OpenAPI description of a view's `degraded` flag. */
export const DEGRADED = {
  description: 'True when a section is unavailable or timed out, so the view is incomplete; not_applicable does not count',
};
