import { PROBLEM_TYPE_BASE } from '@edu/kit';

// Building blocks of the OpenAPI documents (diary, gradebook, notifications): references,
// parameters, JSON bodies and answers, and problem+json answers with Russian examples.

export const ref = (schema: string) => ({ $ref: `#/components/schemas/${schema}` });

/** A message field that proto sends as null when it is absent. */
export const nullable = (schema: string, description: string) => ({
  description,
  anyOf: [ref(schema), { type: 'null' }],
});

export const text = (description: string) => ({ type: 'string', description });
export const list = (schema: string, description: string) => ({
  type: 'array',
  items: ref(schema),
  description,
});

export const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Повтор запроса с тем же ключом вернёт первый ответ, не выполняя его снова',
  schema: { type: 'string', minLength: 8, maxLength: 128 },
} as const;

export const idParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', minLength: 1, maxLength: 64 },
});

export const jsonBody = (schema: string) => ({
  required: true,
  content: { 'application/json': { schema: ref(schema) } },
});

export const jsonAnswer = (description: string, schema: string) => ({
  description,
  content: { 'application/json': { schema: ref(schema) } },
});

export interface ProblemExample {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** A problem+json answer with examples of what it carries (the Russian text a client shows). */
export const problemAnswer = (description: string, ...examples: ProblemExample[]) => ({
  description,
  content: {
    'application/problem+json': {
      schema: ref('Problem'),
      ...(examples.length === 0
        ? {}
        : {
            examples: Object.fromEntries(
              examples.map((e) => [
                e.code,
                { value: { type: PROBLEM_TYPE_BASE + e.code, ...e }, summary: e.title },
              ]),
            ),
          }),
    },
  },
});

/**
 * The answers every operation of a service's routes can give besides its own: the gateway's (401
 * with `WWW-Authenticate`, 429 with `Retry-After`, 500) and those passed on from the service (503,
 * 504), described with the service's name.
 */
export const commonAnswers = (unavailable: string, timedOut: string) => ({
  '401': {
    ...problemAnswer('Нужен вход в систему', {
      status: 401,
      code: 'auth.unauthenticated',
      title: 'Требуется вход в систему',
      detail: 'Войдите в систему и повторите действие.',
    }),
    headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer' } },
  },
  '429': {
    ...problemAnswer('Слишком много запросов'),
    headers: {
      'Retry-After': { schema: { type: 'integer' }, description: 'Через сколько секунд повторить' },
    },
  },
  '500': problemAnswer('Внутренняя ошибка'),
  '503': problemAnswer(unavailable, {
    status: 503,
    code: 'grpc.unavailable',
    title: 'Сервис временно недоступен',
    detail: 'Сервис временно недоступен. Повторите попытку позже.',
  }),
  '504': problemAnswer(timedOut),
});
