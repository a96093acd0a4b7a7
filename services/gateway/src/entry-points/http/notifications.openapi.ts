// The notifications service's part of the gateway's contract (R7.1–R7.3, R6.4): the caller's inbox
// and notification preferences, a class's progress reports, and the threads the caller writes in
// with the school. Kept apart from openapi.ts, which spreads these paths and schemas into the one
// document; the building blocks (references, parameters, problem answers) come from
// openapi-parts.ts.

import {
  idParameter,
  idempotencyKey,
  jsonAnswer,
  jsonBody,
  list,
  problemAnswer,
  ref,
  text,
  commonAnswers,
} from './openapi-parts';

const threadId = idParameter('threadId', 'Переписка');
const messageId = idParameter('messageId', 'Сообщение переписки');

const flag = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', enum: ['true', 'false'] },
});

const limit = {
  name: 'limit',
  in: 'query',
  required: false,
  description: 'Сколько вернуть за раз, 1–200; не передан — 50',
  schema: { type: 'integer', minimum: 1, maximum: 200 },
};

const cursor = {
  name: 'cursor',
  in: 'query',
  required: false,
  description: 'nextCursor предыдущей страницы; не передан — первая страница',
  schema: { type: 'string', minLength: 1, maxLength: 512 },
};

const hhmm = {
  type: 'string',
  pattern: '^([01]\\d|2[0-3]):[0-5]\\d$',
} as const;

const TRIGGERS = [
  'mark_posted',
  'mark_corrected',
  'low_mark',
  'absence',
  'homework_tomorrow',
  'period_mark',
  'timetable_changed',
  'school_event',
  'message_received',
  'progress_report',
  'repeated_absence',
];

const badRequest = (field: string, message: string) =>
  problemAnswer('Неверный запрос: поля с ошибками перечислены в errors', {
    status: 400,
    code: 'request.invalid',
    title: 'Некорректные данные',
    detail: 'Проверьте поля запроса',
    errors: [{ field, message }],
  });

const denied = (detail: string, code = 'access.denied') =>
  problemAnswer('Нет доступа к этому действию', {
    status: 403,
    code,
    title: 'Доступ запрещён',
    detail,
  });

// An unknown thread is refused like someone else's (403), so that its existence is not told; 404
// is an unknown message inside the caller's own thread.
const threadNotFound = problemAnswer('Сообщение не найдено в этой переписке', {
  status: 404,
  code: 'messaging.message_not_found',
  title: 'Не найдено',
  detail: 'Сообщение не найдено',
});

const versionConflict = (code: string, detail: string) =>
  problemAnswer('Данные уже изменили: перечитайте их и повторите', {
    status: 409,
    code,
    title: 'Конфликт данных',
    detail,
  });

const tooLate = (code: string, detail: string) =>
  problemAnswer('Действие сейчас невозможно', {
    status: 422,
    code,
    title: 'Действие сейчас невозможно',
    detail,
  });

// Answers every operation can give besides its own: the gateway's and the service's.
const common = commonAnswers(
  'Сервис уведомлений временно недоступен',
  'Сервис уведомлений не ответил вовремя',
);

/** What a request with a body can get besides `errors`: too large, not JSON. */
const bodyErrors = {
  '413': problemAnswer('Тело запроса слишком большое'),
  '415': problemAnswer('Тело запроса должно быть в формате JSON'),
};

const ownThreads =
  'Только участник переписки (а переписку, на которую пожаловались, — ещё и администрация школы); ' +
  'остальным — 404, как если бы её не было.';

// --- Schemas ----------------------------------------------------------------------------------

const notification = {
  type: 'object',
  description: 'Уведомление во входящих',
  required: ['notificationId', 'trigger', 'title', 'body', 'createdAt', 'readAt', 'link'],
  properties: {
    notificationId: { type: 'string' },
    trigger: {
      type: 'string',
      description:
        'Повод: mark_posted, mark_corrected, low_mark, absence, homework_tomorrow, period_mark, ' +
        'timetable_changed, school_event, message_received, progress_report, repeated_absence',
    },
    title: text('Например, «Новая отметка по математике»'),
    body: text('Текст уведомления'),
    studentId: text('О ком (обучающийся); пусто — ни о ком'),
    schoolId: { type: 'string' },
    occurredAt: text('Когда случилось (UTC, ISO 8601)'),
    createdAt: text('Когда пришло во входящие'),
    readAt: text('Когда прочитано; пусто — не прочитано'),
    link: text('Что открыть: «diary:week:<обучающийся>:<дата>», «thread:<id>», «report:<id>»'),
  },
} as const;

const triggerPreference = {
  type: 'object',
  additionalProperties: false,
  description: 'Настройка одного повода',
  required: ['trigger', 'enabled', 'channels', 'delivery'],
  properties: {
    trigger: { type: 'string', enum: TRIGGERS, description: 'Повод уведомления' },
    enabled: { type: 'boolean', description: 'Уведомлять ли (во входящие — всегда, если да)' },
    channels: {
      type: 'array',
      maxItems: 3,
      uniqueItems: true,
      items: { type: 'string', enum: ['email', 'sms', 'push'] },
      description: 'Каналы помимо входящих',
    },
    delivery: {
      type: 'string',
      enum: ['instant', 'daily', 'weekly'],
      description:
        'instant — сразу (близкие по времени объединяются), daily — сводкой в digestTime, ' +
        'weekly — сводкой в digestWeekday',
    },
  },
} as const;

const preferenceFields = {
  email: { type: 'string', maxLength: 254, description: 'Электронная почта для уведомлений; пусто — нет' },
  phone: {
    type: 'string',
    maxLength: 30,
    description: 'Телефон для SMS: +7 913 123-45-67; пусто — нет',
  },
  quietFrom: { ...hhmm, description: 'Начало тихих часов, ЧЧ:ММ по времени школы (по умолчанию 22:00)' },
  quietUntil: { ...hhmm, description: 'Конец тихих часов (по умолчанию 07:00)' },
  digestTime: { ...hhmm, description: 'Время ежедневной сводки (по умолчанию 19:00)' },
  digestWeekday: {
    type: 'integer',
    minimum: 1,
    maximum: 7,
    description: 'День еженедельной сводки: 1 — понедельник … 7 — воскресенье',
  },
} as const;

const preferences = {
  type: 'object',
  description:
    'Как и куда человек согласился получать уведомления (R7.3). В тихие часы e-mail, SMS и push не ' +
    'отправляются: копятся до их конца и не теряются.',
  required: [
    'personId',
    'triggers',
    'email',
    'phone',
    'quietFrom',
    'quietUntil',
    'digestTime',
    'digestWeekday',
    'version',
  ],
  properties: {
    personId: { type: 'string' },
    triggers: list('NotificationTriggerPreference', 'Настройки поводов'),
    ...preferenceFields,
    version: { type: 'integer', description: 'Версия; 0 — ещё не настраивались (значения по умолчанию)' },
    updatedAt: text('Когда изменены; пусто — ни разу'),
  },
} as const;

const setPreferences = {
  type: 'object',
  additionalProperties: false,
  description: 'Настройки целиком: поле, которого нет, становится пустым',
  required: ['expectedVersion', 'triggers', 'quietFrom', 'quietUntil', 'digestTime', 'digestWeekday'],
  properties: {
    expectedVersion: {
      type: 'integer',
      minimum: 0,
      description: 'Прочитанная версия; 0 — настроек ещё не было',
    },
    triggers: { type: 'array', maxItems: 20, items: ref('NotificationTriggerPreference') },
    ...preferenceFields,
  },
} as const;

const progressReportRow = {
  type: 'object',
  description: 'Отчёт об успеваемости одного ребёнка одному родителю',
  required: ['reportId', 'studentId', 'studentName', 'guardianId', 'guardianName', 'sentAt', 'openedAt'],
  properties: {
    reportId: { type: 'string' },
    studentId: { type: 'string' },
    studentName: { type: 'string' },
    guardianId: { type: 'string' },
    guardianName: { type: 'string' },
    sentAt: text('Когда отправлен (UTC)'),
    openedAt: text('Когда открыт; пусто — ещё не открыт'),
  },
} as const;

const attachment = {
  type: 'object',
  description: 'Вложение: ссылка на хранимый файл, не сам файл',
  required: ['fileId', 'fileName', 'contentType', 'sizeBytes', 'scanStatus'],
  properties: {
    fileId: { type: 'string' },
    fileName: { type: 'string' },
    contentType: text('Например, application/pdf'),
    sizeBytes: { type: 'integer' },
    scanStatus: {
      type: 'string',
      enum: ['clean', 'pending', 'infected'],
      description: 'Проверка на вирусы: clean — чисто, pending — идёт, infected — заражено',
    },
  },
} as const;

const newAttachment = {
  type: 'object',
  additionalProperties: false,
  description: 'Вложение: файл, уже загруженный в хранилище',
  required: ['fileId', 'fileName', 'contentType', 'sizeBytes'],
  properties: {
    fileId: { type: 'string', minLength: 1, maxLength: 64, description: 'id файла в хранилище' },
    fileName: { type: 'string', minLength: 1, maxLength: 255 },
    contentType: { type: 'string', minLength: 1, maxLength: 100, description: 'Например, application/pdf' },
    sizeBytes: { type: 'integer', minimum: 0, description: 'Размер, байт' },
  },
} as const;

const attachments = {
  type: 'array',
  maxItems: 10,
  items: ref('NewMessageAttachment'),
  description: 'Вложения (до 10)',
} as const;

const messageText = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 10_000, description }) as const;

const threadMessage = {
  type: 'object',
  description: 'Сообщение переписки',
  required: ['messageId', 'authorId', 'authorName', 'text', 'attachments', 'sentAt', 'deleted', 'readBy'],
  properties: {
    messageId: { type: 'string' },
    authorId: { type: 'string' },
    authorName: { type: 'string' },
    text: { type: 'string' },
    attachments: list('MessageAttachment', 'Вложения'),
    sentAt: { type: 'string' },
    editedAt: text('Когда изменено; пусто — не изменялось'),
    deleted: { type: 'boolean', description: 'Удалено автором' },
    readBy: {
      type: 'array',
      description: 'Кто прочитал и когда',
      items: {
        type: 'object',
        required: ['personId', 'readAt'],
        properties: { personId: { type: 'string' }, readAt: { type: 'string' } },
      },
    },
  },
} as const;

const thread = {
  type: 'object',
  description: 'Переписка (или объявление) с её сообщениями',
  required: ['threadId', 'schoolId', 'kind', 'subject', 'participants', 'messages', 'unread', 'reported'],
  properties: {
    threadId: { type: 'string' },
    schoolId: { type: 'string' },
    kind: {
      type: 'string',
      enum: ['conversation', 'announcement'],
      description: 'conversation — переписка, announcement — объявление (без ответов)',
    },
    subject: text('Тема'),
    studentId: text('О каком обучающемся; пусто — ни о каком'),
    audience: text('Для объявления: «class:<id>» или «school:<id>»'),
    participants: {
      type: 'array',
      items: {
        type: 'object',
        required: ['personId', 'displayName', 'role'],
        properties: {
          personId: { type: 'string' },
          displayName: { type: 'string' },
          role: {
            type: 'string',
            description: 'guardian, student, teacher, class_teacher, administration',
          },
        },
      },
    },
    messages: list('ThreadMessage', 'Сообщения от старых к новым; в списке переписок — пусто'),
    unread: { type: 'integer', description: 'Непрочитанных сообщений у вошедшего' },
    lastMessageAt: { type: 'string' },
    reported: { type: 'boolean', description: 'На переписку пожаловались: её видит администрация школы' },
    reportedAt: { type: 'string' },
  },
} as const;

// --- Paths ------------------------------------------------------------------------------------

export const notificationsPaths = {
  '/api/v1/notifications/inbox': {
    get: {
      operationId: 'listNotifications',
      summary: 'Входящие уведомления вошедшего',
      description: 'Свои уведомления, сначала новые, со счётчиком непрочитанных.',
      parameters: [flag('unreadOnly', 'true — только непрочитанные'), limit, cursor],
      responses: {
        '200': jsonAnswer('Уведомления', 'NotificationInbox'),
        '400': badRequest('limit', 'Значение вне допустимого диапазона'),
        '403': denied('Недостаточно прав для этого действия'),
        ...common,
      },
    },
  },
  '/api/v1/notifications/inbox/read': {
    post: {
      operationId: 'markNotificationsRead',
      summary: 'Отметить уведомления прочитанными',
      description:
        'Свои уведомления: перечисленные в notificationIds или все (all: true). Чужие и неизвестные ' +
        'id не меняют ничего. Отчёт об успеваемости, отмеченный прочитанным, классный руководитель ' +
        'видит открытым.',
      parameters: [idempotencyKey],
      requestBody: jsonBody('MarkNotificationsRead'),
      responses: {
        '200': jsonAnswer('Сколько осталось непрочитанных', 'NotificationsUnread'),
        '400': badRequest('notificationIds', 'Обязательное поле'),
        '403': denied('Недостаточно прав для этого действия'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/notifications/preferences': {
    get: {
      operationId: 'getNotificationPreferences',
      summary: 'Настройки уведомлений вошедшего',
      description: 'Свои настройки; до первой настройки — значения по умолчанию с версией 0.',
      responses: {
        '200': jsonAnswer('Настройки', 'NotificationPreferences'),
        '403': denied('Недостаточно прав для этого действия'),
        ...common,
      },
    },
    put: {
      operationId: 'setNotificationPreferences',
      summary: 'Изменить настройки уведомлений вошедшего',
      description:
        'Свои настройки целиком: поводы, каналы, контакты для уведомлений, тихие часы, время сводок. ' +
        'expectedVersion — прочитанная версия: если настройки уже изменили, 409.',
      parameters: [idempotencyKey],
      requestBody: jsonBody('SetNotificationPreferences'),
      responses: {
        '200': jsonAnswer('Настройки', 'NotificationPreferences'),
        '400': badRequest('quietFrom', 'Неверный формат'),
        '403': denied('Недостаточно прав для этого действия'),
        '409': versionConflict(
          'preferences.version_conflict',
          'Настройки уже изменили: откройте их заново и повторите',
        ),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/notifications/progress-reports': {
    get: {
      operationId: 'listProgressReports',
      summary: 'Отчёты об успеваемости класса за раз рассылки',
      description:
        'Классный руководитель класса, директор, заместители и администраторы школы. По каждому ' +
        'ребёнку и родителю: когда отправлен и открыт ли отчёт (R7.2).',
      parameters: [
        {
          name: 'classId',
          in: 'query',
          required: true,
          description: 'Класс',
          schema: { type: 'string', minLength: 1, maxLength: 64 },
        },
        {
          name: 'roundStartsOn',
          in: 'query',
          required: false,
          description: 'Первый день рассылки, ГГГГ-ММ-ДД; не передан — последняя',
          schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' },
        },
      ],
      responses: {
        '200': jsonAnswer('Отчёты класса', 'ProgressReports'),
        '400': badRequest('classId', 'Обязательное поле'),
        '403': denied('Отчёты класса видят его классный руководитель и администрация школы'),
        '404': problemAnswer('Класс не найден'),
        ...common,
      },
    },
  },
  '/api/v1/messages/threads': {
    get: {
      operationId: 'listMessageThreads',
      summary: 'Переписки вошедшего',
      description:
        'Переписки и объявления, в которых вошедший участвует, сначала с новыми сообщениями, ' +
        'без самих сообщений; query ищет слова в теме и сообщениях.',
      parameters: [
        {
          name: 'query',
          in: 'query',
          required: false,
          description: 'Слова для поиска',
          schema: { type: 'string', maxLength: 200 },
        },
        flag('unreadOnly', 'true — только с непрочитанными'),
        limit,
        cursor,
      ],
      responses: {
        '200': jsonAnswer('Переписки', 'MessageThreadPage'),
        '400': badRequest('limit', 'Ожидается целое число'),
        '403': denied('Недостаточно прав для этого действия'),
        ...common,
      },
    },
    post: {
      operationId: 'startMessageThread',
      summary: 'Начать переписку или опубликовать объявление',
      description:
        'Переписка (conversation) — с участниками participantIds; родитель пишет о своём ребёнке ' +
        '(studentId обязателен) его учителям и администрации, обучающийся — своим учителям, если ' +
        'школа это разрешила. Объявление (announcement) — классный руководитель всем родителям ' +
        'класса («class:<id>») или администрация всей школе («school:<id>»); ответов нет.',
      parameters: [idempotencyKey],
      requestBody: jsonBody('StartMessageThread'),
      responses: {
        '201': {
          ...jsonAnswer('Переписка начата', 'MessageThread'),
          headers: { Location: { schema: { type: 'string' }, description: 'Адрес переписки' } },
        },
        '400': badRequest('kind', 'Неверное значение'),
        '403': denied('Писать этому адресату нельзя', 'messaging.not_allowed'),
        '404': problemAnswer('Школа, участник или обучающийся не найдены'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/messages/threads/{threadId}': {
    get: {
      operationId: 'getMessageThread',
      summary: 'Переписка с сообщениями',
      description: `${ownThreads} Сообщения переписки отмечаются прочитанными вошедшим.`,
      parameters: [threadId],
      responses: {
        '200': jsonAnswer('Переписка', 'MessageThread'),
        '400': badRequest('threadId', 'Слишком длинное значение'),
        '403': denied('Недостаточно прав для этого действия'),
        '404': threadNotFound,
        ...common,
      },
    },
  },
  '/api/v1/messages/threads/{threadId}/messages': {
    post: {
      operationId: 'postThreadMessage',
      summary: 'Написать в переписку',
      description: `${ownThreads} В объявление ответить нельзя.`,
      parameters: [threadId, idempotencyKey],
      requestBody: jsonBody('PostThreadMessage'),
      responses: {
        '201': {
          ...jsonAnswer('Сообщение отправлено: переписка с ним', 'MessageThread'),
          headers: { Location: { schema: { type: 'string' }, description: 'Адрес переписки' } },
        },
        '400': badRequest('text', 'Обязательное поле'),
        '403': denied('На объявление ответить нельзя', 'messaging.not_allowed'),
        '404': threadNotFound,
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/messages/threads/{threadId}/messages/{messageId}': {
    patch: {
      operationId: 'editThreadMessage',
      summary: 'Исправить своё сообщение',
      description: 'Автор — в течение 15 минут после отправки.',
      parameters: [threadId, messageId, idempotencyKey],
      requestBody: jsonBody('EditThreadMessage'),
      responses: {
        '200': jsonAnswer('Переписка с исправленным сообщением', 'MessageThread'),
        '400': badRequest('text', 'Слишком длинное значение'),
        '403': denied('Исправить можно только своё сообщение', 'messaging.not_author'),
        '404': threadNotFound,
        '422': tooLate(
          'messaging.edit_window_passed',
          'Сообщение можно исправить только в течение 15 минут после отправки',
        ),
        ...bodyErrors,
        ...common,
      },
    },
    delete: {
      operationId: 'deleteThreadMessage',
      summary: 'Удалить своё сообщение',
      description: 'Автор — пока его никто не прочитал. В переписке остаётся отметка «удалено».',
      parameters: [threadId, messageId, idempotencyKey],
      responses: {
        '200': jsonAnswer('Переписка без сообщения', 'MessageThread'),
        '400': badRequest('messageId', 'Слишком длинное значение'),
        '403': denied('Удалить можно только своё сообщение', 'messaging.not_author'),
        '404': threadNotFound,
        '422': tooLate('messaging.already_read', 'Сообщение уже прочитали: удалить его нельзя'),
        ...common,
      },
    },
  },
  '/api/v1/messages/threads/{threadId}/report': {
    post: {
      operationId: 'reportMessageThread',
      summary: 'Пожаловаться на переписку',
      description: 'Участник переписки. С этого момента переписку может читать администрация школы.',
      parameters: [threadId, idempotencyKey],
      requestBody: jsonBody('ReportMessageThread'),
      responses: {
        '200': jsonAnswer('Переписка с отметкой о жалобе', 'MessageThread'),
        '400': badRequest('reason', 'Обязательное поле'),
        '403': denied('Недостаточно прав для этого действия'),
        '404': threadNotFound,
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/messages/settings/{schoolId}': {
    get: {
      operationId: 'getMessagingSettings',
      summary: 'Настройки переписки школы',
      description: 'Сотрудники школы.',
      parameters: [idParameter('schoolId', 'Школа')],
      responses: {
        '200': jsonAnswer('Настройки', 'MessagingSettings'),
        '400': badRequest('schoolId', 'Слишком длинное значение'),
        '403': denied('Недостаточно прав для этого действия'),
        '404': problemAnswer('Школа не найдена'),
        ...common,
      },
    },
    put: {
      operationId: 'setMessagingSettings',
      summary: 'Изменить настройки переписки школы',
      description:
        'Директор, заместитель или администратор школы. studentsMayWrite — могут ли обучающиеся ' +
        'начинать переписку со своими учителями (по умолчанию нет). expectedVersion — прочитанная ' +
        'версия: если настройки уже изменили, 409.',
      parameters: [idParameter('schoolId', 'Школа'), idempotencyKey],
      requestBody: jsonBody('SetMessagingSettings'),
      responses: {
        '200': jsonAnswer('Настройки', 'MessagingSettings'),
        '400': badRequest('studentsMayWrite', 'Ожидается да/нет'),
        '403': denied('Недостаточно прав для этого действия'),
        '404': problemAnswer('Школа не найдена'),
        '409': versionConflict(
          'messaging.version_conflict',
          'Настройки уже изменили: откройте их заново и повторите',
        ),
        ...bodyErrors,
        ...common,
      },
    },
  },
} as const;

// --- Schemas ----------------------------------------------------------------------------------

export const notificationsSchemas = {
  InboxNotification: notification,
  NotificationInbox: {
    type: 'object',
    required: ['notifications', 'unread', 'nextCursor'],
    properties: {
      notifications: list('InboxNotification', 'Уведомления, сначала новые'),
      unread: { type: 'integer', description: 'Всего непрочитанных' },
      nextCursor: text('Курсор следующей страницы; пусто — страниц больше нет'),
    },
  },
  MarkNotificationsRead: {
    type: 'object',
    additionalProperties: false,
    description: 'Что отметить: перечисленные уведомления или все (одно из двух обязательно)',
    properties: {
      notificationIds: {
        type: 'array',
        minItems: 1,
        maxItems: 200,
        items: { type: 'string', minLength: 1, maxLength: 256 },
        description: 'Уведомления',
      },
      all: { type: 'boolean', description: 'true — все уведомления' },
    },
    anyOf: [{ required: ['notificationIds'] }, { required: ['all'], properties: { all: { const: true } } }],
  },
  NotificationsUnread: {
    type: 'object',
    required: ['unread'],
    properties: { unread: { type: 'integer', description: 'Осталось непрочитанных' } },
  },
  NotificationTriggerPreference: triggerPreference,
  NotificationPreferences: preferences,
  SetNotificationPreferences: setPreferences,
  ProgressReports: {
    type: 'object',
    required: ['classId', 'roundStartsOn', 'roundEndsOn', 'rows', 'notOpened'],
    properties: {
      classId: { type: 'string' },
      roundStartsOn: text('Первый день рассылки, ГГГГ-ММ-ДД'),
      roundEndsOn: text('Последний день'),
      rows: list('ProgressReportRow', 'По ребёнку и родителю'),
      notOpened: { type: 'integer', description: 'Сколько отчётов ещё не открыто' },
    },
  },
  ProgressReportRow: progressReportRow,
  MessageAttachment: attachment,
  NewMessageAttachment: newAttachment,
  ThreadMessage: threadMessage,
  MessageThread: thread,
  MessageThreadPage: {
    type: 'object',
    required: ['threads', 'unread', 'nextCursor'],
    properties: {
      threads: list('MessageThread', 'Переписки без сообщений, сначала с новыми'),
      unread: { type: 'integer', description: 'Всего непрочитанных сообщений' },
      nextCursor: text('Курсор следующей страницы; пусто — страниц больше нет'),
    },
  },
  StartMessageThread: {
    type: 'object',
    additionalProperties: false,
    required: ['schoolId', 'kind', 'subject', 'text'],
    properties: {
      schoolId: { type: 'string', minLength: 1, maxLength: 64, description: 'Школа' },
      kind: { type: 'string', enum: ['conversation', 'announcement'] },
      subject: { type: 'string', minLength: 1, maxLength: 200, description: 'Тема' },
      participantIds: {
        type: 'array',
        maxItems: 50,
        uniqueItems: true,
        items: { type: 'string', minLength: 1, maxLength: 64 },
        description: 'Переписка: другие участники (id людей)',
      },
      studentId: {
        type: 'string',
        maxLength: 64,
        description: 'О каком ребёнке (обязателен, когда пишет родитель)',
      },
      audience: {
        type: 'string',
        pattern: '^(class|school):[^\\s]{1,64}$',
        description: 'Объявление: «class:<id>» или «school:<id>»',
      },
      text: messageText('Первое сообщение'),
      attachments,
    },
  },
  PostThreadMessage: {
    type: 'object',
    additionalProperties: false,
    required: ['text'],
    properties: { text: messageText('Сообщение'), attachments },
  },
  EditThreadMessage: {
    type: 'object',
    additionalProperties: false,
    required: ['text'],
    properties: { text: messageText('Новый текст сообщения') },
  },
  ReportMessageThread: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: { reason: { type: 'string', minLength: 1, maxLength: 1000, description: 'Что не так' } },
  },
  MessagingSettings: {
    type: 'object',
    required: ['schoolId', 'studentsMayWrite', 'version'],
    properties: {
      schoolId: { type: 'string' },
      studentsMayWrite: {
        type: 'boolean',
        description: 'Обучающиеся могут начинать переписку со своими учителями',
      },
      version: { type: 'integer', description: 'Версия; 0 — значения по умолчанию' },
    },
  },
  SetMessagingSettings: {
    type: 'object',
    additionalProperties: false,
    required: ['studentsMayWrite', 'expectedVersion'],
    properties: {
      studentsMayWrite: {
        type: 'boolean',
        description: 'Обучающиеся могут начинать переписку со своими учителями',
      },
      expectedVersion: {
        type: 'integer',
        minimum: 0,
        description: 'Прочитанная версия; 0 — настроек ещё не было',
      },
    },
  },
} as const;
