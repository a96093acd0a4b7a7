// The diary's part of the gateway's contract (электронный дневник, R6.1–R6.6): what guardians and
// students read, in the diary's message form (camelCase; absent parts as null). Kept apart from
// openapi.ts, which spreads these paths and schemas into the one document; the building
// blocks (references, parameters, problem answers) come from openapi-parts.ts.

import {
  idParameter,
  idempotencyKey,
  jsonAnswer,
  list,
  nullable,
  problemAnswer,
  ref,
  text,
  commonAnswers,
} from './openapi-parts';

const studentId = idParameter('studentId', 'Обучающийся (id человека в контингенте)');

const weekDate = {
  name: 'date',
  in: 'query',
  required: false,
  description: 'Любой день недели, ГГГГ-ММ-ДД; не передан — текущая неделя по времени школы',
  schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date' },
};

const period = {
  name: 'period',
  in: 'query',
  required: false,
  description:
    'Номер учебного периода: четверти 1–4, триместры 1–3, полугодия 1–2; 0 или не передан — текущий ' +
    '(между периодами — ближайший)',
  schema: { type: 'integer', minimum: 0, maximum: 4 },
};

const badRequest = (field: string, message: string) =>
  problemAnswer('Неверный запрос: поля с ошибками перечислены в errors', {
    status: 400,
    code: 'request.invalid',
    title: 'Некорректные данные',
    detail: 'Проверьте поля запроса',
    errors: [{ field, message }],
  });

const denied = problemAnswer('Нет доступа к этому дневнику или действию', {
  status: 403,
  code: 'access.denied',
  title: 'Доступ запрещён',
  detail: 'Недостаточно прав для этого действия',
});

// Answers every operation can give besides its own: the gateway's and the service's.
const common = commonAnswers('Дневник временно недоступен', 'Дневник не ответил вовремя');

/** A read of a student's diary: the request's own 400, the diary's 403 and 404. */
const studentReadAnswers = (badField: string, badMessage: string, notFound: string) => ({
  '400': badRequest(badField, badMessage),
  '403': denied,
  '404': problemAnswer(notFound),
  ...common,
});

const whoReads =
  'Сам обучающийся, его родители (законные представители) с действующим согласием, классный ' +
  'руководитель и учителя его классов, директор, заместители и администраторы школы; остальным — 403, ' +
  'даже если такого обучающегося нет.';

// --- Schemas ----------------------------------------------------------------------------------

const studentCard = {
  type: 'object',
  description: 'Чей это дневник',
  required: ['studentId', 'displayName', 'schoolId', 'classId'],
  properties: {
    studentId: text('Обучающийся'),
    displayName: text('Фамилия, имя, отчество'),
    schoolId: text('Школа'),
    schoolName: text('Краткое наименование школы'),
    classId: text('Класс'),
    className: text('Например, «5А»'),
    academicYearId: text('Учебный год'),
    timeZone: text('Часовой пояс школы (IANA)'),
  },
} as const;

const diaryMark = {
  type: 'object',
  description: 'Отметка, как её показывает дневник; исправленная — с пометкой «исправлено»',
  required: ['markId', 'value', 'status', 'corrected'],
  properties: {
    markId: { type: 'string' },
    value: text('Отметка сейчас; пусто, если аннулирована'),
    workType: text('Ключ вида работы'),
    workTypeName: text('Например, «Контрольная работа»'),
    weight: { type: 'number', description: 'Вес вида работы' },
    comment: { type: 'string' },
    status: { type: 'string', enum: ['active', 'voided'], description: 'voided — аннулирована (зачёркнута)' },
    corrected: { type: 'boolean', description: 'Исправлялась или аннулирована: дневник пишет «исправлено»' },
    previousValues: {
      type: 'array',
      items: { type: 'string' },
      description: 'Прежние значения, от старых к новым (было → стало)',
    },
    correctionReason: text('Причина исправления; пусто, если школа не показывает причины'),
    lessonId: text('Урок, на котором поставлена'),
    date: text('Дата урока, ГГГГ-ММ-ДД'),
    subjectId: { type: 'string' },
    subjectName: { type: 'string' },
    lessonTopic: text('Тема урока: за что отметка'),
    postedAt: { type: 'string', description: 'Когда выставлена (UTC, ISO 8601)' },
  },
} as const;

const diaryHomework = {
  type: 'object',
  description: 'Домашнее задание',
  required: ['text'],
  properties: {
    text: text('Задание'),
    dueDate: text('К какому дню, ГГГГ-ММ-ДД; пусто — неизвестно'),
    attachments: { type: 'array', items: { type: 'string' }, description: 'Ссылки на файлы (их id)' },
    individual: { type: 'boolean', description: 'Задание только этому обучающемуся' },
    subjectId: { type: 'string' },
    subjectName: { type: 'string' },
    lessonId: text('Урок, на котором задано'),
    lessonDate: text('Дата этого урока'),
  },
} as const;

const diaryAttendance = {
  type: 'object',
  description: 'Пропуск или опоздание обучающегося на уроке',
  required: ['kind'],
  properties: {
    kind: { type: 'string', enum: ['absent', 'late'] },
    lateMinutes: { type: 'integer', description: 'Минут опоздания; 0 при пропуске' },
    reason: {
      type: 'string',
      enum: ['', 'illness', 'application', 'other', 'unexcused'],
      description: 'Причина; пусто — ещё не указана',
    },
    reasonName: text('Причина словами: «уважительная (болезнь)», «неуважительная», «причина не указана»'),
  },
} as const;

const diaryLesson = {
  type: 'object',
  description: 'Урок дня со всем, что по нему видно обучающемуся',
  required: ['lessonId', 'lessonNumber', 'subjectName', 'status', 'homework', 'marks'],
  properties: {
    lessonId: { type: 'string' },
    lessonNumber: { type: 'integer', description: 'Номер урока в дне' },
    startsAt: text('Начало, ЧЧ:ММ по времени школы'),
    endsAt: text('Конец, ЧЧ:ММ'),
    subjectId: { type: 'string' },
    subjectName: { type: 'string' },
    subgroupName: text('Подгруппа; пусто — весь класс'),
    teacherId: { type: 'string' },
    teacherName: { type: 'string' },
    substituteTeacherId: text('Замещающий учитель; пусто — без замены'),
    substituteTeacherName: { type: 'string' },
    room: text('Кабинет'),
    status: { type: 'string', enum: ['scheduled', 'cancelled'] },
    notes: {
      type: 'array',
      items: { type: 'string' },
      description: 'Пометки словами: «урок отменён», «замена: Иванова А. П.», «перенесён с 12.10»',
    },
    topic: text('Тема урока'),
    homework: list('DiaryHomework', 'Общее задание и индивидуальное задание этого обучающегося'),
    marks: list('DiaryMark', 'Отметки этого обучающегося'),
    attendance: nullable('DiaryAttendance', 'Пропуск или опоздание; null — был или не отмечено'),
  },
} as const;

const diaryEvent = {
  type: 'object',
  description: 'Мероприятие школы или класса (R6.6)',
  required: ['eventId', 'title'],
  properties: {
    eventId: { type: 'string' },
    kindName: text('Вид мероприятия словами'),
    title: { type: 'string' },
    description: { type: 'string' },
    startsOn: text('Первый день, ГГГГ-ММ-ДД'),
    endsOn: text('Последний день'),
    startsAt: text('Начало, ЧЧ:ММ, или пусто'),
    endsAt: text('Конец, ЧЧ:ММ, или пусто'),
    place: { type: 'string' },
    scope: { type: 'string', enum: ['school', 'class'] },
    status: { type: 'string', enum: ['scheduled', 'held', 'cancelled'] },
  },
} as const;

const diaryDay = {
  type: 'object',
  required: ['date', 'weekday', 'weekdayName', 'lessons', 'events'],
  properties: {
    date: text('ГГГГ-ММ-ДД'),
    weekday: { type: 'integer', minimum: 1, maximum: 7, description: '1 — понедельник … 7 — воскресенье' },
    weekdayName: text('«Понедельник» …'),
    lessons: list('DiaryLesson', 'Уроки по порядку'),
    events: list('DiaryEvent', 'Мероприятия дня'),
  },
} as const;

const forecast = {
  type: 'object',
  description: 'Прогноз отметки за период (R6.3)',
  required: ['expected', 'weightedAverage', 'advice'],
  properties: {
    expected: text('Ожидаемая отметка по средневзвешенному и правилу округления школы; пусто без отметок'),
    weightedAverage: { type: 'number' },
    advice: {
      type: 'array',
      items: { type: 'string' },
      description:
        'Понятный родителю совет, например «чтобы выйти на 5, нужна ещё одна пятёрка за контрольную работу»',
    },
  },
} as const;

const periodRef = {
  type: 'object',
  description: 'Учебный период',
  required: ['number', 'name'],
  properties: {
    number: { type: 'integer' },
    startsOn: text('Первый день, ГГГГ-ММ-ДД'),
    endsOn: text('Последний день'),
    name: text('«1 четверть», «2 триместр», «1 полугодие»'),
  },
} as const;

const periodMark = {
  type: 'object',
  description: 'Отметка за период, год, экзамен или итоговая (R6.4)',
  required: ['subjectId', 'kind', 'value'],
  properties: {
    subjectId: { type: 'string' },
    subjectName: { type: 'string' },
    kind: { type: 'string', enum: ['period', 'year', 'exam', 'final'] },
    period: { type: 'integer', description: 'Номер периода; 0 для годовой, экзаменационной, итоговой' },
    value: { type: 'string' },
    corrected: { type: 'boolean', description: 'Исправлялась: дневник пишет «исправлено»' },
    previousValues: { type: 'array', items: { type: 'string' }, description: 'Прежние значения' },
    setAt: { type: 'string', description: 'Когда выставлена (UTC)' },
  },
} as const;

const averages = {
  marksCount: { type: 'integer' },
  arithmeticAverage: { type: 'number', description: 'Среднее арифметическое' },
  weightedAverage: { type: 'number', description: 'Средневзвешенное по весам видов работ' },
} as const;

const rebuildStatus = {
  type: 'object',
  description: 'Ход перестроения модели чтения дневника',
  required: ['state', 'activeGeneration', 'buildingGeneration', 'eventsApplied', 'lag'],
  properties: {
    state: {
      type: 'string',
      enum: ['idle', 'replaying', 'failed'],
      description:
        'idle — ничего не идёт, replaying — перечитываются события, failed — перестроение сорвалось',
    },
    activeGeneration: { type: 'integer', description: 'Поколение, из которого читает дневник' },
    buildingGeneration: { type: 'integer', description: 'Поколение, которое строится; 0 — никакое' },
    startedAt: { type: 'string' },
    swappedAt: text('Когда последнее перестроение вступило в силу; пусто — ни разу'),
    eventsApplied: { type: 'integer', description: 'Событий применено к строящемуся поколению' },
    lag: { type: 'integer', description: 'Сообщений до конца исходных топиков при последней проверке' },
    error: text('Почему сорвалось; пусто — без ошибки'),
  },
} as const;

// --- Paths ------------------------------------------------------------------------------------

export const diaryPaths = {
  '/api/v1/diary/students/{studentId}/week': {
    get: {
      operationId: 'getDiaryWeek',
      summary: 'Неделя дневника обучающегося',
      description:
        `${whoReads} Понедельник–воскресенье: по каждому дню уроки по порядку с темой, домашним заданием, ` +
        'отметками и пропусками, и мероприятия.',
      parameters: [studentId, weekDate],
      responses: {
        '200': jsonAnswer('Неделя', 'DiaryWeek'),
        ...studentReadAnswers('date', 'Неверный формат', 'Обучающийся не найден в дневнике'),
      },
    },
  },
  '/api/v1/diary/students/{studentId}/week.pdf': {
    get: {
      operationId: 'getDiaryWeekExtract',
      summary: 'Выписка из дневника за неделю (PDF для печати)',
      description:
        `${whoReads} Для родителей без электронного доступа (R6.5): та же неделя на листе A4, ` +
        'с местом для подписи классного руководителя.',
      parameters: [studentId, weekDate],
      responses: {
        '200': {
          description: 'PDF-файл выписки',
          headers: {
            'Content-Disposition': {
              schema: { type: 'string' },
              description: 'attachment; filename="dnevnik-ГГГГ-ММ-ДД.pdf"',
            },
          },
          content: { 'application/pdf': { schema: { type: 'string', contentMediaType: 'application/pdf' } } },
        },
        ...studentReadAnswers('date', 'Неверный формат', 'Обучающийся не найден в дневнике'),
      },
    },
  },
  '/api/v1/diary/students/{studentId}/subjects/{subjectId}': {
    get: {
      operationId: 'getDiarySubject',
      summary: 'Отметки обучающегося по предмету за период',
      description:
        `${whoReads} Отметки периода от старых к новым (аннулированные — тоже, зачёркнутыми), средние, ` +
        'отметка за период, если выставлена, и прогноз.',
      parameters: [studentId, idParameter('subjectId', 'Предмет'), period],
      responses: {
        '200': jsonAnswer('Предмет за период', 'DiarySubject'),
        ...studentReadAnswers(
          'period',
          'Значение вне допустимого диапазона',
          'Предмет или период не найдены',
        ),
      },
    },
  },
  '/api/v1/diary/students/{studentId}/forecast': {
    get: {
      operationId: 'getDiaryForecast',
      summary: 'Прогноз отметок за период по всем предметам',
      description: `${whoReads} Ожидаемая отметка за период по каждому предмету и что для неё нужно (R6.3).`,
      parameters: [studentId, period],
      responses: {
        '200': jsonAnswer('Прогноз по предметам', 'DiaryForecast'),
        ...studentReadAnswers('period', 'Значение вне допустимого диапазона', 'Период не найден'),
      },
    },
  },
  '/api/v1/diary/students/{studentId}/summary': {
    get: {
      operationId: 'getDiarySummary',
      summary: 'Итоги периода: средние, отметки за период, пропуски',
      description:
        `${whoReads} Все предметы периода со средними и отметками за период, пропуски и опоздания, ` +
        'годовые, экзаменационные и итоговые отметки года (R6.4).',
      parameters: [studentId, period],
      responses: {
        '200': jsonAnswer('Итоги периода', 'DiarySummary'),
        ...studentReadAnswers('period', 'Ожидается целое число', 'Период не найден'),
      },
    },
  },
  '/api/v1/diary/home': {
    get: {
      operationId: 'getDiaryHome',
      summary: 'Главная дневника: дети вошедшего',
      description:
        'Родителю — каждый ребёнок (с действующим согласием), обучающемуся — он сам: домашние задания на ' +
        'сегодня и завтра и новые отметки (до 10, за 14 дней). Никого — пустой список.',
      responses: {
        '200': jsonAnswer('Дети с заданиями и отметками', 'DiaryHome'),
        '403': denied,
        ...common,
      },
    },
  },
  '/api/v1/diary/schools/{schoolId}/settings': {
    get: {
      operationId: 'getDiarySettings',
      summary: 'Настройки дневника школы',
      description: 'Директор, заместитель или администратор школы.',
      parameters: [idParameter('schoolId', 'Школа')],
      responses: {
        '200': jsonAnswer('Настройки', 'DiarySettings'),
        '400': badRequest('schoolId', 'Слишком длинное значение'),
        '403': denied,
        '404': problemAnswer('Школа не найдена'),
        ...common,
      },
    },
    put: {
      operationId: 'setDiarySettings',
      summary: 'Изменить настройки дневника школы',
      description:
        'Директор, заместитель или администратор школы. showCorrectionReasons — показывать ли родителям и ' +
        'обучающимся причину исправления отметки (по умолчанию нет: только «было → стало»).',
      parameters: [idParameter('schoolId', 'Школа'), idempotencyKey],
      requestBody: { required: true, content: { 'application/json': { schema: ref('SetDiarySettings') } } },
      responses: {
        '200': jsonAnswer('Настройки', 'DiarySettings'),
        '400': badRequest('showCorrectionReasons', 'Ожидается да/нет'),
        '403': denied,
        '404': problemAnswer('Школа не найдена'),
        '413': problemAnswer('Тело запроса слишком большое'),
        '415': problemAnswer('Тело запроса должно быть в формате JSON'),
        ...common,
      },
    },
  },
  '/api/v1/diary/rebuild': {
    post: {
      operationId: 'rebuildDiary',
      summary: 'Перестроить модель чтения дневника',
      description:
        'Оператор региона. Дневник перечитывает все исходные события с начала в новое поколение и ' +
        'переключается на него, когда догонит; до того читает из прежнего. Ответ — сразу, ход — в GET.',
      parameters: [idempotencyKey],
      responses: {
        '202': jsonAnswer('Перестроение начато', 'DiaryRebuildStatus'),
        '400': badRequest('Idempotency-Key', 'Слишком короткое значение'),
        '403': denied,
        '409': problemAnswer('Перестроение уже идёт'),
        ...common,
      },
    },
    get: {
      operationId: 'getDiaryRebuildStatus',
      summary: 'Ход перестроения модели чтения дневника',
      description: 'Оператор региона.',
      responses: {
        '200': jsonAnswer('Ход перестроения', 'DiaryRebuildStatus'),
        '403': denied,
        ...common,
      },
    },
  },
} as const;

// --- Schemas ----------------------------------------------------------------------------------

export const diarySchemas = {
  DiaryStudentCard: studentCard,
  DiaryMark: diaryMark,
  DiaryHomework: diaryHomework,
  DiaryAttendance: diaryAttendance,
  DiaryLesson: diaryLesson,
  DiaryEvent: diaryEvent,
  DiaryDay: diaryDay,
  DiaryForecastValue: forecast,
  DiaryPeriodRef: periodRef,
  DiaryPeriodMark: periodMark,
  DiaryWeek: {
    type: 'object',
    required: ['student', 'startsOn', 'endsOn', 'days'],
    properties: {
      student: nullable('DiaryStudentCard', 'Чей дневник'),
      startsOn: text('Понедельник недели, ГГГГ-ММ-ДД'),
      endsOn: text('Воскресенье недели'),
      days: list('DiaryDay', 'Дни недели по порядку'),
    },
  },
  DiarySubject: {
    type: 'object',
    required: ['student', 'period', 'subjectId', 'marks', 'marksCount'],
    properties: {
      student: nullable('DiaryStudentCard', 'Чей дневник'),
      period: nullable('DiaryPeriodRef', 'Период'),
      subjectId: { type: 'string' },
      subjectName: { type: 'string' },
      marks: list('DiaryMark', 'Отметки периода от старых к новым, аннулированные тоже'),
      ...averages,
      periodMark: nullable('DiaryPeriodMark', 'Отметка за период; null — ещё не выставлена'),
      forecast: nullable('DiaryForecastValue', 'Прогноз отметки за период'),
    },
  },
  DiaryForecast: {
    type: 'object',
    required: ['student', 'period', 'subjects'],
    properties: {
      student: nullable('DiaryStudentCard', 'Чей дневник'),
      period: nullable('DiaryPeriodRef', 'Период'),
      subjects: {
        type: 'array',
        items: {
          type: 'object',
          required: ['subjectId', 'subjectName', 'marksCount'],
          properties: {
            subjectId: { type: 'string' },
            subjectName: { type: 'string' },
            marksCount: { type: 'integer' },
            forecast: nullable('DiaryForecastValue', 'Прогноз'),
            periodMark: nullable(
              'DiaryPeriodMark',
              'Отметка за период, если уже выставлена (прогноз тогда только для сведения)',
            ),
          },
        },
      },
    },
  },
  DiarySummary: {
    type: 'object',
    required: ['student', 'period', 'subjects', 'finalMarks'],
    properties: {
      student: nullable('DiaryStudentCard', 'Чей дневник'),
      period: nullable('DiaryPeriodRef', 'Период'),
      subjects: {
        type: 'array',
        items: {
          type: 'object',
          required: ['subjectId', 'subjectName'],
          properties: {
            subjectId: { type: 'string' },
            subjectName: { type: 'string' },
            ...averages,
            periodMark: nullable('DiaryPeriodMark', 'Отметка за период; null — ещё нет'),
            absences: { type: 'integer', description: 'Пропущено уроков предмета за период' },
            latenesses: { type: 'integer', description: 'Опозданий на уроки предмета' },
          },
        },
      },
      attendance: {
        description: 'Пропуски за период',
        anyOf: [
          {
            type: 'object',
            properties: {
              absences: { type: 'integer', description: 'Пропущено уроков' },
              excused: { type: 'integer', description: 'Из них по уважительной причине' },
              unexcused: { type: 'integer', description: 'Из них без уважительной причины' },
              latenesses: { type: 'integer', description: 'Опозданий' },
            },
          },
          { type: 'null' },
        ],
      },
      finalMarks: list('DiaryPeriodMark', 'Годовые, экзаменационные и итоговые отметки года'),
    },
  },
  DiaryHome: {
    type: 'object',
    required: ['children'],
    properties: {
      children: {
        type: 'array',
        items: {
          type: 'object',
          required: ['student', 'today', 'tomorrow', 'homeworkToday', 'homeworkTomorrow', 'newestMarks'],
          properties: {
            student: nullable('DiaryStudentCard', 'Ребёнок'),
            today: text('Сегодня по времени школы, ГГГГ-ММ-ДД'),
            tomorrow: text('Завтра'),
            homeworkToday: list('DiaryHomework', 'Задания на сегодня'),
            homeworkTomorrow: list('DiaryHomework', 'Задания на завтра'),
            newestMarks: list('DiaryMark', 'Новые отметки, сначала новые (до 10, за 14 дней)'),
          },
        },
      },
    },
  },
  DiarySettings: {
    type: 'object',
    required: ['schoolId', 'showCorrectionReasons'],
    properties: {
      schoolId: { type: 'string' },
      showCorrectionReasons: {
        type: 'boolean',
        description: 'Показывать причину исправления отметки родителям и обучающимся',
      },
      updatedBy: text('Кто изменил; пусто — значения по умолчанию'),
      updatedAt: { type: 'string' },
    },
  },
  SetDiarySettings: {
    type: 'object',
    additionalProperties: false,
    required: ['showCorrectionReasons'],
    properties: {
      showCorrectionReasons: {
        type: 'boolean',
        description: 'Показывать причину исправления отметки родителям и обучающимся',
      },
    },
  },
  DiaryRebuildStatus: rebuildStatus,
} as const;
