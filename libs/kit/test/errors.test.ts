import {
  DomainError,
  GRPC_STATUS,
  KIND_TO_GRPC,
  conflict,
  forbidden,
  grpcStatusName,
  grpcToHttpStatus,
  invalid,
  notFound,
  precondition,
  problemForGrpcStatus,
  rateLimited,
  toProblem,
  unauthenticated,
  unavailable,
  type ErrorKind,
} from '../src';

describe('domain errors and problem+json', () => {
  test.each<[ErrorKind, DomainError, string, number]>([
    ['invalid', invalid('school.inn_invalid', 'ИНН должен состоять из 10 цифр'), 'INVALID_ARGUMENT', 400],
    ['unauthenticated', unauthenticated('auth.expired', 'Сессия истекла'), 'UNAUTHENTICATED', 401],
    ['forbidden', forbidden('access.denied', 'Недостаточно прав'), 'PERMISSION_DENIED', 403],
    ['not_found', notFound('school.not_found', 'Школа не найдена'), 'NOT_FOUND', 404],
    ['conflict', conflict('school.exists', 'Школа уже есть'), 'ALREADY_EXISTS', 409],
    ['precondition', precondition('period.closed', 'Период закрыт'), 'FAILED_PRECONDITION', 422],
    ['rate_limited', rateLimited('login.too_often', 'Подождите'), 'RESOURCE_EXHAUSTED', 429],
    ['unavailable', unavailable('esia.down', 'ЕСИА недоступна'), 'UNAVAILABLE', 503],
  ])('when a %s error is mapped, then it is gRPC %s and HTTP %i', (kind, error, grpcName, httpStatus) => {
    expect(error.kind).toBe(kind);
    expect(KIND_TO_GRPC[kind]).toBe(grpcName);

    const problem = toProblem(error, '/api/schools/1');

    expect(problem).toEqual({
      type: `https://edu.example/problems/${error.code}`,
      title: error.title,
      status: httpStatus,
      detail: error.detail,
      code: error.code,
      instance: '/api/schools/1',
    });
  });

  test('when an invalid error names fields, then the problem lists them and the title is Russian', () => {
    const error = invalid('school.invalid', 'Проверьте поля формы', [
      { field: 'inn', message: 'ИНН должен состоять из 10 цифр' },
    ]);

    const problem = toProblem(error);

    expect(problem.title).toBe('Некорректные данные');
    expect(problem.errors).toEqual([{ field: 'inn', message: 'ИНН должен состоять из 10 цифр' }]);
    expect(problem).not.toHaveProperty('instance');
  });

  test('when an unknown error is mapped, then it is a generic 500 without its message or stack', () => {
    const problem = toProblem(new Error('connection to mongodb://admin:secret@db failed'), '/api/x');

    expect(problem).toMatchObject({
      type: 'about:blank',
      status: 500,
      title: 'Внутренняя ошибка',
      code: 'internal',
    });
    expect(JSON.stringify(problem)).not.toMatch(/mongodb|secret|at /);
  });

  test('gRPC statuses map to HTTP as the design says, anything else is 500', () => {
    expect(
      Object.fromEntries(
        (Object.keys(GRPC_STATUS) as (keyof typeof GRPC_STATUS)[]).map((name) => [
          name,
          grpcToHttpStatus(name),
        ]),
      ),
    ).toEqual({
      OK: 200,
      CANCELLED: 500,
      UNKNOWN: 500,
      INVALID_ARGUMENT: 400,
      DEADLINE_EXCEEDED: 504,
      NOT_FOUND: 404,
      ALREADY_EXISTS: 409,
      PERMISSION_DENIED: 403,
      RESOURCE_EXHAUSTED: 429,
      FAILED_PRECONDITION: 422,
      ABORTED: 409,
      OUT_OF_RANGE: 500,
      UNIMPLEMENTED: 500,
      INTERNAL: 500,
      UNAVAILABLE: 503,
      DATA_LOSS: 500,
      UNAUTHENTICATED: 401,
    });
    expect(grpcToHttpStatus(5)).toBe(404);
    expect(grpcStatusName(14)).toBe('UNAVAILABLE');
    expect(grpcStatusName(99)).toBe('UNKNOWN');
  });

  test('when a bare gRPC status has no domain error, then the problem has a Russian title and a grpc code', () => {
    expect(problemForGrpcStatus(GRPC_STATUS.DEADLINE_EXCEEDED, '/api/y')).toMatchObject({
      status: 504,
      code: 'grpc.deadline_exceeded',
      title: 'Сервис не ответил вовремя',
      instance: '/api/y',
    });
    expect(problemForGrpcStatus('INTERNAL')).toMatchObject({ status: 500, code: 'internal' });
  });

  test.each([
    ['ABORTED', 409],
    ['FAILED_PRECONDITION', 422],
    ['NOT_FOUND', 404],
    ['ALREADY_EXISTS', 409],
    ['INVALID_ARGUMENT', 400],
  ] as const)(
    'when a service refuses with a bare %s, then %i with a Russian text, not 500',
    (name, status) => {
      const problem = problemForGrpcStatus(name);

      expect(problem).toMatchObject({ status, code: `grpc.${name.toLowerCase()}` });
      expect(problem.detail).toMatch(/[а-я]/);
    },
  );

  test('a domain error serializes to its data only, never its stack', () => {
    const error = new DomainError({ code: 'x.y', kind: 'conflict', title: 'Своё', detail: 'Подробно' });

    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'x.y',
      kind: 'conflict',
      title: 'Своё',
      detail: 'Подробно',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('x.y: Подробно');
  });
});
