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
  /** A file (CSV import) was rejected; `details` lists line, field and reason. */
  IMPORT_REJECTED = 'IMPORT_REJECTED',
  /** An Idempotency-Key used again with another request (other body, path or method) within its 24 hours. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  RATE_LIMITED = 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The path exists, but not with this HTTP method; `Allow` lists the methods it has. */
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  URI_TOO_LONG = 'URI_TOO_LONG',
  HEADERS_TOO_LARGE = 'HEADERS_TOO_LARGE',
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
