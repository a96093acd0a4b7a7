// The identity service's part of the gateway's contract (R1.6, R1.7, R10.1): the caller's own
// account, temporary student logins, link candidates, invitation codes, direct links, explicit
// grants, the list of people still without an account and the login audit. Kept apart from
// openapi.ts, which spreads these paths and schemas into the one document; the building blocks
// (references, parameters, problem answers) come from openapi-parts.ts.

import {
  idParameter,
  idempotencyKey,
  jsonAnswer,
  jsonBody,
  list,
  nullable,
  problemAnswer,
  text,
  commonAnswers,
} from './openapi-parts';

const schoolId = idParameter('schoolId', 'Школа');
const accountId = idParameter('accountId', 'Учётная запись (id пользователя Keycloak)');
const temporaryLoginId = idParameter('temporaryLoginId', 'Временный логин');
const candidateId = idParameter('candidateId', 'Кандидат на связывание');
const grantId = idParameter('grantId', 'Явное право');

/** The staff roles of a school, as roster and identity name them. */
const STAFF_ROLES = ['director', 'deputy', 'schoolAdmin', 'teacher', 'hr', 'secretary'];

/** What a region operator may give explicitly (GiveGrant). */
const GRANT_ROLES = [
  'schoolAdmin',
  'municipalOfficer',
  'regionOperator',
  'director',
  'deputy',
  'teacher',
  'hr',
  'secretary',
];

const id = (description: string) => ({ type: 'string', minLength: 1, maxLength: 64, description }) as const;

const reason = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 500, description }) as const;

const badRequest = (field: string, message: string) =>
  problemAnswer('Неверный запрос: поля с ошибками перечислены в errors', {
    status: 400,
    code: 'request.invalid',
    title: 'Некорректные данные',
    detail: 'Проверьте поля запроса',
    errors: [{ field, message }],
  });

// Identity decides who may do what and refuses with one code; the detail names no one.
const denied = (description: string) =>
  problemAnswer(description, {
    status: 403,
    code: 'identity.forbidden',
    title: 'Доступ запрещён',
    detail: 'Недостаточно прав для этого действия',
  });

const notFound = (description: string) => problemAnswer(description);

// Answers every operation can give besides its own: the gateway's and the service's.
const common = commonAnswers(
  'Сервис учётных записей временно недоступен',
  'Сервис учётных записей не ответил вовремя',
);

/** What a request with a body can get besides `errors`: too large, not JSON. */
const bodyErrors = {
  '413': problemAnswer('Тело запроса слишком большое'),
  '415': problemAnswer('Тело запроса должно быть в формате JSON'),
};

const noStore = {
  'Cache-Control': {
    schema: { type: 'string', enum: ['no-store'] },
    description: 'no-store: ответ показывается один раз и не сохраняется',
  },
} as const;

const conflictOrState = (description: string) => ({
  '409': problemAnswer(description),
  '422': problemAnswer('Действие сейчас невозможно'),
});

// --- Schemas ----------------------------------------------------------------------------------

const schoolRole = {
  type: 'object',
  required: ['schoolId', 'role'],
  properties: {
    schoolId: { type: 'string' },
    role: { type: 'string', description: `Роль в школе: ${STAFF_ROLES.join(', ')}` },
  },
} as const;

const child = {
  type: 'object',
  description: 'Ребёнок, законным представителем которого является вошедший',
  required: ['personId', 'schoolId', 'displayName', 'kind', 'consentActive'],
  properties: {
    personId: { type: 'string' },
    schoolId: { type: 'string' },
    displayName: text('Фамилия, имя, отчество'),
    kind: text('Кем приходится: mother, father или legal_representative'),
    consentActive: {
      type: 'boolean',
      description: 'Согласие на обработку данных записано: без него данные ребёнка не видны (R1.9)',
    },
  },
} as const;

const me = {
  type: 'object',
  description: 'Учётная запись вошедшего: с кем связана, роли в школах, права, дети',
  required: [
    'accountId',
    'personId',
    'displayName',
    'schoolRoles',
    'grants',
    'children',
    'loginKind',
    'esiaTrusted',
  ],
  properties: {
    accountId: text('Учётная запись (id пользователя Keycloak)'),
    personId: text('Человек из контингента; пусто — учётная запись ещё ни с кем не связана'),
    displayName: text('Фамилия, имя, отчество; пусто, если не связана'),
    schoolRoles: list('IdentitySchoolRole', 'Роли в школах (по приказам о приёме)'),
    grants: {
      type: 'array',
      items: { type: 'string' },
      description: 'Явные права: regionOperator, municipalOfficer:<id>, schoolAdmin:<id>',
    },
    children: list('IdentityChild', 'Дети (для родителей и законных представителей)'),
    loginKind: {
      type: 'string',
      description: 'Как вошёл: esia — через Госуслуги, password — по паролю, temporary — временный логин',
    },
    esiaTrusted: {
      type: 'boolean',
      description: 'Учётная запись Госуслуг подтверждена; false для входа не через Госуслуги',
    },
  },
} as const;

const account = {
  type: 'object',
  description: 'Учётная запись и её связь с человеком',
  required: ['accountId', 'personId', 'linkedBy', 'esiaOid', 'linkedAt'],
  properties: {
    accountId: { type: 'string' },
    personId: text('Человек; пусто — не связана'),
    linkedBy: text(
      'Как связана: snils, birth_certificate, candidate, invitation, provisioned; пусто — не связана',
    ),
    esiaOid: text('Идентификатор на Госуслугах; пусто — не входила через Госуслуги'),
    linkedAt: text('Когда связана (UTC, ISO 8601)'),
  },
} as const;

const linkCandidate = {
  type: 'object',
  description:
    'Кандидат на связывание: учётная запись Госуслуг совпала с человеком только по ФИО и дате ' +
    'рождения, решает администратор школы',
  required: ['candidateId', 'schoolId', 'accountId', 'personId', 'personDisplayName', 'status', 'createdAt'],
  properties: {
    candidateId: { type: 'string' },
    schoolId: { type: 'string' },
    accountId: { type: 'string' },
    personId: { type: 'string' },
    personDisplayName: text('ФИО человека из контингента'),
    status: {
      type: 'string',
      enum: ['pending', 'confirmed', 'rejected'],
      description: 'pending — ждёт решения, confirmed — связан, rejected — отклонён',
    },
    createdAt: { type: 'string' },
  },
} as const;

const invitation = {
  type: 'object',
  description: 'Одноразовый код приглашения: показывается один раз',
  required: ['invitationId', 'personId', 'code', 'expiresAt'],
  properties: {
    invitationId: { type: 'string' },
    personId: text('С кем свяжет код'),
    code: text('Одноразовый код: передайте его родителю или обучающемуся'),
    expiresAt: text('Действует до (UTC, ISO 8601)'),
  },
} as const;

const grant = {
  type: 'object',
  description: 'Явное право учётной записи',
  required: ['grantId', 'accountId', 'role', 'scopeId', 'reason', 'status', 'givenAt'],
  properties: {
    grantId: { type: 'string' },
    accountId: { type: 'string' },
    role: text(`Роль: ${GRANT_ROLES.join(', ')}`),
    scopeId: text('Школа для ролей школы, муниципалитет для municipalOfficer; пусто для regionOperator'),
    reason: text('Основание (приказ, распоряжение)'),
    status: {
      type: 'string',
      enum: ['active', 'revoked'],
      description: 'active — действует, revoked — отозвано',
    },
    givenAt: { type: 'string' },
  },
} as const;

const temporaryLogin = {
  type: 'object',
  description: 'Временный логин обучающегося без подтверждённой учётной записи Госуслуг (R1.6)',
  required: [
    'temporaryLoginId',
    'schoolId',
    'studentId',
    'username',
    'reason',
    'documentRef',
    'status',
    'issuedAt',
    'expiresAt',
    'endedAt',
    'issuedBy',
  ],
  properties: {
    temporaryLoginId: { type: 'string' },
    schoolId: { type: 'string' },
    studentId: { type: 'string' },
    username: text('Логин для входа'),
    reason: text('Причина выдачи'),
    documentRef: text('Письменное заявление родителя: номер и дата'),
    status: {
      type: 'string',
      enum: ['active', 'expired', 'revoked', 'replaced'],
      description:
        'active — действует, expired — истёк, revoked — отозван, replaced — заменён учётной записью ' +
        'Госуслуг обучающегося',
    },
    issuedAt: { type: 'string' },
    expiresAt: { type: 'string' },
    endedAt: text('Когда перестал действовать; пусто — действует'),
    issuedBy: text('Учётная запись администратора, выдавшего логин'),
  },
} as const;

const accountDeadline = {
  type: 'object',
  description: 'Человек без учётной записи дольше 3 рабочих дней после приёма или зачисления',
  required: ['personId', 'displayName', 'kind', 'since', 'workingDays'],
  properties: {
    personId: { type: 'string' },
    displayName: { type: 'string' },
    kind: {
      type: 'string',
      enum: ['staff', 'student'],
      description: 'staff — сотрудник, student — обучающийся',
    },
    since: text('День приёма или зачисления, ГГГГ-ММ-ДД'),
    workingDays: { type: 'integer', description: 'Рабочих дней с тех пор' },
  },
} as const;

const loginAuditEntry = {
  type: 'object',
  description: 'Вход или неудачная попытка входа',
  required: ['accountId', 'personId', 'kind', 'at', 'method', 'error', 'ipAddress'],
  properties: {
    accountId: { type: 'string' },
    personId: text('Человек; пусто — не связана'),
    kind: {
      type: 'string',
      enum: ['login', 'login_error'],
      description: 'login — вход, login_error — ошибка входа',
    },
    at: text('Когда (UTC, ISO 8601)'),
    method: text('Как: esia, password или temporary'),
    error: text('Ошибка Keycloak при неудаче, например invalid_user_credentials; пусто при входе'),
    ipAddress: text('IP-адрес'),
  },
} as const;

// --- Paths ------------------------------------------------------------------------------------

const schoolAdmin = 'Администратор школы.';
const schoolLists = 'Администратор школы или директор.';

export const identityPaths = {
  '/api/v1/me': {
    get: {
      operationId: 'getMe',
      summary: 'Моя учётная запись',
      description:
        'С кем связана учётная запись вошедшего, его роли в школах, явные права и дети. ' +
        'Учётная запись, ещё ни с кем не связанная, — с пустым personId.',
      responses: {
        '200': jsonAnswer('Учётная запись вошедшего', 'Me'),
        '403': denied('Нет доступа к этому действию'),
        ...common,
      },
    },
  },
  '/api/v1/schools/{schoolId}/temporary-logins': {
    post: {
      operationId: 'issueTemporaryLogin',
      summary: 'Выдать временный логин обучающемуся',
      description:
        `${schoolAdmin} Обучающемуся без подтверждённой учётной записи Госуслуг по письменному заявлению ` +
        'родителя (documentRef) на validDays дней (1–90, по умолчанию 90). Одноразовый пароль ' +
        'показывается один раз и меняется при первом входе. Прежний действующий логин обучающегося ' +
        'отзывается.',
      parameters: [schoolId, idempotencyKey],
      requestBody: jsonBody('IssueTemporaryLogin'),
      responses: {
        '201': {
          ...jsonAnswer('Логин выдан: одноразовый пароль показывается только здесь', 'IssuedTemporaryLogin'),
          headers: {
            Location: { schema: { type: 'string' }, description: 'Адрес временного логина' },
            ...noStore,
          },
        },
        '400': badRequest('documentRef', 'Обязательное поле'),
        '403': denied('Временный логин выдаёт администратор школы обучающегося'),
        '404': notFound('Школа или обучающийся не найдены'),
        ...conflictOrState('Обучающийся не зачислен в эту школу или уже вошёл через Госуслуги'),
        ...bodyErrors,
        ...common,
      },
    },
    get: {
      operationId: 'listTemporaryLogins',
      summary: 'Временные логины школы',
      description: `${schoolLists} Действующие; с includeEnded=true — и завершённые.`,
      parameters: [
        schoolId,
        {
          name: 'includeEnded',
          in: 'query',
          required: false,
          description: 'true — и истёкшие, отозванные, заменённые',
          schema: { type: 'string', enum: ['true', 'false'] },
        },
      ],
      responses: {
        '200': jsonAnswer('Временные логины', 'TemporaryLoginList'),
        '400': badRequest('includeEnded', 'Неверное значение'),
        '403': denied('Нет доступа к временным логинам этой школы'),
        '404': notFound('Школа не найдена'),
        ...common,
      },
    },
  },
  '/api/v1/temporary-logins/{temporaryLoginId}/revoke': {
    post: {
      operationId: 'revokeTemporaryLogin',
      summary: 'Отозвать временный логин',
      description: 'Администратор школы. Логин перестаёт действовать сразу, сеансы завершаются.',
      parameters: [temporaryLoginId, idempotencyKey],
      requestBody: jsonBody('RevokeTemporaryLogin'),
      responses: {
        '200': jsonAnswer('Логин отозван', 'TemporaryLogin'),
        '400': badRequest('reason', 'Обязательное поле'),
        '403': denied('Отозвать логин может администратор его школы'),
        '404': notFound('Временный логин не найден'),
        ...conflictOrState('Логин уже не действует'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/schools/{schoolId}/link-candidates': {
    get: {
      operationId: 'listLinkCandidates',
      summary: 'Кандидаты на связывание',
      description:
        `${schoolLists} Учётные записи Госуслуг, совпавшие с людьми школы только по ФИО и дате ` +
        'рождения: их связывает или отклоняет администратор.',
      parameters: [schoolId],
      responses: {
        '200': jsonAnswer('Кандидаты', 'LinkCandidateList'),
        '400': badRequest('schoolId', 'Слишком длинное значение'),
        '403': denied('Нет доступа к кандидатам этой школы'),
        '404': notFound('Школа не найдена'),
        ...common,
      },
    },
  },
  '/api/v1/link-candidates/{candidateId}/decision': {
    post: {
      operationId: 'decideLinkCandidate',
      summary: 'Подтвердить или отклонить кандидата',
      description: 'Администратор школы. confirm — связать учётную запись с человеком, reject — отклонить.',
      parameters: [candidateId, idempotencyKey],
      requestBody: jsonBody('DecideLinkCandidate'),
      responses: {
        '200': jsonAnswer('Решение принято', 'LinkCandidate'),
        '400': badRequest('decision', 'Неверное значение'),
        '403': denied('Решает администратор школы человека'),
        '404': notFound('Кандидат не найден'),
        ...conflictOrState('Решение по кандидату уже принято или человек уже связан'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/invitations': {
    post: {
      operationId: 'issueInvitation',
      summary: 'Выдать код приглашения',
      description:
        'Классный руководитель (родителю или обучающемуся своего класса) или администратор школы. ' +
        'Код одноразовый и показывается один раз: вошедший с ним свяжет свою учётную запись с человеком.',
      parameters: [idempotencyKey],
      requestBody: jsonBody('IssueInvitation'),
      responses: {
        '201': {
          ...jsonAnswer('Код выдан: показывается только здесь', 'Invitation'),
          headers: { ...noStore },
        },
        '400': badRequest('personId', 'Обязательное поле'),
        '403': denied('Код выдаёт классный руководитель или администратор школы'),
        '404': notFound('Человек или школа не найдены'),
        ...conflictOrState('Человек уже связан с учётной записью'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/invitations/redeem': {
    post: {
      operationId: 'redeemInvitation',
      summary: 'Ввести код приглашения',
      description: 'Учётная запись вошедшего связывается с человеком кода; код больше не действует.',
      parameters: [idempotencyKey],
      requestBody: jsonBody('RedeemInvitation'),
      responses: {
        '200': jsonAnswer('Учётная запись связана', 'Account'),
        '400': badRequest('code', 'Обязательное поле'),
        '403': denied('Нет доступа к этому действию'),
        '404': notFound('Код не найден'),
        ...conflictOrState('Учётная запись уже связана с другим человеком'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/accounts/{accountId}/link': {
    post: {
      operationId: 'linkAccount',
      summary: 'Связать учётную запись с человеком',
      description:
        'Оператор региона или администратор школы человека: учётные записи сотрудников и ' +
        'исправление ошибочной связи. Основание обязательно.',
      parameters: [accountId, idempotencyKey],
      requestBody: jsonBody('LinkAccount'),
      responses: {
        '200': jsonAnswer('Учётная запись связана', 'Account'),
        '400': badRequest('reason', 'Обязательное поле'),
        '403': denied('Связывает оператор региона или администратор школы человека'),
        '404': notFound('Учётная запись или человек не найдены'),
        ...conflictOrState('Человек уже связан с другой учётной записью'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/accounts/{accountId}/unlink': {
    post: {
      operationId: 'unlinkAccount',
      summary: 'Отвязать учётную запись от человека',
      description: 'Администратор школы человека. Основание обязательно.',
      parameters: [accountId, idempotencyKey],
      requestBody: jsonBody('UnlinkAccount'),
      responses: {
        '200': jsonAnswer('Учётная запись отвязана', 'Account'),
        '400': badRequest('reason', 'Обязательное поле'),
        '403': denied('Отвязывает администратор школы человека'),
        '404': notFound('Учётная запись не найдена'),
        ...conflictOrState('Учётная запись ни с кем не связана'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/accounts/{accountId}/grants': {
    get: {
      operationId: 'listAccountGrants',
      summary: 'Явные права учётной записи',
      description: 'Оператор региона.',
      parameters: [accountId],
      responses: {
        '200': jsonAnswer('Права', 'GrantList'),
        '400': badRequest('accountId', 'Слишком длинное значение'),
        '403': denied('Права видит оператор региона'),
        '404': notFound('Учётная запись не найдена'),
        ...common,
      },
    },
    post: {
      operationId: 'giveGrant',
      summary: 'Дать явное право',
      description:
        'Оператор региона: администратор школы (scopeId — школа), сотрудник муниципалитета ' +
        '(scopeId — муниципалитет), оператор региона (без scopeId) или роль сотрудника школы ' +
        'до приказа в контингенте (исполняющий обязанности). Основание обязательно.',
      parameters: [accountId, idempotencyKey],
      requestBody: jsonBody('GiveGrant'),
      responses: {
        '201': {
          ...jsonAnswer('Право дано', 'Grant'),
          headers: { Location: { schema: { type: 'string' }, description: 'Адрес права' } },
        },
        '400': badRequest('role', 'Неверное значение'),
        '403': denied('Явные права даёт оператор региона'),
        '404': notFound('Учётная запись, школа или муниципалитет не найдены'),
        ...conflictOrState('Такое право уже действует'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/grants/{grantId}/revoke': {
    post: {
      operationId: 'revokeGrant',
      summary: 'Отозвать явное право',
      description: 'Оператор региона. Основание обязательно; право перестаёт действовать сразу.',
      parameters: [grantId, idempotencyKey],
      requestBody: jsonBody('RevokeGrant'),
      responses: {
        '200': jsonAnswer('Право отозвано', 'Grant'),
        '400': badRequest('reason', 'Обязательное поле'),
        '403': denied('Явные права отзывает оператор региона'),
        '404': notFound('Право не найдено'),
        ...conflictOrState('Право уже отозвано'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/schools/{schoolId}/account-deadlines': {
    get: {
      operationId: 'listAccountDeadlines',
      summary: 'Без учётной записи дольше срока',
      description:
        `${schoolLists} Сотрудники и обучающиеся, принятые или зачисленные больше 3 рабочих дней назад ` +
        'и всё ещё без учётной записи (R1.7).',
      parameters: [
        schoolId,
        {
          name: 'on',
          in: 'query',
          required: false,
          description: 'На какой день считать, ГГГГ-ММ-ДД; не передан — сегодня по времени школы',
          schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' },
        },
      ],
      responses: {
        '200': jsonAnswer('Просроченные', 'AccountDeadlines'),
        '400': badRequest('on', 'Неверный формат'),
        '403': denied('Нет доступа к спискам этой школы'),
        '404': notFound('Школа не найдена'),
        ...common,
      },
    },
  },
  '/api/v1/schools/{schoolId}/login-audit': {
    get: {
      operationId: 'listLoginAudit',
      summary: 'Журнал входов школы',
      description: `${schoolAdmin} Входы и неудачные попытки входа учётных записей школы, сначала новые.`,
      parameters: [
        schoolId,
        {
          name: 'accountId',
          in: 'query',
          required: false,
          description: 'Только эта учётная запись',
          schema: { type: 'string', minLength: 1, maxLength: 64 },
        },
        {
          name: 'limit',
          in: 'query',
          required: false,
          description: 'Сколько записей, 1–500; не передан — 100',
          schema: { type: 'integer', minimum: 1, maximum: 500 },
        },
      ],
      responses: {
        '200': jsonAnswer('Записи журнала', 'LoginAudit'),
        '400': badRequest('limit', 'Значение вне допустимого диапазона'),
        '403': denied('Журнал входов видит администратор школы'),
        '404': notFound('Школа не найдена'),
        ...common,
      },
    },
  },
} as const;

// --- Schemas ----------------------------------------------------------------------------------

export const identitySchemas = {
  Me: me,
  IdentitySchoolRole: schoolRole,
  IdentityChild: child,
  Account: account,
  TemporaryLogin: temporaryLogin,
  IssueTemporaryLogin: {
    type: 'object',
    additionalProperties: false,
    required: ['studentId', 'reason', 'documentRef'],
    properties: {
      studentId: id('Обучающийся'),
      reason: reason('Причина: например, «Нет подтверждённой учётной записи на Госуслугах»'),
      documentRef: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        description: 'Письменное заявление родителя: номер и дата',
      },
      validDays: {
        type: 'integer',
        minimum: 1,
        maximum: 90,
        description: 'Сколько дней действует, 1–90; не передан — 90',
      },
    },
  },
  IssuedTemporaryLogin: {
    type: 'object',
    required: ['login', 'oneTimePassword'],
    properties: {
      login: nullable('TemporaryLogin', 'Выданный логин'),
      oneTimePassword: text('Одноразовый пароль: показывается один раз, меняется при первом входе'),
    },
  },
  TemporaryLoginList: {
    type: 'object',
    required: ['logins'],
    properties: { logins: list('TemporaryLogin', 'Временные логины') },
  },
  RevokeTemporaryLogin: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: { reason: reason('Почему отозван') },
  },
  LinkCandidate: linkCandidate,
  LinkCandidateList: {
    type: 'object',
    required: ['candidates'],
    properties: { candidates: list('LinkCandidate', 'Кандидаты, ждущие решения') },
  },
  DecideLinkCandidate: {
    type: 'object',
    additionalProperties: false,
    required: ['decision'],
    properties: {
      decision: {
        type: 'string',
        enum: ['confirm', 'reject'],
        description: 'confirm — связать, reject — отклонить',
      },
    },
  },
  Invitation: invitation,
  IssueInvitation: {
    type: 'object',
    additionalProperties: false,
    required: ['personId', 'schoolId'],
    properties: {
      personId: id('Родитель или обучающийся, с которым свяжет код'),
      schoolId: id('Школа человека (для родителя — школа ребёнка)'),
    },
  },
  RedeemInvitation: {
    type: 'object',
    additionalProperties: false,
    required: ['code'],
    properties: { code: { type: 'string', minLength: 1, maxLength: 64, description: 'Код приглашения' } },
  },
  LinkAccount: {
    type: 'object',
    additionalProperties: false,
    required: ['personId', 'reason'],
    properties: {
      personId: id('Человек из контингента'),
      reason: reason('Основание: например, приказ о приёме'),
    },
  },
  UnlinkAccount: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: { reason: reason('Основание') },
  },
  Grant: grant,
  GrantList: {
    type: 'object',
    required: ['grants'],
    properties: { grants: list('Grant', 'Права') },
  },
  GiveGrant: {
    type: 'object',
    additionalProperties: false,
    required: ['role', 'reason'],
    properties: {
      role: { type: 'string', enum: GRANT_ROLES, description: 'Роль' },
      scopeId: {
        type: 'string',
        maxLength: 64,
        description: 'Школа для ролей школы, муниципалитет для municipalOfficer; без него — regionOperator',
      },
      reason: reason('Основание: приказ, распоряжение'),
    },
  },
  RevokeGrant: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: { reason: reason('Основание') },
  },
  AccountDeadline: accountDeadline,
  AccountDeadlines: {
    type: 'object',
    required: ['overdue'],
    properties: { overdue: list('AccountDeadline', 'Без учётной записи дольше 3 рабочих дней') },
  },
  LoginAuditEntry: loginAuditEntry,
  LoginAudit: {
    type: 'object',
    required: ['entries'],
    properties: { entries: list('LoginAuditEntry', 'Записи, сначала новые') },
  },
} as const;
