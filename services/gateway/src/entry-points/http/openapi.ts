// The gateway's public contract. Requests are validated against these schemas before anything
// else happens, and a test checks that every served route is described here.

const dateString = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Дата ГГГГ-ММ-ДД' };

const schoolCard = {
  type: 'object',
  additionalProperties: false,
  required: ['fullName', 'shortName', 'inn', 'ogrn', 'address', 'timeZone', 'licence'],
  properties: {
    fullName: { type: 'string', minLength: 1, maxLength: 500, description: 'Полное наименование' },
    shortName: { type: 'string', minLength: 1, maxLength: 500, description: 'Краткое наименование' },
    inn: { type: 'string', pattern: '^\\d{10}$', description: 'ИНН организации' },
    ogrn: { type: 'string', pattern: '^\\d{13}$', description: 'ОГРН' },
    address: { type: 'string', minLength: 1, maxLength: 500, description: 'Адрес' },
    timeZone: {
      type: 'string',
      minLength: 3,
      maxLength: 64,
      description: 'Часовой пояс IANA, например Europe/Moscow',
    },
    licence: {
      type: 'object',
      additionalProperties: false,
      required: ['number', 'issuedOn', 'issuedBy'],
      properties: {
        number: { type: 'string', minLength: 1, maxLength: 100 },
        issuedOn: dateString,
        issuedBy: { type: 'string', minLength: 1, maxLength: 500 },
      },
    },
    accreditation: {
      type: 'object',
      additionalProperties: false,
      required: ['number', 'issuedOn'],
      properties: {
        number: { type: 'string', minLength: 1, maxLength: 100 },
        issuedOn: dateString,
        // Empty means without limit, as in roster's message.
        validUntil: {
          type: 'string',
          pattern: '^(\\d{4}-\\d{2}-\\d{2})?$',
          description: 'Действует до, ГГГГ-ММ-ДД; пустая строка — бессрочно',
        },
      },
    },
    municipalityId: {
      type: 'string',
      maxLength: 64,
      description: 'Муниципалитет; пустая строка — ещё не назначен',
    },
  },
} as const;

const school = {
  type: 'object',
  required: ['id', 'version', 'createdAt', ...schoolCard.required],
  properties: {
    id: { type: 'string' },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    ...schoolCard.properties,
  },
} as const;

const problem = {
  type: 'object',
  description: 'RFC 9457 problem details; title and detail are in Russian, code is stable',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

// Answers any operation can give: the gateway's own (400 validation, 401, 429, 500) and those
// passed on from the service behind it (403, 503, 504).
const errors = {
  '400': problemResponse('Неверный запрос: поля с ошибками перечислены в errors'),
  '401': {
    ...problemResponse('Нужен вход в систему'),
    headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer' } },
  },
  '403': problemResponse('Недостаточно прав'),
  '429': {
    ...problemResponse('Слишком много запросов'),
    headers: {
      'Retry-After': { schema: { type: 'integer' }, description: 'Через сколько секунд повторить' },
    },
  },
  '500': problemResponse('Внутренняя ошибка'),
  '503': problemResponse('Сервис временно недоступен'),
  '504': problemResponse('Сервис не ответил вовремя'),
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Электронный журнал и дневник — API',
    version: '1.0.0',
    description: 'REST API of the platform gateway. Every call needs a Keycloak access token (Bearer).',
  },
  servers: [{ url: '/' }],
  security: [{ bearer: [] }],
  paths: {
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'Этот документ',
        security: [],
        responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
      },
    },
    '/api/v1/schools': {
      post: {
        operationId: 'createSchool',
        summary: 'Создать карточку школы',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'Повтор запроса с тем же ключом вернёт первый ответ, не создавая школу снова',
            schema: { type: 'string', minLength: 8, maxLength: 128 },
          },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/SchoolCard' } } },
        },
        responses: {
          '201': {
            description: 'Школа создана',
            headers: {
              Location: { schema: { type: 'string' }, description: 'Адрес карточки: /api/v1/schools/{id}' },
            },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/School' } } },
          },
          '409': problemResponse(
            'Школа с таким ИНН уже есть, или ключ идемпотентности использован для другого запроса',
          ),
          '413': problemResponse('Тело запроса слишком большое'),
          '415': problemResponse('Тело запроса должно быть в формате JSON'),
          ...errors,
        },
      },
      get: {
        operationId: 'listSchools',
        summary: 'Список школ, доступных пользователю',
        parameters: [
          {
            name: 'pageSize',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 200 },
          },
          { name: 'pageToken', in: 'query', required: false, schema: { type: 'string', maxLength: 512 } },
        ],
        responses: {
          '200': {
            description: 'Страница списка',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items', 'nextPageToken'],
                  properties: {
                    items: { type: 'array', items: { $ref: '#/components/schemas/School' } },
                    nextPageToken: { type: 'string' },
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    '/api/v1/schools/{id}': {
      get: {
        operationId: 'getSchool',
        summary: 'Карточка школы',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 } },
        ],
        responses: {
          '200': {
            description: 'Карточка школы',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/School' } } },
          },
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    schemas: { SchoolCard: schoolCard, School: school, Problem: problem },
  },
} as const;
