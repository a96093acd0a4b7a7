/** What went wrong, from the caller's point of view; decides the gRPC and HTTP status. */
export const ERROR_KINDS = [
  'invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'precondition',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
/** One of `ERROR_KINDS`. */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** A problem with one input field; `message` is Russian, for people. */
export interface FieldError {
  field: string;
  message: string;
}

/** Everything a `DomainError` carries across a process boundary (gRPC metadata, problem+json). */
export interface DomainErrorData {
  /** Stable machine code, `<area>.<problem>`, e.g. `school.inn_invalid`. */
  code: string;
  kind: ErrorKind;
  /** Short Russian summary for people; defaults to one per kind. */
  title: string;
  /** Russian explanation of this occurrence for people. */
  detail: string;
  errors?: FieldError[];
}

/** Russian titles used when a domain error does not name its own. */
export const DEFAULT_TITLES: Record<ErrorKind, string> = {
  invalid: 'Некорректные данные',
  unauthenticated: 'Требуется вход в систему',
  forbidden: 'Доступ запрещён',
  not_found: 'Не найдено',
  conflict: 'Конфликт данных',
  precondition: 'Действие сейчас невозможно',
  rate_limited: 'Слишком много запросов',
  unavailable: 'Сервис временно недоступен',
  internal: 'Внутренняя ошибка',
};

/** An expected failure of a use case, safe to show to people: code for programs, Russian text for people. */
export class DomainError extends Error implements DomainErrorData {
  override readonly name = 'DomainError';
  readonly code: string;
  readonly kind: ErrorKind;
  readonly title: string;
  readonly detail: string;
  readonly errors?: FieldError[];

  constructor(data: Omit<DomainErrorData, 'title'> & { title?: string }, options?: { cause?: unknown }) {
    // The message is for developers reading logs; people see title and detail.
    super(`${data.code}: ${data.detail}`, options);
    this.code = data.code;
    this.kind = data.kind;
    this.title = data.title ?? DEFAULT_TITLES[data.kind];
    this.detail = data.detail;
    if (data.errors !== undefined && data.errors.length > 0) this.errors = data.errors;
  }

  /** The data to send across a boundary (no message, stack or cause). */
  toJSON(): DomainErrorData {
    return {
      code: this.code,
      kind: this.kind,
      title: this.title,
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

/** True when `value` is one of `ERROR_KINDS`. */
export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}

// Helpers return the error rather than throwing it, so call sites read `throw notFound(…)` and
// TypeScript sees the control flow end there.

/** The request is malformed or breaks a rule; `errors` name the fields. */
export function invalid(code: string, detail: string, errors?: FieldError[]): DomainError {
  return new DomainError({ code, kind: 'invalid', detail, errors });
}
/** The caller is not signed in, or its credentials are not valid. */
export function unauthenticated(code: string, detail: string): DomainError {
  return new DomainError({ code, kind: 'unauthenticated', detail });
}
/** The caller is known but may not do this. */
export function forbidden(code: string, detail: string): DomainError {
  return new DomainError({ code, kind: 'forbidden', detail });
}
/** The object does not exist (or the caller may not know that it does). */
export function notFound(code: string, detail: string): DomainError {
  return new DomainError({ code, kind: 'not_found', detail });
}
/** The object already exists or was changed concurrently. */
export function conflict(code: string, detail: string): DomainError {
  return new DomainError({ code, kind: 'conflict', detail });
}
/** The request is valid but the state does not allow it now (e.g. a closed study period). */
export function precondition(code: string, detail: string, errors?: FieldError[]): DomainError {
  return new DomainError({ code, kind: 'precondition', detail, errors });
}
/** The caller asks too often. */
export function rateLimited(code: string, detail: string): DomainError {
  return new DomainError({ code, kind: 'rate_limited', detail });
}
/** A dependency is down; trying again later may work. */
export function unavailable(code: string, detail: string): DomainError {
  return new DomainError({ code, kind: 'unavailable', detail });
}

/** gRPC status codes by name (the numbers of grpc-js `status`), so kit needs no gRPC dependency. */
export const GRPC_STATUS = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
/** A key of `GRPC_STATUS`. */
export type GrpcStatusName = keyof typeof GRPC_STATUS;

/** The gRPC status a domain error of each kind is sent with. */
export const KIND_TO_GRPC: Record<ErrorKind, GrpcStatusName> = {
  invalid: 'INVALID_ARGUMENT',
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  conflict: 'ALREADY_EXISTS',
  precondition: 'FAILED_PRECONDITION',
  rate_limited: 'RESOURCE_EXHAUSTED',
  unavailable: 'UNAVAILABLE',
  internal: 'INTERNAL',
};

/** The HTTP status for a gRPC status; any status not listed is 500. */
export const GRPC_TO_HTTP: Partial<Record<GrpcStatusName, number>> = {
  OK: 200,
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  FAILED_PRECONDITION: 422,
  RESOURCE_EXHAUSTED: 429,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

const GRPC_NAMES = new Map<number, GrpcStatusName>(
  Object.entries(GRPC_STATUS).map(([name, code]) => [code, name as GrpcStatusName]),
);

/** The name of a numeric gRPC status (`5` → `NOT_FOUND`); unknown numbers are `UNKNOWN`. */
export function grpcStatusName(code: number): GrpcStatusName {
  return GRPC_NAMES.get(code) ?? 'UNKNOWN';
}

/** The HTTP status for a gRPC status given by number or name. */
export function grpcToHttpStatus(code: number | GrpcStatusName): number {
  const name = typeof code === 'number' ? grpcStatusName(code) : code;
  return GRPC_TO_HTTP[name] ?? 500;
}

/** An RFC 9457 problem details object (`application/problem+json`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
}

/** Problem `type` URIs are this base plus the error code. */
export const PROBLEM_TYPE_BASE = 'https://edu.example/problems/';

const INTERNAL_DETAIL = 'Произошла непредвиденная ошибка. Попробуйте повторить позже.';

/** The problem+json body for an error: a DomainError as it is, anything else as a generic 500. */
export function toProblem(error: unknown, instance?: string): Problem {
  if (!(error instanceof DomainError)) {
    // Never the message or stack of an unexpected error: it may hold internals or personal data.
    return withInstance(
      {
        type: 'about:blank',
        title: DEFAULT_TITLES.internal,
        status: 500,
        detail: INTERNAL_DETAIL,
        code: 'internal',
      },
      instance,
    );
  }
  return withInstance(
    {
      type: PROBLEM_TYPE_BASE + error.code,
      title: error.title,
      status: grpcToHttpStatus(KIND_TO_GRPC[error.kind]),
      detail: error.detail,
      code: error.code,
      ...(error.errors ? { errors: error.errors } : {}),
    },
    instance,
  );
}

// Statuses a remote call can end with without the remote having said why (no domain error).
const BARE_STATUS_TEXT: Partial<Record<GrpcStatusName, { title: string; detail: string }>> = {
  UNAVAILABLE: {
    title: DEFAULT_TITLES.unavailable,
    detail: 'Сервис временно недоступен. Попробуйте повторить позже.',
  },
  DEADLINE_EXCEEDED: {
    title: 'Сервис не ответил вовремя',
    detail: 'Сервис не ответил вовремя. Попробуйте повторить позже.',
  },
  UNAUTHENTICATED: {
    title: DEFAULT_TITLES.unauthenticated,
    detail: 'Войдите в систему и повторите действие.',
  },
  PERMISSION_DENIED: { title: DEFAULT_TITLES.forbidden, detail: 'Недостаточно прав для этого действия.' },
  RESOURCE_EXHAUSTED: {
    title: DEFAULT_TITLES.rate_limited,
    detail: 'Слишком много запросов. Повторите позже.',
  },
  // A service that refuses without its domain error still means what the status says.
  INVALID_ARGUMENT: { title: DEFAULT_TITLES.invalid, detail: 'Сервис отклонил запрос: проверьте данные.' },
  NOT_FOUND: { title: DEFAULT_TITLES.not_found, detail: 'Запрошенные данные не найдены.' },
  ALREADY_EXISTS: { title: DEFAULT_TITLES.conflict, detail: 'Такие данные уже есть.' },
  ABORTED: {
    title: DEFAULT_TITLES.conflict,
    detail: 'Данные уже изменили: откройте их заново и повторите.',
  },
  FAILED_PRECONDITION: {
    title: DEFAULT_TITLES.precondition,
    detail: 'Действие сейчас невозможно в таком состоянии данных.',
  },
};

/** The problem+json body for a gRPC status that came without a domain error (e.g. a timeout). */
export function problemForGrpcStatus(code: number | GrpcStatusName, instance?: string): Problem {
  const name = typeof code === 'number' ? grpcStatusName(code) : code;
  const text = BARE_STATUS_TEXT[name];
  if (text === undefined) return toProblem(undefined, instance);
  return withInstance(
    { type: 'about:blank', ...text, status: grpcToHttpStatus(name), code: `grpc.${name.toLowerCase()}` },
    instance,
  );
}

function withInstance(problem: Problem, instance: string | undefined): Problem {
  return instance === undefined ? problem : { ...problem, instance };
}
