/** Stable machine codes. Clients switch on these; never rename one, only add. */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  COMMUNITY_NOT_FOUND = 'COMMUNITY_NOT_FOUND',
  NODE_NOT_FOUND = 'NODE_NOT_FOUND',
  UNIT_NOT_FOUND = 'UNIT_NOT_FOUND',
  RESIDENT_NOT_FOUND = 'RESIDENT_NOT_FOUND',
  CODE_TAKEN = 'CODE_TAKEN',
  USERNAME_TAKEN = 'USERNAME_TAKEN',
  ALREADY_REGISTERED = 'ALREADY_REGISTERED',
  /** Another person of the community is registered with this ID number. */
  ID_NUMBER_TAKEN = 'ID_NUMBER_TAKEN',
  CONFLICT = 'CONFLICT',
  /** A state machine refused the step (e.g. closing a case that was never resolved). */
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  /** Outside a time window: registration, voting period, extension request after the deadline. */
  OUTSIDE_WINDOW = 'OUTSIDE_WINDOW',
  /** The caller is not in the audience or electorate, or fails an eligibility rule. */
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  /** Someone else got there first: the last seat, a claimed micro-wish. */
  ALREADY_TAKEN = 'ALREADY_TAKEN',
  /** One vote per owner, one registration per person. */
  DUPLICATE = 'DUPLICATE',
  /** A public notice shorter than the law or the configured period allows (candidates: at least 7 days). */
  NOTICE_TOO_SHORT = 'NOTICE_TOO_SHORT',
  /** A file (CSV import) was rejected; `details` lists line, field and reason. */
  IMPORT_REJECTED = 'IMPORT_REJECTED',
  /** The uploaded file is not one of the accepted image formats, judged by its bytes. */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  /** The object already has as many photos (of that stage) as it may have. */
  PHOTO_LIMIT_REACHED = 'PHOTO_LIMIT_REACHED',
  /** The file starts like an accepted image format but cannot be decoded. */
  PHOTO_UNREADABLE = 'PHOTO_UNREADABLE',
  /** An Idempotency-Key used again with another request (other body, path or method) within its 24 hours. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** An Open311 api_key that is missing, unknown, revoked or of another jurisdiction. */
  API_KEY_INVALID = 'API_KEY_INVALID',
  RATE_LIMITED = 'RATE_LIMITED',
  /** The account revealed as many personal numbers as the hour allows; see Retry-After. */
  REVEAL_LIMIT_REACHED = 'REVEAL_LIMIT_REACHED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The path exists, but not with this HTTP method; `Allow` lists the methods it has. */
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  URI_TOO_LONG = 'URI_TOO_LONG',
  HEADERS_TOO_LARGE = 'HEADERS_TOO_LARGE',
  /** A forum topic has fewer supports than the community's threshold for a committee to take it up. */
  BELOW_SUPPORT_THRESHOLD = 'BELOW_SUPPORT_THRESHOLD',
  /** A forum topic goes to a ballot only once a committee took it up and responded referring it to the owners. */
  COMMITTEE_RESPONSE_REQUIRED = 'COMMITTEE_RESPONSE_REQUIRED',
  /** The person asked has no community partner profile in this community. */
  PARTNER_NOT_FOUND = 'PARTNER_NOT_FOUND',
  /** The partner's declared domains do not include the consultation's domain. */
  PARTNER_DOMAIN_MISMATCH = 'PARTNER_DOMAIN_MISMATCH',
  UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export interface FieldError {
  field: string;
  reason: string;
}

/** The shape a domain error takes on the wire (NATS reply `err`) and inside problem+json. */
export interface DomainError {
  code: ErrorCode;
  message: string;
  details?: FieldError[] | Record<string, unknown>;
}

export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: DomainError['details'],
  ) {
    super(message);
    this.name = 'DomainException';
  }

  toError(): DomainError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static from(error: DomainError): DomainException {
    return new DomainException(error.code, error.message, error.details);
  }
}

const codes = new Set<string>(Object.values(ErrorCode));

export function isDomainError(value: unknown): value is DomainError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DomainError).code === 'string' &&
    codes.has((value as DomainError).code) &&
    typeof (value as DomainError).message === 'string'
  );
}
