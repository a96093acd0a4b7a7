// The class journal's part of the gateway's contract (электронный журнал, R5.1–R5.9, R2.4, R8.1):
// gradebook's resources in their message form (camelCase, versions as numbers). Kept apart from
// openapi.ts, which spreads these paths and schemas into the one document; the building blocks
// (references, parameters, problem answers) come from openapi-parts.ts.

import {
  idParameter,
  idempotencyKey,
  jsonAnswer,
  jsonBody,
  nullable,
  problemAnswer,
  ref,
  type ProblemExample,
  commonAnswers,
} from './openapi-parts';

const dateString = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Дата ГГГГ-ММ-ДД' };

const queryId = (name: string, description: string, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string', minLength: 1, maxLength: 64 },
});

const dayQuery = (name: string, required: boolean, description: string) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
});

const periodQuery = (required: boolean) => ({
  name: 'period',
  in: 'query',
  required,
  description: 'Номер учебного периода параллели: четверти 1–4, триместры 1–3, полугодия 1–2',
  schema: { type: 'integer', minimum: 1, maximum: 4 },
});

const subgroupQuery = queryId('subgroupId', 'Подгруппа; не передана — весь класс');

const listAnswer = (description: string, schema: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['items'],
        properties: { items: { type: 'array', items: ref(schema) } },
      },
    },
  },
});

const badRequest = (...examples: ProblemExample[]) =>
  problemAnswer(
    'Неверный запрос: поля с ошибками перечислены в errors',
    {
      status: 400,
      code: 'request.invalid',
      title: 'Некорректные данные',
      detail: 'Проверьте поля запроса',
      errors: [{ field: 'marks[0].value', message: 'Неверное значение' }],
    },
    ...examples,
  );

const denied = problemAnswer('Недостаточно прав', {
  status: 403,
  code: 'access.denied',
  title: 'Доступ запрещён',
  detail: 'Недостаточно прав для этого действия',
});

const versionConflict = (what: string, code: string, detail: string) =>
  problemAnswer(`${what} уже изменили: версия устарела`, {
    status: 409,
    code,
    title: 'Конфликт данных',
    detail,
  });

/** A refusal by the state of the data (422): the window closed, the lesson cancelled… */
const refusedNow = (description: string, ...examples: Omit<ProblemExample, 'status' | 'title'>[]) =>
  problemAnswer(
    description,
    ...examples.map((e) => ({ status: 422, title: 'Действие сейчас невозможно', ...e })),
  );

// Answers every operation can give besides its own: the gateway's and the service's.
const common = commonAnswers('Журнал временно недоступен', 'Журнал не ответил вовремя');

const readAnswers = (notFound: string) => ({
  '400': badRequest(),
  '403': denied,
  '404': problemAnswer(notFound),
  ...common,
});

const bodyErrors = {
  '413': problemAnswer('Тело запроса слишком большое'),
  '415': problemAnswer('Тело запроса должно быть в формате JSON'),
};

// --- Shared pieces ----------------------------------------------------------------------------

const markValue = {
  type: 'string',
  enum: ['1', '2', '3', '4', '5', 'зачёт', 'незачёт', 'н/а', 'осв'],
  description:
    'Отметка по шкале предмета: 1–5 (или 2–5), «зачёт»/«незачёт»; «н/а» (не аттестован) и «осв» ' +
    '(освобождён) — если их разрешает политика школы',
} as const;

const workTypeKey = {
  type: 'string',
  pattern: '^[a-z][a-z0-9_]{0,39}$',
  description: 'Ключ вида работы из перечня школы, например test (контрольная работа)',
} as const;

const reason = (description: string) => ({ type: 'string', minLength: 1, maxLength: 300, description });

const orderRef = {
  type: 'string',
  maxLength: 100,
  description: 'Приказ, на основании которого исправление вносится после окна, например «№ 45 от 12.11.2026»',
} as const;

const expectedVersion = (description: string, minimum = 0) => ({ type: 'integer', minimum, description });

const attachments = {
  type: 'array',
  maxItems: 10,
  items: { type: 'string', minLength: 1, maxLength: 200 },
  description: 'Ссылки на загруженные файлы (их id), не сами файлы',
} as const;

const homeworkText = { type: 'string', minLength: 1, maxLength: 2000, description: 'Задание' } as const;

const markRevision = {
  type: 'object',
  description: 'Шаг истории отметки: что поставлено, кем, когда и почему',
  properties: {
    kind: { type: 'string', enum: ['posted', 'corrected', 'voided'] },
    value: { type: 'string', description: 'Значение после шага; пусто после аннулирования' },
    workType: { type: 'string' },
    weight: { type: 'number' },
    comment: { type: 'string' },
    by: { type: 'string', description: 'Кто (id сотрудника)' },
    at: { type: 'string', format: 'date-time' },
    reason: { type: 'string', description: 'Причина; пусто при выставлении' },
    orderRef: { type: 'string', description: 'Приказ; пусто, если не нужен' },
  },
} as const;

const mark = {
  type: 'object',
  description: 'Отметка обучающегося за урок; исправление не стирает прежнее значение (история)',
  required: ['markId', 'studentId', 'value', 'workType', 'status', 'history'],
  properties: {
    markId: { type: 'string' },
    studentId: { type: 'string' },
    value: { type: 'string' },
    workType: { type: 'string' },
    workTypeName: { type: 'string', description: 'Например, «Контрольная работа»' },
    weight: { type: 'number', description: 'Вес вида работы на момент выставления' },
    comment: { type: 'string' },
    postedBy: { type: 'string' },
    postedAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['active', 'voided'] },
    corrected: {
      type: 'boolean',
      description: 'Исправлялась или аннулирована (родители видят «исправлено»)',
    },
    history: { type: 'array', items: ref('MarkRevision') },
  },
} as const;

const attendance = {
  type: 'object',
  description: 'Пропуск или опоздание',
  properties: {
    studentId: { type: 'string' },
    kind: { type: 'string', enum: ['absent', 'late'] },
    lateMinutes: { type: 'integer', description: 'Минут опоздания; 0 при пропуске' },
    recordedBy: { type: 'string' },
    recordedAt: { type: 'string', format: 'date-time' },
    reason: {
      type: 'string',
      enum: ['', 'illness', 'application', 'other', 'unexcused'],
      description: 'Причина (ставит классный руководитель); пусто — ещё не указана',
    },
    reasonSetBy: { type: 'string' },
    reasonSetAt: { type: 'string' },
    reasonNote: { type: 'string' },
  },
} as const;

const homework = {
  type: 'object',
  description: 'Домашнее задание: общее (studentId пустой) или индивидуальное',
  properties: {
    text: { type: 'string' },
    dueDate: { type: 'string', description: 'Срок, ГГГГ-ММ-ДД; пусто — к следующему уроку' },
    attachments: { type: 'array', items: { type: 'string' } },
    studentId: { type: 'string' },
    setBy: { type: 'string' },
    setAt: { type: 'string', format: 'date-time' },
  },
} as const;

const topic = {
  type: 'object',
  description: 'Тема урока; planItemId — тема тематического плана, пусто — вне плана',
  properties: {
    text: { type: 'string' },
    planItemId: { type: 'string' },
    setBy: { type: 'string' },
    setAt: { type: 'string', format: 'date-time' },
  },
} as const;

const lessonRecord = {
  type: 'object',
  description:
    'Запись журнала об уроке: урок, как его знает расписание, и его содержание. Версия 0 — записей ещё нет',
  required: [
    'lessonId',
    'courseId',
    'schoolId',
    'classId',
    'subjectId',
    'date',
    'marks',
    'attendance',
    'version',
  ],
  properties: {
    lessonId: { type: 'string' },
    courseId: { type: 'string', description: '«<учебный год>:<класс>:<подгруппа или ->:<предмет>»' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    classId: { type: 'string' },
    subgroupId: { type: 'string', description: 'Пусто — весь класс' },
    subjectId: { type: 'string' },
    subjectKey: { type: 'string' },
    period: { type: 'integer' },
    date: { type: 'string' },
    lessonNumber: { type: 'integer' },
    startsAt: { type: 'string', description: 'ЧЧ:ММ, местное время школы' },
    endsAt: { type: 'string' },
    teacherId: { type: 'string' },
    substituteTeacherId: { type: 'string' },
    lessonStatus: { type: 'string', enum: ['scheduled', 'cancelled'] },
    topic: nullable('LessonTopic', 'Тема; null — не указана'),
    homework: nullable('Homework', 'Общее домашнее задание; null — нет'),
    individualHomework: { type: 'array', items: ref('Homework') },
    marks: { type: 'array', items: ref('Mark'), description: 'В порядке выставления, аннулированные тоже' },
    attendance: { type: 'array', items: ref('Attendance') },
    attendanceTaken: {
      type: 'boolean',
      description: 'Посещаемость отмечена (пустой список тогда — присутствовали все)',
    },
    version: { type: 'integer', description: 'Передайте её как expectedVersion при сохранении' },
    updatedAt: { type: 'string' },
  },
} as const;

const journalStudent = {
  type: 'object',
  description: 'Обучающийся курса: с from по until (пусто — обучается)',
  properties: {
    studentId: { type: 'string' },
    displayName: { type: 'string', description: 'Фамилия Имя Отчество' },
    from: { type: 'string' },
    until: { type: 'string' },
  },
} as const;

const periodMarkKind = {
  type: 'string',
  enum: ['period', 'year', 'exam', 'final'],
  description: 'За период (четверть, триместр, полугодие), годовая, экзаменационная или итоговая',
} as const;

const periodMark = {
  type: 'object',
  description: 'Отметка за период, год, экзамен или итоговая; исправление сохраняет историю',
  required: ['periodMarkId', 'studentId', 'classId', 'subjectId', 'kind', 'period', 'value', 'version'],
  properties: {
    periodMarkId: { type: 'string' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    studentId: { type: 'string' },
    classId: { type: 'string' },
    subjectId: { type: 'string' },
    subjectKey: { type: 'string' },
    kind: periodMarkKind,
    period: { type: 'integer', description: 'Номер периода; 0 — не за период' },
    value: { type: 'string' },
    setBy: { type: 'string' },
    setAt: { type: 'string', format: 'date-time' },
    arithmeticAverage: { type: 'number' },
    weightedAverage: { type: 'number' },
    marksCount: { type: 'integer' },
    corrected: { type: 'boolean' },
    history: { type: 'array', items: ref('MarkRevision') },
    version: { type: 'integer' },
  },
} as const;

const planItem = {
  type: 'object',
  properties: {
    itemId: { type: 'string' },
    number: { type: 'integer', description: 'Порядковый номер с 1' },
    section: { type: 'string' },
    title: { type: 'string' },
    hours: { type: 'number' },
    controlWork: { type: 'boolean', description: 'Контрольная работа' },
  },
} as const;

const thematicPlan = {
  type: 'object',
  description: 'Календарно-тематическое планирование (КТП) курса',
  required: ['courseId', 'classId', 'subjectId', 'items', 'totalHours', 'version'],
  properties: {
    courseId: { type: 'string' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    classId: { type: 'string' },
    subgroupId: { type: 'string' },
    subjectId: { type: 'string' },
    items: { type: 'array', items: ref('PlanItem') },
    totalHours: { type: 'number' },
    curriculumHours: { type: 'number', description: 'Часы в год по учебному плану; 0 — неизвестны' },
    hoursMismatch: { type: 'boolean', description: 'Сумма часов не совпадает с учебным планом' },
    updatedBy: { type: 'string' },
    updatedAt: { type: 'string' },
    version: { type: 'integer', description: '0 — плана ещё нет' },
  },
} as const;

const workType = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'name', 'weight', 'active'],
  properties: {
    key: workTypeKey,
    name: { type: 'string', minLength: 1, maxLength: 100, description: 'Например, «Контрольная работа»' },
    weight: { type: 'number', minimum: 0.1, maximum: 10, description: 'Вес в средневзвешенном' },
    active: {
      type: 'boolean',
      description: 'false — остаётся для истории, для новых отметок не предлагается',
    },
  },
} as const;

const gradingPolicyProperties = {
  scales: {
    type: 'array',
    maxItems: 100,
    description: 'Шкалы по параллелям и предметам: действует последнее подходящее правило, иначе 1–5',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['grades', 'scale'],
      properties: {
        grades: {
          type: 'array',
          minItems: 1,
          maxItems: 11,
          items: { type: 'integer', minimum: 1, maximum: 11 },
          description: 'Параллели',
        },
        subjectKeys: {
          type: 'array',
          maxItems: 100,
          items: { type: 'string', pattern: '^[a-z][a-z0-9_]{1,39}$' },
          description: 'Ключи предметов; пусто — все предметы',
        },
        scale: {
          type: 'string',
          enum: ['five_point', 'five_point_2_5', 'pass_fail', 'none'],
          description: '1–5, 2–5, зачёт/незачёт или без отметок (первый класс)',
        },
      },
    },
  },
  workTypes: { type: 'array', minItems: 1, maxItems: 50, items: ref('WorkType') },
  entryDeadline: {
    type: 'string',
    enum: ['same_day', 'next_monday', 'days'],
    description:
      'До какого срока учитель заполняет урок: до конца дня урока, до конца понедельника следующей ' +
      'недели или entryDays дней после дня урока',
  },
  entryDays: { type: 'integer', minimum: 0, maximum: 14, description: 'Дней после дня урока (для days)' },
  correctionDays: {
    type: 'integer',
    minimum: 0,
    maximum: 30,
    description: 'Сколько дней автор может исправить отметку; 0 — только заместитель',
  },
  periodMarkWindowDays: {
    type: 'integer',
    minimum: 1,
    maximum: 30,
    description: 'Отметки за период ставятся в последние N дней периода',
  },
  accumulation: {
    type: 'array',
    maxItems: 20,
    description: 'Минимум отметок за период по недельной нагрузке',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['minHoursPerWeek', 'minMarks'],
      properties: {
        minHoursPerWeek: {
          type: 'number',
          minimum: 0,
          maximum: 40,
          description: 'От стольких часов в неделю',
        },
        minMarks: { type: 'integer', minimum: 0, maximum: 100, description: 'Нужно отметок' },
      },
    },
  },
  allowNotAttested: { type: 'boolean', description: 'Можно ставить «н/а»' },
  allowExempt: { type: 'boolean', description: 'Можно ставить «осв»' },
  roundingThreshold: {
    type: 'number',
    minimum: 0,
    maximum: 1,
    description: 'С какой доли средневзвешенное округляется вверх: 0,5 — 4,5 → 5',
  },
  lowMarkThreshold: {
    type: 'integer',
    minimum: 0,
    maximum: 5,
    description: 'Отметка не выше этой — низкая (уведомления)',
  },
} as const;

const gradingPolicyRequired = [
  'scales',
  'workTypes',
  'entryDeadline',
  'correctionDays',
  'periodMarkWindowDays',
  'accumulation',
  'allowNotAttested',
  'allowExempt',
  'roundingThreshold',
  'lowMarkThreshold',
] as const;

// --- Paths ------------------------------------------------------------------------------------

const classId = idParameter('classId', 'Класс');
const subjectId = idParameter('subjectId', 'Предмет');

export const gradebookPaths = {
  '/api/v1/schools/{schoolId}/grading-policy': {
    get: {
      operationId: 'getGradingPolicy',
      summary: 'Политика оценивания школы',
      description:
        'Все, у кого есть роль в школе. Пока школа не задала свою — значения по умолчанию с версией 0.',
      parameters: [idParameter('schoolId', 'Школа')],
      responses: {
        '200': jsonAnswer('Политика оценивания', 'GradingPolicy'),
        ...readAnswers('Школа не найдена'),
      },
    },
    put: {
      operationId: 'setGradingPolicy',
      summary: 'Задать политику оценивания школы (целиком, с версией)',
      description:
        'Директор или заместитель. Шкалы, виды работ и веса, сроки заполнения и исправления, окно ' +
        'отметок за период, таблица накопляемости. expectedVersion: 0 — пока действуют значения по умолчанию.',
      parameters: [idParameter('schoolId', 'Школа'), idempotencyKey],
      requestBody: jsonBody('SetGradingPolicy'),
      responses: {
        '200': jsonAnswer('Политика оценивания', 'GradingPolicy'),
        '400': badRequest({
          status: 400,
          code: 'policy.invalid',
          title: 'Некорректные данные',
          detail: 'Политика оценивания заполнена с ошибками',
          errors: [{ field: 'workTypes[1].key', message: 'Такой вид работы уже есть' }],
        }),
        '403': denied,
        '404': problemAnswer('Школа не найдена'),
        '409': versionConflict(
          'Политику оценивания',
          'policy.version_conflict',
          'Политику оценивания уже изменили: обновите страницу и повторите',
        ),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/lessons/{lessonId}/record': {
    get: {
      operationId: 'getLessonRecord',
      summary: 'Запись журнала об уроке',
      description:
        'Учитель урока, замещающий, классный руководитель, руководители школы. До первых записей — пустая ' +
        'запись с версией 0. С ней — обучающиеся урока на его дату, по алфавиту.',
      parameters: [idParameter('lessonId', 'Урок (id расписания)')],
      responses: {
        '200': jsonAnswer('Запись урока и его обучающиеся', 'LessonRecordWithStudents'),
        ...readAnswers('Урок не найден (журнал узнаёт уроки из расписания с небольшой задержкой)'),
      },
    },
    put: {
      operationId: 'saveLessonRecord',
      summary: 'Сохранить урок: тему, домашнее задание, новые отметки, посещаемость',
      description:
        'Учитель урока или замещающий — с начала урока до срока политики школы (по умолчанию до конца дня ' +
        'урока по времени школы). Одно сохранение — одна запись: непереданные части остаются как есть; ' +
        'marks добавляются (исправление — через corrections); attendance и individualHomework заменяют ' +
        'прежние целиком (пустой attendance — присутствовали все). Отметка — по шкале предмета и вида работы ' +
        'из перечня школы; в ошибке названы все неверные поля.',
      parameters: [idParameter('lessonId', 'Урок (id расписания)'), idempotencyKey],
      requestBody: jsonBody('SaveLessonRecord'),
      responses: {
        '200': jsonAnswer('Запись урока после сохранения', 'LessonRecordWithStudents'),
        '400': badRequest(
          {
            status: 400,
            code: 'record.invalid',
            title: 'Некорректные данные',
            detail: 'Запись урока не сохранена: исправьте ошибки',
            errors: [
              { field: 'marks[0].studentId', message: 'Ученика нет в списке класса (группы) на день урока' },
              { field: 'marks[1].workType', message: 'Вид работы «quiz» не входит в перечень школы' },
            ],
          },
          {
            status: 400,
            code: 'record.empty',
            title: 'Некорректные данные',
            detail: 'Нечего сохранять: укажите тему, задание, отметки или посещаемость',
          },
        ),
        '403': problemAnswer('Недостаточно прав: не учитель урока', {
          status: 403,
          code: 'access.denied',
          title: 'Доступ запрещён',
          detail: 'Недостаточно прав для этого действия',
        }),
        '404': problemAnswer('Урок не найден', {
          status: 404,
          code: 'lesson.not_found',
          title: 'Не найдено',
          detail: 'Урок не найден в расписании',
        }),
        '409': versionConflict(
          'Урок',
          'record.version_conflict',
          'Урок уже изменён другим пользователем или в другой вкладке: обновите страницу и повторите ввод',
        ),
        '422': refusedNow(
          'Урок ещё не начался, срок заполнения истёк или урок отменён',
          {
            code: 'record.window_closed',
            detail:
              'Срок внесения записей за урок 07.09.2026 истёк: исправления — через заместителя директора',
          },
          {
            code: 'record.before_lesson',
            detail: 'Отметки и посещаемость вносятся с начала урока: вносить их заранее нельзя',
          },
          { code: 'lesson.cancelled', detail: 'Урок отменён: записи в журнал по нему не вносятся' },
        ),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/lessons/{lessonId}/marks/{markId}/corrections': {
    post: {
      operationId: 'correctMark',
      summary: 'Исправить отметку (с причиной)',
      description:
        'Автор отметки — в пределах срока исправления политики, после него — заместитель директора с ' +
        'приказом (orderRef). Прежнее значение остаётся в истории отметки.',
      parameters: [idParameter('lessonId', 'Урок'), idParameter('markId', 'Отметка'), idempotencyKey],
      requestBody: jsonBody('CorrectMark'),
      responses: {
        '200': jsonAnswer('Запись урока после исправления', 'LessonRecordWithStudents'),
        '400': badRequest({
          status: 400,
          code: 'mark.invalid',
          title: 'Некорректные данные',
          detail: 'Исправление не сохранено: исправьте ошибки',
          errors: [
            { field: 'value', message: 'Исправление ничего не меняет' },
            { field: 'orderRef', message: 'После срока исправления укажите приказ (номер и дату)' },
          ],
        }),
        '403': denied,
        '404': problemAnswer('Урок или отметка не найдены', {
          status: 404,
          code: 'mark.not_found',
          title: 'Не найдено',
          detail: 'Отметка не найдена в этом уроке',
        }),
        '409': versionConflict(
          'Урок',
          'record.version_conflict',
          'Урок уже изменён другим пользователем или в другой вкладке: обновите страницу и повторите ввод',
        ),
        '422': refusedNow(
          'Отметка аннулирована или срок исправления истёк',
          { code: 'mark.voided', detail: 'Отметка уже аннулирована' },
          {
            code: 'mark.correction_window_closed',
            detail: 'Срок исправления (7 дн.) истёк: исправление — через заместителя директора по приказу',
          },
        ),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/lessons/{lessonId}/marks/{markId}/void': {
    post: {
      operationId: 'voidMark',
      summary: 'Аннулировать отметку (с причиной)',
      description: 'По тем же правилам, что исправление. Отметка остаётся в журнале со статусом voided.',
      parameters: [idParameter('lessonId', 'Урок'), idParameter('markId', 'Отметка'), idempotencyKey],
      requestBody: jsonBody('VoidMark'),
      responses: {
        '200': jsonAnswer('Запись урока после аннулирования', 'LessonRecordWithStudents'),
        '400': badRequest({
          status: 400,
          code: 'mark.invalid',
          title: 'Некорректные данные',
          detail: 'Исправление не сохранено: исправьте ошибки',
          errors: [
            { field: 'value', message: 'Исправление ничего не меняет' },
            { field: 'orderRef', message: 'После срока исправления укажите приказ (номер и дату)' },
          ],
        }),
        '403': denied,
        '404': problemAnswer('Урок или отметка не найдены', {
          status: 404,
          code: 'mark.not_found',
          title: 'Не найдено',
          detail: 'Отметка не найдена в этом уроке',
        }),
        '409': versionConflict(
          'Урок',
          'record.version_conflict',
          'Урок уже изменён другим пользователем или в другой вкладке: обновите страницу и повторите ввод',
        ),
        '422': refusedNow(
          'Отметка аннулирована или срок исправления истёк',
          { code: 'mark.voided', detail: 'Отметка уже аннулирована' },
          {
            code: 'mark.correction_window_closed',
            detail: 'Срок исправления (7 дн.) истёк: исправление — через заместителя директора по приказу',
          },
        ),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/classes/{classId}/students/{studentId}/absence-reasons': {
    post: {
      operationId: 'setAbsenceReason',
      summary: 'Указать причину пропусков обучающегося за дни',
      description:
        'Классный руководитель (и руководители школы). Причина ставится всем пропускам обучающегося на ' +
        'уроках класса и его подгрупп с from по to включительно; в ответе — изменённые записи уроков.',
      parameters: [classId, idParameter('studentId', 'Обучающийся'), idempotencyKey],
      requestBody: jsonBody('SetAbsenceReason'),
      responses: {
        '200': listAnswer('Изменённые записи уроков', 'LessonRecord'),
        '400': badRequest(),
        '403': denied,
        '404': problemAnswer('Класс или обучающийся не найдены'),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/classes/{classId}/subjects/{subjectId}/period-marks': {
    put: {
      operationId: 'setPeriodMark',
      summary: 'Поставить или исправить отметку за период, год, экзамен или итоговую',
      description:
        'Учитель курса — в окне отметок за период (последние дни периода по политике), исправление — с ' +
        'причиной; после окна — заместитель с приказом. expectedVersion: 0 — отметка ставится впервые.',
      parameters: [classId, subjectId, idempotencyKey],
      requestBody: jsonBody('SetPeriodMark'),
      responses: {
        '200': jsonAnswer('Отметка за период', 'PeriodMark'),
        '400': badRequest(),
        '403': denied,
        '404': problemAnswer('Класс, предмет или обучающийся не найдены'),
        '409': versionConflict(
          'Отметку',
          'period_mark.version_conflict',
          'Итоговую отметку уже изменили: обновите страницу и повторите',
        ),
        '422': refusedNow(
          'Вне окна отметок за период или срок исправления истёк',
          {
            code: 'period_mark.outside_window',
            detail: 'Отметки за период ставятся в последние 5 дней периода',
          },
          {
            code: 'period_mark.correction_window_closed',
            detail:
              'Срок исправления (7 дн.) истёк: исправить отметку может директор или заместитель директора по приказу',
          },
        ),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/classes/{classId}/period-marks': {
    get: {
      operationId: 'listPeriodMarks',
      summary: 'Отметки класса за периоды',
      description: 'Учителя класса, классный руководитель, руководители школы. Фильтры необязательны.',
      parameters: [
        classId,
        queryId('subjectId', 'Предмет'),
        { name: 'kind', in: 'query', required: false, description: 'Вид отметки', schema: periodMarkKind },
        periodQuery(false),
      ],
      responses: {
        '200': listAnswer('Отметки за периоды', 'PeriodMark'),
        ...readAnswers('Класс не найден'),
      },
    },
  },
  '/api/v1/classes/{classId}/subjects/{subjectId}/lacking-marks': {
    get: {
      operationId: 'listLackingMarks',
      summary: 'Кому не хватает отметок для аттестации за период',
      description:
        'Учитель курса, классный руководитель, руководители школы. Минимум — по недельной нагрузке.',
      parameters: [classId, subjectId, periodQuery(true), subgroupQuery],
      responses: {
        '200': jsonAnswer('Обучающиеся с недостатком отметок', 'LackingMarks'),
        ...readAnswers('Класс или предмет не найдены'),
      },
    },
  },
  '/api/v1/classes/{classId}/subjects/{subjectId}/thematic-plan': {
    get: {
      operationId: 'getThematicPlan',
      summary: 'Тематический план курса (КТП)',
      description: 'Учителя класса и руководители школы. Пока плана нет — пустой с версией 0.',
      parameters: [classId, subjectId, subgroupQuery],
      responses: {
        '200': jsonAnswer('Тематический план', 'ThematicPlan'),
        ...readAnswers('Класс или предмет не найдены'),
      },
    },
    put: {
      operationId: 'setThematicPlan',
      summary: 'Задать тематический план курса (целиком, с версией)',
      description:
        'Учитель курса или руководители школы. Тема с itemId сохраняет его (уроки с этой темой остаются ' +
        'при ней), без — новая. Расхождение с часами учебного плана — не ошибка, а отметка hoursMismatch.',
      parameters: [classId, subjectId, subgroupQuery, idempotencyKey],
      requestBody: jsonBody('SetThematicPlan'),
      responses: {
        '200': jsonAnswer('Тематический план', 'ThematicPlan'),
        '400': badRequest(),
        '403': denied,
        '404': problemAnswer('Класс или предмет не найдены'),
        '409': versionConflict(
          'План',
          'plan.version_conflict',
          'Тематический план уже изменили: обновите страницу и повторите',
        ),
        ...bodyErrors,
        ...common,
      },
    },
  },
  '/api/v1/classes/{classId}/subjects/{subjectId}/thematic-plan/progress': {
    get: {
      operationId: 'getPlanProgress',
      summary: 'Выполнение тематического плана по периодам',
      description: 'Сколько уроков проведено и сколько из них с темой, сколько тем и часов плана пройдено.',
      parameters: [classId, subjectId, subgroupQuery],
      responses: {
        '200': jsonAnswer('Выполнение плана', 'PlanProgress'),
        ...readAnswers('Класс или предмет не найдены'),
      },
    },
  },
  '/api/v1/classes/{classId}/subjects/{subjectId}/journal': {
    get: {
      operationId: 'getJournalPage',
      summary: 'Страница журнала: курс за период, все клетки',
      description:
        'Учитель курса, замещавшие в нём, классный руководитель, руководители школы. Обучающиеся периода по ' +
        'алфавиту, уроки по датам с записями, средние, отметки за период и виды работ школы — одним ответом.',
      parameters: [classId, subjectId, periodQuery(true), subgroupQuery],
      responses: {
        '200': jsonAnswer('Страница журнала', 'JournalPage'),
        ...readAnswers('Класс или предмет не найдены'),
      },
    },
  },
  '/api/v1/classes/{classId}/students/{studentId}/marks': {
    get: {
      operationId: 'getStudentMarks',
      summary: 'Отметки обучающегося по предметам за период',
      description:
        'Сам обучающийся, родитель с действующим согласием, учителя класса, классный руководитель, ' +
        'руководители школы.',
      parameters: [classId, idParameter('studentId', 'Обучающийся'), periodQuery(true)],
      responses: {
        '200': jsonAnswer('Отметки по предметам со средними', 'StudentMarks'),
        ...readAnswers('Класс или обучающийся не найдены'),
      },
    },
  },
  '/api/v1/teachers/{teacherId}/day': {
    get: {
      operationId: 'getTeacherDay',
      summary: 'Уроки учителя за день и что в них не заполнено',
      description:
        'Сам учитель и руководители школы. Для каждого урока — чего не хватает (topic, attendance, homework, ' +
        'marks) и открыт ли он для записи. date не передана — сегодня по времени школы.',
      parameters: [idParameter('teacherId', 'Учитель'), dayQuery('date', false, 'День, ГГГГ-ММ-ДД')],
      responses: {
        '200': jsonAnswer('День учителя', 'TeacherDay'),
        ...readAnswers('Учитель не найден'),
      },
    },
  },
  '/api/v1/schools/{schoolId}/journal-keeping': {
    get: {
      operationId: 'getJournalKeeping',
      summary: 'Ведение журнала: по учителям, курсам и неделям',
      description:
        'Руководители школы. Не больше 93 дней; без учителя (teacherId) и класса (classId) — вся школа. ' +
        'Сколько уроков проведено, со сколькими темами, заданиями, посещаемостью, ' +
        'сколько заполнено в день урока и позже, плотность отметок.',
      parameters: [
        idParameter('schoolId', 'Школа'),
        dayQuery('from', true, 'Первый день, ГГГГ-ММ-ДД'),
        dayQuery('to', true, 'Последний день, ГГГГ-ММ-ДД: не больше 92 дней после from'),
        queryId('teacherId', 'Учитель'),
        queryId('classId', 'Класс'),
      ],
      responses: {
        '200': listAnswer('Строки по учителю, курсу и неделе', 'JournalKeepingRow'),
        ...readAnswers('Школа не найдена'),
      },
    },
  },
} as const;

// --- Schemas ----------------------------------------------------------------------------------

export const gradebookSchemas = {
  WorkType: workType,
  GradingPolicy: {
    type: 'object',
    required: ['schoolId', ...gradingPolicyRequired, 'version'],
    properties: {
      schoolId: { type: 'string' },
      ...gradingPolicyProperties,
      updatedBy: { type: 'string' },
      updatedAt: { type: 'string' },
      version: { type: 'integer', description: '0 — значения по умолчанию; передайте как expectedVersion' },
    },
  },
  SetGradingPolicy: {
    type: 'object',
    additionalProperties: false,
    required: ['expectedVersion', ...gradingPolicyRequired],
    properties: {
      expectedVersion: expectedVersion(
        'Версия, к которой относится изменение; 0 — пока значения по умолчанию',
      ),
      ...gradingPolicyProperties,
    },
  },
  MarkRevision: markRevision,
  Mark: mark,
  Attendance: attendance,
  Homework: homework,
  LessonTopic: topic,
  LessonRecord: lessonRecord,
  JournalStudent: journalStudent,
  LessonRecordWithStudents: {
    type: 'object',
    required: ['record', 'students'],
    properties: {
      record: ref('LessonRecord'),
      students: {
        type: 'array',
        items: ref('JournalStudent'),
        description: 'Обучающиеся урока на его дату (класс или подгруппа), по алфавиту',
      },
    },
  },
  SaveLessonRecord: {
    type: 'object',
    additionalProperties: false,
    required: ['expectedVersion'],
    description: 'Непереданные части остаются как есть',
    properties: {
      expectedVersion: expectedVersion('Версия записи, которую вы видели; 0 — записей ещё нет'),
      topic: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: {
          text: { type: 'string', minLength: 1, maxLength: 1000, description: 'Тема урока' },
          planItemId: { type: 'string', maxLength: 64, description: 'Тема тематического плана курса' },
        },
      },
      homework: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: {
          text: homeworkText,
          dueDate: { ...dateString, description: 'Срок; не передан — к следующему уроку' },
          attachments,
        },
      },
      individualHomework: {
        type: 'array',
        maxItems: 100,
        description: 'Индивидуальные задания целиком (заменяют прежние)',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['studentId', 'text'],
          properties: {
            studentId: { type: 'string', minLength: 1, maxLength: 64 },
            text: homeworkText,
            dueDate: dateString,
            attachments,
          },
        },
      },
      marks: {
        type: 'array',
        maxItems: 300,
        description: 'Новые отметки (добавляются к прежним)',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['studentId', 'value', 'workType'],
          properties: {
            studentId: { type: 'string', minLength: 1, maxLength: 64 },
            value: markValue,
            workType: workTypeKey,
            comment: { type: 'string', maxLength: 500, description: 'Комментарий учителя' },
          },
        },
      },
      attendance: {
        type: 'array',
        maxItems: 100,
        description: 'Пропуски и опоздания урока целиком (заменяют прежние; пустой — присутствовали все)',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['studentId', 'kind'],
          properties: {
            studentId: { type: 'string', minLength: 1, maxLength: 64 },
            kind: { type: 'string', enum: ['absent', 'late'], description: 'Отсутствовал или опоздал' },
            lateMinutes: {
              type: 'integer',
              minimum: 1,
              maximum: 90,
              description: 'Минут опоздания (для late)',
            },
          },
        },
      },
    },
  },
  CorrectMark: {
    type: 'object',
    additionalProperties: false,
    required: ['expectedVersion', 'value', 'reason'],
    properties: {
      expectedVersion: expectedVersion('Версия записи урока, которую вы видели', 1),
      value: markValue,
      workType: { ...workTypeKey, description: 'Вид работы; не передан — прежний' },
      comment: {
        type: 'string',
        maxLength: 500,
        description: 'Комментарий после исправления; не передан — без комментария',
      },
      reason: reason('Причина исправления'),
      orderRef,
    },
  },
  VoidMark: {
    type: 'object',
    additionalProperties: false,
    required: ['expectedVersion', 'reason'],
    properties: {
      expectedVersion: expectedVersion('Версия записи урока, которую вы видели', 1),
      reason: reason('Причина аннулирования'),
      orderRef,
    },
  },
  SetAbsenceReason: {
    type: 'object',
    additionalProperties: false,
    required: ['from', 'to', 'reason'],
    properties: {
      from: { ...dateString, description: 'Первый день, ГГГГ-ММ-ДД' },
      to: { ...dateString, description: 'Последний день (включительно), ГГГГ-ММ-ДД' },
      reason: {
        type: 'string',
        enum: ['illness', 'application', 'other', 'unexcused'],
        description:
          'По болезни, по заявлению родителей, по другой уважительной причине или без уважительной',
      },
      note: { type: 'string', maxLength: 300, description: 'Примечание, например документ' },
    },
  },
  PeriodMark: periodMark,
  SetPeriodMark: {
    type: 'object',
    additionalProperties: false,
    required: ['studentId', 'kind', 'value', 'expectedVersion'],
    properties: {
      studentId: { type: 'string', minLength: 1, maxLength: 64 },
      subgroupId: { type: 'string', minLength: 1, maxLength: 64, description: 'Подгруппа курса' },
      kind: periodMarkKind,
      period: { type: 'integer', minimum: 1, maximum: 4, description: 'Номер периода (для kind period)' },
      value: markValue,
      expectedVersion: expectedVersion('0 — отметка ставится впервые; иначе версия, которую вы видели'),
      reason: reason('Причина исправления (обязательна при исправлении)'),
      orderRef,
    },
  },
  LackingMarks: {
    type: 'object',
    required: ['required', 'students'],
    properties: {
      required: { type: 'integer', description: 'Минимум отметок по недельной нагрузке курса' },
      hoursPerWeek: { type: 'number' },
      students: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            studentId: { type: 'string' },
            displayName: { type: 'string' },
            marksCount: { type: 'integer' },
            required: { type: 'integer' },
          },
        },
      },
      periodEndsOn: { type: 'string' },
      daysLeft: { type: 'integer', description: 'Дней до конца периода (по времени школы)' },
    },
  },
  PlanItem: planItem,
  ThematicPlan: thematicPlan,
  SetThematicPlan: {
    type: 'object',
    additionalProperties: false,
    required: ['expectedVersion', 'items'],
    properties: {
      expectedVersion: expectedVersion('Версия плана, которую вы видели; 0 — плана ещё нет'),
      items: {
        type: 'array',
        maxItems: 500,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['title', 'hours'],
          properties: {
            itemId: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              description: 'Прежняя тема; не передан — новая',
            },
            section: { type: 'string', maxLength: 300, description: 'Раздел' },
            title: { type: 'string', minLength: 1, maxLength: 500, description: 'Тема' },
            hours: { type: 'number', minimum: 0, maximum: 100, description: 'Часы' },
            controlWork: { type: 'boolean', description: 'Контрольная работа' },
          },
        },
      },
    },
  },
  PlanProgress: {
    type: 'object',
    required: ['plan', 'periods', 'itemsLeft'],
    properties: {
      plan: ref('ThematicPlan'),
      periods: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            period: { type: 'integer' },
            lessonsHeld: { type: 'integer', description: 'Проведено уроков (прошедшие, не отменённые)' },
            lessonsWithTopic: { type: 'integer' },
            itemsDone: { type: 'integer', description: 'Тем плана пройдено в периоде' },
            hoursDone: { type: 'number', description: 'Часов плана пройдено к концу периода' },
          },
        },
      },
      itemsLeft: { type: 'array', items: ref('PlanItem'), description: 'Темы, которых ещё не было' },
      totalHours: { type: 'number' },
      hoursDone: { type: 'number' },
    },
  },
  StudentAverages: {
    type: 'object',
    properties: {
      studentId: { type: 'string' },
      arithmeticAverage: { type: 'number' },
      weightedAverage: { type: 'number' },
      marksCount: { type: 'integer' },
      absences: { type: 'integer' },
      latenesses: { type: 'integer' },
    },
  },
  JournalPage: {
    type: 'object',
    required: ['courseId', 'period', 'students', 'lessons', 'averages', 'periodMarks', 'workTypes'],
    properties: {
      courseId: { type: 'string' },
      className: { type: 'string' },
      subgroupName: { type: 'string' },
      subjectName: { type: 'string' },
      period: { type: 'integer' },
      periodStartsOn: { type: 'string' },
      periodEndsOn: { type: 'string' },
      scale: { type: 'string', description: 'Шкала курса: five_point, five_point_2_5, pass_fail, none' },
      students: { type: 'array', items: ref('JournalStudent'), description: 'По алфавиту' },
      lessons: { type: 'array', items: ref('LessonRecord'), description: 'Уроки периода по датам' },
      averages: { type: 'array', items: ref('StudentAverages') },
      periodMarks: { type: 'array', items: ref('PeriodMark') },
      workTypes: { type: 'array', items: ref('WorkType') },
    },
  },
  StudentMarks: {
    type: 'object',
    required: ['studentId', 'period', 'subjects'],
    properties: {
      studentId: { type: 'string' },
      displayName: { type: 'string' },
      period: { type: 'integer' },
      subjects: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            subjectId: { type: 'string' },
            subjectName: { type: 'string' },
            courseId: { type: 'string' },
            marks: {
              type: 'array',
              items: {
                type: 'object',
                properties: { lessonId: { type: 'string' }, date: { type: 'string' }, mark: ref('Mark') },
              },
            },
            arithmeticAverage: { type: 'number' },
            weightedAverage: { type: 'number' },
            periodMark: nullable('PeriodMark', 'Отметка за период; null — ещё нет'),
          },
        },
      },
    },
  },
  TeacherDay: {
    type: 'object',
    required: ['teacherId', 'date', 'lessons'],
    properties: {
      teacherId: { type: 'string' },
      date: { type: 'string' },
      lessons: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            record: ref('LessonRecord'),
            className: { type: 'string' },
            subgroupName: { type: 'string' },
            subjectName: { type: 'string' },
            substitution: { type: 'boolean', description: 'Учитель в нём замещает' },
            missing: {
              type: 'array',
              items: { type: 'string', enum: ['topic', 'attendance', 'homework', 'marks'] },
              description: 'Чего не хватает',
            },
            students: { type: 'integer' },
            editable: { type: 'boolean', description: 'Открыт ли урок для записи сейчас' },
            editableUntil: { type: 'string', description: 'До какого момента (UTC)' },
          },
        },
      },
    },
  },
  JournalKeepingRow: {
    type: 'object',
    properties: {
      teacherId: { type: 'string' },
      teacherName: { type: 'string' },
      courseId: { type: 'string' },
      classId: { type: 'string' },
      className: { type: 'string' },
      subgroupId: { type: 'string' },
      subjectId: { type: 'string' },
      subjectName: { type: 'string' },
      week: { type: 'string', description: 'Понедельник недели, ГГГГ-ММ-ДД' },
      lessonsHeld: { type: 'integer' },
      topicsEntered: { type: 'integer' },
      homeworkEntered: { type: 'integer' },
      attendanceTaken: { type: 'integer' },
      enteredOnTime: { type: 'integer', description: 'Заполнены в день урока' },
      enteredLate: { type: 'integer', description: 'Заполнены позже' },
      marks: { type: 'integer' },
      marksDensity: { type: 'number', description: 'Отметок на обучающегося за проведённый урок' },
    },
  },
} as const;
