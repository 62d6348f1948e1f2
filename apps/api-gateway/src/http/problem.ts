import { HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode, FieldError } from '@cg/contracts';

class FieldErrorView implements FieldError {
  @ApiProperty({ example: 'phone' }) field: string;
  @ApiProperty({ example: 'phone must be 5-20 digits, optionally with a leading +' }) reason: string;
}

/** RFC 9457 problem details, with our stable `code`. */
export class Problem {
  @ApiProperty({ example: 'https://errors.co-governance.local/UNIT_NOT_FOUND' }) type: string;
  @ApiProperty({ example: 'Not Found' }) title: string;
  @ApiProperty({ example: 404 }) status: number;
  @ApiProperty({ enum: ErrorCode, example: ErrorCode.UNIT_NOT_FOUND }) code: ErrorCode;
  @ApiProperty({ example: 'No unit 665f1b2c9d3e4a0012345678 in this community' }) detail: string;
  @ApiProperty({ example: '/api/v1/communities/665f.../residents' }) instance: string;
  @ApiProperty({ example: '2b1c7a0e-0c4e-4a57-9f0a-3d9b8c1e2f10' }) requestId: string;
  @ApiPropertyOptional({ type: [FieldErrorView] }) errors?: FieldError[];
}

/** The one place a code becomes an HTTP status. Exhaustive: a new code does not compile until it is mapped. */
export function statusOf(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.IMPORT_REJECTED:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.TOKEN_EXPIRED:
    case ErrorCode.INVALID_CREDENTIALS:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.FORBIDDEN:
    case ErrorCode.NOT_ELIGIBLE:
    case ErrorCode.API_KEY_INVALID:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NOT_FOUND:
    case ErrorCode.COMMUNITY_NOT_FOUND:
    case ErrorCode.NODE_NOT_FOUND:
    case ErrorCode.UNIT_NOT_FOUND:
    case ErrorCode.RESIDENT_NOT_FOUND:
    case ErrorCode.PARTNER_NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.CODE_TAKEN:
    case ErrorCode.USERNAME_TAKEN:
    case ErrorCode.ALREADY_REGISTERED:
    case ErrorCode.ID_NUMBER_TAKEN:
    case ErrorCode.CONFLICT:
    case ErrorCode.INVALID_TRANSITION:
    case ErrorCode.OUTSIDE_WINDOW:
    case ErrorCode.ALREADY_TAKEN:
    case ErrorCode.DUPLICATE:
    case ErrorCode.BELOW_SUPPORT_THRESHOLD:
    case ErrorCode.COMMITTEE_RESPONSE_REQUIRED:
      return HttpStatus.CONFLICT;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.METHOD_NOT_ALLOWED:
      return HttpStatus.METHOD_NOT_ALLOWED;
    case ErrorCode.URI_TOO_LONG:
      return HttpStatus.URI_TOO_LONG;
    case ErrorCode.HEADERS_TOO_LARGE:
      // Request Header Fields Too Large (RFC 6585), missing from Nest's enum.
      return 431 as HttpStatus;
    case ErrorCode.IDEMPOTENCY_KEY_REUSED:
    case ErrorCode.NOTICE_TOO_SHORT:
    case ErrorCode.PHOTO_LIMIT_REACHED:
    case ErrorCode.PHOTO_UNREADABLE:
    case ErrorCode.PARTNER_DOMAIN_MISMATCH:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.REVEAL_LIMIT_REACHED:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.UPSTREAM_TIMEOUT:
      return HttpStatus.GATEWAY_TIMEOUT;
    case ErrorCode.SERVICE_UNAVAILABLE:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.INTERNAL:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    default: {
      const unmapped: never = code;
      return unmapped;
    }
  }
}
