// The gateway's public contract. Requests are validated against these schemas before anything
// else happens, and a test checks that every served route is described here.

import { diaryPaths, diarySchemas } from './diary.openapi';
import { gradebookPaths, gradebookSchemas } from './gradebook.openapi';
import { notificationsPaths, notificationsSchemas } from './notifications.openapi';
import { identityPaths, identitySchemas } from './identity.openapi';

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

const dateRange = {
  type: 'object',
  additionalProperties: false,
  required: ['startsOn', 'endsOn'],
  properties: {
    startsOn: { ...dateString, description: 'Первый день, ГГГГ-ММ-ДД' },
    endsOn: { ...dateString, description: 'Последний день (включительно), ГГГГ-ММ-ДД' },
  },
} as const;

const academicYearPlan = {
  type: 'object',
  additionalProperties: false,
  required: ['days', 'periodSchemes'],
  properties: {
    days: { $ref: '#/components/schemas/DateRange', description: 'Первый и последний день учебного года' },
    holidays: {
      type: 'array',
      maxItems: 50,
      description: 'Каникулы',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'days'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200, description: 'Например, «Осенние каникулы»' },
          days: { $ref: '#/components/schemas/DateRange' },
        },
      },
    },
    periodSchemes: {
      type: 'array',
      minItems: 1,
      maxItems: 11,
      description: 'Учебные периоды по параллелям: вид периодов может различаться',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['grades', 'kind', 'periods'],
        properties: {
          grades: {
            type: 'array',
            minItems: 1,
            maxItems: 11,
            items: { type: 'integer', minimum: 1, maximum: 11 },
            description: 'Параллели (1–11)',
          },
          kind: {
            type: 'string',
            enum: ['quarter', 'trimester', 'half_year'],
            description: 'Четверти (4), триместры (3) или полугодия (2)',
          },
          periods: {
            type: 'array',
            minItems: 1,
            maxItems: 4,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['number', 'days'],
              properties: {
                number: { type: 'integer', minimum: 1, maximum: 4, description: 'Номер периода по порядку' },
                days: { $ref: '#/components/schemas/DateRange' },
              },
            },
          },
        },
      },
    },
  },
} as const;

const orderRef = {
  type: 'object',
  additionalProperties: false,
  required: ['number', 'date', 'title'],
  description: 'Приказ, на основании которого вносится изменение',
  properties: {
    number: { type: 'string', minLength: 1, maxLength: 50, description: 'Номер приказа' },
    date: { ...dateString, description: 'Дата приказа' },
    title: { type: 'string', minLength: 1, maxLength: 300, description: 'О чём приказ' },
  },
} as const;

const closures = {
  type: 'array',
  maxItems: 100,
  description: 'Карантин и другие закрытия: дни без занятий',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['reason', 'days'],
    properties: {
      reason: { type: 'string', minLength: 1, maxLength: 200, description: 'Например, «Карантин по гриппу»' },
      days: { $ref: '#/components/schemas/DateRange' },
      grades: {
        type: 'array',
        maxItems: 11,
        items: { type: 'integer', minimum: 1, maximum: 11 },
        description: 'Закрытые параллели; пусто — вся школа',
      },
    },
  },
} as const;

const transfers = {
  type: 'array',
  maxItems: 60,
  description: 'Переносы: выходной день работает по расписанию дня недели',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['date', 'worksAs'],
    properties: {
      date: { ...dateString, description: 'Суббота или воскресенье' },
      worksAs: {
        type: 'integer',
        minimum: 1,
        maximum: 6,
        description: 'По расписанию какого дня: 1 — понедельник',
      },
    },
  },
} as const;

const calendarChange = {
  type: 'object',
  additionalProperties: false,
  required: ['expectedVersion', 'order', 'periodSchemes'],
  properties: {
    expectedVersion: {
      type: 'integer',
      minimum: 1,
      description: 'Версия года, к которой относится изменение',
    },
    order: orderRef,
    holidays: academicYearPlan.properties.holidays,
    periodSchemes: academicYearPlan.properties.periodSchemes,
    closures,
    transfers,
  },
} as const;

const academicYear = {
  type: 'object',
  required: [
    'id',
    'schoolId',
    'name',
    'status',
    'version',
    'createdAt',
    'days',
    'holidays',
    'periodSchemes',
    'closures',
    'transfers',
    'changes',
  ],
  properties: {
    closures,
    transfers,
    changes: {
      type: 'array',
      description: 'Изменения календаря по приказам, от первого к последнему',
      items: {
        type: 'object',
        properties: {
          kind: {
            type: 'string',
            enum: ['calendar', 'closed', 'rolled_over'],
            description:
              'calendar — изменение календаря, closed — закрытие года, rolled_over — переход на следующий год',
          },
          order: orderRef,
          recordedAt: { type: 'string', format: 'date-time' },
          recordedBy: { type: 'string' },
          summary: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    id: { type: 'string' },
    schoolId: { type: 'string' },
    name: { type: 'string', description: 'Например, «2026/2027»' },
    status: { type: 'string', enum: ['open', 'closed'] },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    rolledOverFrom: { type: 'string', description: 'Из какого года сделан переход; пусто — открыт вручную' },
    rolledOverInto: {
      type: 'string',
      description: 'В какой год сделан переход из этого (закрытого); пусто — ещё нет',
    },
    ...academicYearPlan.properties,
  },
} as const;

const letter = {
  type: 'string',
  minLength: 1,
  maxLength: 3,
  pattern: '^\\s*[А-ЯЁа-яёA-Za-z0-9]{1,3}\\s*$',
  description: 'Буква класса, например «А» (до 3 букв или цифр)',
} as const;

const schoolClass = {
  type: 'object',
  required: [
    'id',
    'schoolId',
    'academicYearId',
    'grade',
    'letter',
    'name',
    'classTeacherId',
    'capacity',
    'status',
    'version',
    'createdAt',
  ],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    grade: { type: 'integer', minimum: 1, maximum: 11 },
    letter: { type: 'string' },
    name: { type: 'string', description: 'Например, «5А»' },
    classTeacherId: {
      type: ['string', 'null'],
      description: 'Классный руководитель (id сотрудника) или null',
    },
    capacity: { type: ['integer', 'null'], description: 'Наполняемость или null' },
    status: { type: 'string', enum: ['open', 'closed'] },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const openClass = {
  type: 'object',
  additionalProperties: false,
  required: ['grade', 'letter'],
  properties: {
    grade: { type: 'integer', minimum: 1, maximum: 11, description: 'Параллель' },
    letter,
    capacity: { type: 'integer', minimum: 1, maximum: 60, description: 'Наполняемость' },
  },
} as const;

const changeClass = {
  type: 'object',
  additionalProperties: false,
  required: ['expectedVersion'],
  description: 'Изменяются только переданные поля; null снимает значение',
  properties: {
    expectedVersion: { type: 'integer', minimum: 1 },
    letter,
    capacity: { type: ['integer', 'null'], minimum: 1, maximum: 60 },
    classTeacherId: {
      type: ['string', 'null'],
      minLength: 1,
      maxLength: 64,
      description: 'id сотрудника школы',
    },
    close: { type: 'boolean', description: 'true — закрыть класс (история сохраняется)' },
  },
} as const;

const personName = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 100, description }) as const;

const contacts = {
  type: 'object',
  additionalProperties: false,
  properties: {
    phone: {
      type: 'string',
      maxLength: 30,
      description: 'Телефон: +7 913 123-45-67, 8 (913) 123-45-67; пусто — нет',
    },
    email: { type: 'string', maxLength: 254, description: 'Электронная почта; пусто — нет' },
  },
} as const;

const personForm = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'lastName', 'firstName', 'birthDate', 'sex'],
  properties: {
    kind: {
      type: 'string',
      enum: ['staff', 'student', 'guardian'],
      description: 'Сотрудник, обучающийся, родитель',
    },
    lastName: personName('Фамилия'),
    firstName: personName('Имя'),
    middleName: { type: 'string', maxLength: 100, description: 'Отчество (если есть)' },
    birthDate: { ...dateString, description: 'Дата рождения' },
    sex: { type: 'string', enum: ['male', 'female'] },
    snils: { type: 'string', maxLength: 14, description: 'СНИЛС: 123-456-789 01 или 11 цифр' },
    contacts,
    birthCertificate: {
      type: 'object',
      additionalProperties: false,
      description: 'Свидетельство о рождении (только для обучающихся)',
      properties: {
        series: { type: 'string', maxLength: 10, description: 'Например, IV-БА' },
        number: { type: 'string', maxLength: 10, description: '6 цифр' },
      },
    },
  },
} as const;

const person = {
  type: 'object',
  description: 'Полная карточка: персональные данные; каждое чтение записывается в журнал доступа',
  required: [
    'id',
    'schoolId',
    'kind',
    'lastName',
    'firstName',
    'birthDate',
    'sex',
    'status',
    'version',
    'createdAt',
  ],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    ...personForm.properties,
    status: { type: 'string', enum: ['active', 'archived'] },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const personSummary = {
  type: 'object',
  description: 'Сокращённая карточка для списков: только ФИО и вид',
  required: ['id', 'schoolId', 'kind', 'lastName', 'firstName', 'middleName', 'status'],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    kind: { type: 'string' },
    lastName: { type: 'string' },
    firstName: { type: 'string' },
    middleName: { type: 'string' },
    status: { type: 'string' },
  },
} as const;

const versioned = (properties: Record<string, unknown> = {}, required: string[] = []) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['expectedVersion', ...required],
    properties: {
      expectedVersion: { type: 'integer', minimum: 1, description: 'Версия, к которой относится изменение' },
      ...properties,
    },
  }) as const;

const enrolStudent = {
  type: 'object',
  additionalProperties: false,
  required: ['studentId', 'effectiveOn', 'order'],
  properties: {
    studentId: { type: 'string', minLength: 1, maxLength: 64, description: 'id обучающегося' },
    effectiveOn: { ...dateString, description: 'С какого дня' },
    order: orderRef,
  },
} as const;

const moveStudent = versioned(
  {
    toClassId: {
      type: ['string', 'null'],
      minLength: 1,
      maxLength: 64,
      description: 'Класс того же учебного года для перевода; null — отчисление',
    },
    effectiveOn: { ...dateString, description: 'С какого дня' },
    order: orderRef,
    reason: { type: 'string', maxLength: 300, description: 'Причина выбытия (для отчисления обязательна)' },
  },
  ['toClassId', 'effectiveOn', 'order'],
);

const enrolment = {
  type: 'object',
  required: ['id', 'schoolId', 'academicYearId', 'studentId', 'classId', 'status', 'movements', 'version'],
  properties: {
    id: { type: 'string', description: '«<учебный год>:<обучающийся>»' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    studentId: { type: 'string' },
    classId: { type: 'string', description: 'Текущий класс; пусто после отчисления' },
    status: { type: 'string', enum: ['active', 'withdrawn'] },
    version: { type: 'integer' },
    movements: {
      type: 'array',
      description: 'Движение обучающегося за год, от первого к последнему',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['enrolled', 'transferred', 'withdrawn'] },
          fromClassId: { type: 'string' },
          toClassId: { type: 'string' },
          effectiveOn: { type: 'string' },
          order: orderRef,
          reason: { type: 'string' },
          recordedAt: { type: 'string' },
          recordedBy: { type: 'string' },
        },
      },
    },
  },
} as const;

const classStudent = {
  type: 'object',
  required: ['studentId', 'enrolmentId', 'lastName', 'firstName', 'middleName', 'since'],
  properties: {
    studentId: { type: 'string' },
    enrolmentId: { type: 'string' },
    lastName: { type: 'string' },
    firstName: { type: 'string' },
    middleName: { type: 'string' },
    since: { type: 'string', description: 'В классе с этого дня' },
    consent: {
      type: 'string',
      enum: ['recorded', 'missing', ''],
      description:
        'Письменное согласие родителя (законного представителя): recorded — есть, missing — нет; ' +
        'видят руководители школы и классный руководитель, остальным — пусто',
    },
  },
} as const;

const personId = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 64, description }) as const;

const guardianKind = {
  type: 'string',
  enum: ['mother', 'father', 'legal_representative'],
  description: 'Мать, отец или законный представитель (опекун, попечитель)',
} as const;

const linkGuardian = {
  type: 'object',
  additionalProperties: false,
  required: ['guardianId', 'kind'],
  properties: {
    guardianId: personId('id родителя (законного представителя); карточка может быть другой школы'),
    kind: guardianKind,
  },
} as const;

const recordConsent = versioned(
  {
    givenOn: { ...dateString, description: 'Дата согласия, не позже сегодняшнего дня' },
    document: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'Документ, например «Заявление № 15 от 01.09.2026»',
    },
  },
  ['givenOn', 'document'],
);

const revokeConsent = versioned(
  {
    revokedOn: { ...dateString, description: 'Дата отзыва: не позже сегодняшнего дня и не раньше согласия' },
    reason: { type: 'string', minLength: 1, maxLength: 300, description: 'Причина отзыва' },
  },
  ['revokedOn', 'reason'],
);

const unlinkGuardian = versioned(
  {
    endedOn: { ...dateString, description: 'Дата прекращения связи, не позже сегодняшнего дня' },
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 300,
      description: 'Причина, например «Решение суда о лишении родительских прав»',
    },
  },
  ['endedOn', 'reason'],
);

const guardianship = {
  type: 'object',
  description: 'Связь родителя (законного представителя) с обучающимся; не удаляется',
  required: [
    'id',
    'schoolId',
    'guardianId',
    'studentId',
    'kind',
    'status',
    'consentActive',
    'consents',
    'version',
  ],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string', description: 'Школа обучающегося' },
    guardianId: { type: 'string' },
    studentId: { type: 'string' },
    kind: guardianKind,
    status: { type: 'string', enum: ['active', 'ended'] },
    consentActive: { type: 'boolean', description: 'Связь действует и последнее согласие не отозвано' },
    consents: {
      type: 'array',
      description: 'Все согласия, от первого к последнему; отозванные остаются',
      items: {
        type: 'object',
        properties: {
          givenOn: { type: 'string' },
          document: { type: 'string' },
          recordedBy: { type: 'string' },
          recordedAt: { type: 'string' },
          revokedOn: { type: 'string', description: 'Пусто, пока согласие действует' },
          revocationReason: { type: 'string' },
          revokedBy: { type: 'string' },
          revokedAt: { type: 'string' },
        },
      },
    },
    linkedAt: { type: 'string' },
    linkedBy: { type: 'string' },
    endedOn: { type: 'string', description: 'Пусто, пока связь действует' },
    endReason: { type: 'string' },
    endedBy: { type: 'string' },
    endedAt: { type: 'string' },
    version: { type: 'integer' },
  },
} as const;

const namesOnly = {
  type: 'object',
  description: 'Только ФИО: полная карточка — GET /api/v1/people/{id}',
  required: ['id', 'schoolId', 'lastName', 'firstName', 'middleName'],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    lastName: { type: 'string' },
    firstName: { type: 'string' },
    middleName: { type: 'string' },
  },
} as const;

const positionKind = {
  type: 'string',
  enum: ['director', 'deputy', 'teacher', 'hr', 'secretary', 'other'],
  description: 'Директор, заместитель, учитель, специалист по кадрам, секретарь, другая',
} as const;

const rate = {
  type: 'number',
  minimum: 0.25,
  maximum: 2,
  multipleOf: 0.25,
  description: 'Ставка: от 0,25 до 2 с шагом 0,25',
} as const;

const positionTitle = {
  type: 'string',
  maxLength: 150,
  description: 'Название должности, с русской буквы; для other обязательно, иначе — обычное название вида',
} as const;

const hireStaff = {
  type: 'object',
  additionalProperties: false,
  required: ['personId', 'kind', 'rate', 'hiredOn', 'order'],
  properties: {
    personId: personId('id сотрудника школы (вид staff, не в архиве)'),
    kind: positionKind,
    title: positionTitle,
    rate,
    hiredOn: { ...dateString, description: 'Первый день в должности' },
    order: { ...orderRef, description: 'Приказ о приёме на работу' },
  },
} as const;

const changePosition = versioned(
  {
    title: { ...positionTitle, minLength: 1, description: 'Новое название; не передано — прежнее' },
    rate: { ...rate, description: 'Новая ставка; не передана — прежняя' },
    effectiveOn: { ...dateString, description: 'С какого дня, не раньше последнего приказа по должности' },
    order: orderRef,
  },
  ['effectiveOn', 'order'],
);

const dismissStaff = versioned(
  {
    dismissedOn: { ...dateString, description: 'Последний день в должности' },
    order: { ...orderRef, description: 'Приказ об увольнении' },
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 300,
      description: 'Причина, например «По собственному желанию»',
    },
  },
  ['dismissedOn', 'order', 'reason'],
);

const staffPosition = {
  type: 'object',
  description:
    'Должность: без персональных данных (ФИО — в карточке человека). Учителю школы (GET ' +
    '/api/v1/staff-positions/{id}) — как в штатном списке: сотрудник, вид, название и статус; ставка 0, ' +
    'даты, приказы и причина пустые, истории нет, версия 0',
  required: [
    'id',
    'schoolId',
    'personId',
    'kind',
    'title',
    'rate',
    'hiredOn',
    'status',
    'history',
    'version',
  ],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    personId: { type: 'string' },
    kind: positionKind,
    title: { type: 'string' },
    rate: { type: 'number' },
    hiredOn: { type: 'string' },
    hireOrder: {
      type: 'object',
      description: 'Приказ о приёме (number, date, title); учителю — пустые поля',
    },
    status: { type: 'string', enum: ['active', 'dismissed'] },
    dismissedOn: { type: 'string', description: 'Пусто, пока сотрудник в должности' },
    dismissalOrder: { type: 'object', description: 'Пустые поля, пока сотрудник в должности' },
    dismissalReason: { type: 'string' },
    history: {
      type: 'array',
      description: 'Приём, изменения и увольнение по приказам, от первого к последнему',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['hired', 'changed', 'dismissed'] },
          effectiveOn: { type: 'string' },
          order: orderRef,
          title: { type: 'string' },
          rate: { type: 'number' },
          reason: { type: 'string' },
          recordedAt: { type: 'string' },
          recordedBy: { type: 'string' },
        },
      },
    },
    version: { type: 'integer' },
    createdAt: { type: 'string', description: 'Когда записана, RFC 3339 UTC; учителю — пусто' },
  },
} as const;

const staffMember = {
  type: 'object',
  description: 'Строка штатного списка: ФИО и должность. Учителю — без ставки и дат (0 и пусто)',
  required: ['positionId', 'personId', 'lastName', 'firstName', 'middleName', 'kind', 'title', 'status'],
  properties: {
    positionId: { type: 'string' },
    personId: { type: 'string' },
    lastName: { type: 'string' },
    firstName: { type: 'string' },
    middleName: { type: 'string' },
    kind: positionKind,
    title: { type: 'string' },
    status: { type: 'string', enum: ['active', 'dismissed'] },
    rate: { type: 'number' },
    hiredOn: { type: 'string' },
    dismissedOn: { type: 'string' },
  },
} as const;

const studentIds = (description: string) =>
  ({
    type: 'array',
    maxItems: 60,
    items: personId('id обучающегося'),
    description,
  }) as const;

const subgroupName = {
  type: 'string',
  minLength: 1,
  maxLength: 100,
  description: 'Название, например «Английский язык, группа 1»',
} as const;

const formSubgroup = {
  type: 'object',
  additionalProperties: false,
  required: ['subjectKey', 'name'],
  properties: {
    subjectKey: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_]{1,39}$',
      description: 'Код предмета: english, pe (строчные латинские буквы, цифры, «_»)',
    },
    name: subgroupName,
    teacherId: personId('Учитель подгруппы: id работающего сотрудника школы'),
    memberIds: studentIds('Первые участники: обучающиеся этого класса, не в другой подгруппе по предмету'),
    order: { ...orderRef, description: 'Приказ о делении класса на подгруппы (можно позже)' },
  },
} as const;

const changeSubgroup = versioned({
  name: subgroupName,
  teacherId: {
    type: ['string', 'null'],
    minLength: 1,
    maxLength: 64,
    // '-' is roster's wire value for "remove"; in REST that is null.
    not: { const: '-' },
    description: 'Новый учитель; null — без учителя; не передан — прежний',
  },
});

const changeSubgroupMembers = versioned(
  {
    add: studentIds('Добавить: обучающиеся класса, ещё не в подгруппе'),
    remove: studentIds('Исключить: участники подгруппы'),
    order: {
      ...orderRef,
      description:
        'Приказ о переводе: перевод из одной подгруппы в другую — исключение там и добавление здесь по одному приказу',
    },
  },
  ['order'],
);

const subgroup = {
  type: 'object',
  required: [
    'id',
    'schoolId',
    'academicYearId',
    'classId',
    'subjectKey',
    'name',
    'teacherId',
    'memberIds',
    'status',
    'version',
    'createdAt',
  ],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    classId: { type: 'string' },
    subjectKey: { type: 'string' },
    name: { type: 'string' },
    teacherId: { type: 'string', description: 'Пусто — без учителя' },
    memberIds: { type: 'array', items: { type: 'string' }, description: 'В порядке добавления' },
    history: {
      type: 'array',
      description: 'Изменения состава, от первого к последнему (хранятся всегда)',
      items: {
        type: 'object',
        properties: {
          kind: {
            type: 'string',
            enum: ['formed', 'members_changed', 'left_class'],
            description:
              'formed — первые участники; members_changed — по приказу; left_class — выбыл из класса',
          },
          added: { type: 'array', items: { type: 'string' } },
          removed: { type: 'array', items: { type: 'string' } },
          order: { ...orderRef, description: 'Приказ; нет — подгруппа сформирована без приказа' },
          recordedAt: { type: 'string', format: 'date-time' },
          recordedBy: { type: 'string' },
        },
      },
    },
    status: { type: 'string', enum: ['open', 'closed'], description: 'closed — расформирована' },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

// Subjects and teaching assignments: schedule's resources, in their message form (camelCase).

const subjectKey = {
  type: 'string',
  pattern: '^[a-z][a-z0-9_]{1,39}$',
  description:
    'Код предмета: 2–40 символов, строчные латинские буквы, цифры, «_», с буквы (english, robotics)',
} as const;

const educationArea = {
  type: 'string',
  enum: [
    'russian_and_literature',
    'native_language_and_literature',
    'foreign_languages',
    'mathematics_and_informatics',
    'social_sciences',
    'natural_sciences',
    'society_and_nature',
    'religious_cultures_and_secular_ethics',
    'spiritual_moral_culture',
    'arts',
    'technology',
    'physical_culture_and_safety',
    'other',
  ],
  description: 'Предметная область ФГОС (код); other — другие предметы и курсы',
} as const;

const createSubject = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'name', 'educationArea'],
  properties: {
    key: { ...subjectKey, description: `${subjectKey.description}; не занят в перечне и в школе` },
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 150,
      description: 'Полное название, например «Робототехника»; не занято в перечне и в школе',
    },
    shortName: {
      type: 'string',
      minLength: 1,
      maxLength: 30,
      description:
        'Краткое название для расписания и журнала; не передано — полное (если не длиннее 30 символов)',
    },
    educationArea,
    splitIntoSubgroups: {
      type: 'boolean',
      description: 'Класс по предмету обычно делится на подгруппы; по умолчанию нет',
    },
  },
} as const;

const subject = {
  type: 'object',
  description: 'Предмет общего перечня региона (schoolId пустой) или собственный предмет школы; не удаляется',
  required: [
    'id',
    'schoolId',
    'key',
    'name',
    'shortName',
    'educationArea',
    'educationAreaName',
    'splitIntoSubgroups',
    'version',
    'createdAt',
  ],
  properties: {
    id: { type: 'string', description: 'У предметов перечня id постоянные (одинаковые во всех школах)' },
    schoolId: { type: 'string', description: 'Пусто — предмет общего перечня' },
    key: { type: 'string', description: 'Код; его называют подгруппы (subjectKey)' },
    name: { type: 'string' },
    shortName: { type: 'string' },
    educationArea: { type: 'string' },
    educationAreaName: { type: 'string', description: 'Предметная область по-русски' },
    splitIntoSubgroups: {
      type: 'boolean',
      description: 'Где у класса есть подгруппы по предмету, нагрузка назначается на каждую подгруппу',
    },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const assignTeacher = {
  type: 'object',
  additionalProperties: false,
  required: ['academicYearId', 'teacherId', 'subjectId'],
  description: 'Класс (classId) или подгруппа (subgroupId): одно из двух обязательно',
  properties: {
    academicYearId: personId('Учебный год школы, открытый'),
    teacherId: personId(
      'Педагог: id работающего сотрудника школы (учитель, директор, заместитель или другая должность; не кадровик и не секретарь)',
    ),
    classId: personId('Класс этого года, открытый; для подгруппы можно не передавать'),
    subgroupId: personId('Подгруппа класса; не передана — весь класс'),
    subjectId: personId('Предмет общего перечня или собственный предмет школы'),
    startsOn: { ...dateString, description: 'Первый день; не передан — первый день учебного года' },
    endsOn: {
      ...dateString,
      description: 'Последний день (включительно); не передан — последний день учебного года',
    },
    hoursPerWeek: {
      type: 'number',
      minimum: 0.5,
      maximum: 40,
      multipleOf: 0.5,
      description: 'Часов в неделю: от 0,5 до 40 с шагом 0,5; можно не указывать',
    },
  },
} as const;

const endTeachingAssignment = versioned({
  endsOn: {
    ...dateString,
    description:
      'Последний день (включительно): от дня перед первым днём (тогда нагрузка не начнётся) до ' +
      'нынешнего последнего; не передан — сегодня по времени школы',
  },
  reason: {
    type: 'string',
    minLength: 1,
    maxLength: 300,
    description: 'Причина, например «Перераспределение нагрузки»',
  },
});

const teachingAssignment = {
  type: 'object',
  description:
    'Нагрузка: педагог ведёт предмет в классе или подгруппе с такого-то по такой-то день учебного ' +
    'года. Не удаляется: снятая остаётся со статусом ended и историей. Имена — как их сейчас знает расписание',
  required: [
    'id',
    'schoolId',
    'academicYearId',
    'teacherId',
    'teacherName',
    'classId',
    'className',
    'subgroupId',
    'subgroupName',
    'subjectId',
    'subjectKey',
    'subjectName',
    'startsOn',
    'endsOn',
    'hoursPerWeek',
    'status',
    'history',
    'version',
    'createdAt',
  ],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    teacherId: { type: 'string', description: 'id педагога (человек в контингенте)' },
    teacherName: { type: 'string', description: 'ФИО педагога; пусто, пока расписание его не получило' },
    classId: { type: 'string', description: 'Класс; для подгруппы — её класс' },
    className: { type: 'string', description: 'Например «5А»' },
    subgroupId: { type: 'string', description: 'Пусто — весь класс' },
    subgroupName: { type: 'string' },
    subjectId: { type: 'string' },
    subjectKey: { type: 'string' },
    subjectName: { type: 'string' },
    startsOn: { type: 'string', description: 'Первый день, ГГГГ-ММ-ДД' },
    endsOn: {
      type: 'string',
      description: 'Последний день (включительно); день перед первым — нагрузка снята до начала',
    },
    hoursPerWeek: { type: 'number', description: 'Часов в неделю; 0 — не указано' },
    status: { type: 'string', enum: ['active', 'ended'], description: 'ended — нагрузка снята' },
    history: {
      type: 'array',
      description: 'Назначение и снятие, от первого к последнему',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['assigned', 'ended'] },
          effectiveOn: { type: 'string', description: 'Для assigned — первый день, для ended — последний' },
          reason: { type: 'string' },
          recordedAt: { type: 'string', format: 'date-time' },
          recordedBy: { type: 'string' },
        },
      },
    },
    version: { type: 'integer', description: 'Передайте её как expectedVersion при снятии' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

// Curricula and the timetable: schedule's resources, in their message form (camelCase). A class's
// plan and week are set at the class's address with the school and year in the body.

const weeklyHours = (minimum: number, description: string) =>
  ({ type: 'number', minimum, maximum: 10, multipleOf: 0.5, description }) as const;

const setCurriculum = {
  type: 'object',
  additionalProperties: false,
  required: ['schoolId', 'academicYearId', 'expectedVersion', 'lines'],
  properties: {
    schoolId: personId('Школа класса'),
    academicYearId: personId('Учебный год класса, открытый'),
    expectedVersion: {
      type: 'integer',
      minimum: 0,
      description: 'Версия, к которой относится изменение; 0 — учебного плана у класса ещё нет',
    },
    lines: {
      type: 'array',
      maxItems: 40,
      description: 'Весь план целиком (пустой список очищает его); каждый предмет — одной строкой',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['subjectId', 'hoursPerWeek', 'component'],
        properties: {
          subjectId: personId('Предмет общего перечня или собственный предмет школы'),
          hoursPerWeek: weeklyHours(0.5, 'Часов в неделю: от 0,5 до 10 с шагом 0,5'),
          component: {
            type: 'string',
            enum: ['mandatory', 'optional'],
            description:
              'mandatory — обязательная часть, optional — часть, формируемая участниками образовательных отношений',
          },
          periodHours: {
            type: 'array',
            maxItems: 4,
            description:
              'Учебные периоды, в которых часов в неделю другое число (каждый не больше одного раза)',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['period', 'hoursPerWeek'],
              properties: {
                period: { type: 'integer', minimum: 1, maximum: 4, description: 'Номер учебного периода' },
                hoursPerWeek: weeklyHours(0, 'Часов в неделю в этом периоде: от 0 (не изучается) до 10'),
              },
            },
          },
        },
      },
    },
  },
} as const;

const periodHours = {
  type: 'array',
  items: {
    type: 'object',
    properties: { period: { type: 'integer' }, hoursPerWeek: { type: 'number' } },
  },
} as const;

const curriculum = {
  type: 'object',
  description:
    'Учебный план класса: предметы, часы в неделю и в год, часть плана; один на класс, меняется целиком по версии',
  required: [
    'id',
    'schoolId',
    'academicYearId',
    'classId',
    'className',
    'grade',
    'lines',
    'totalHoursPerWeek',
    'maxHoursPerWeek',
    'totalHoursPerYear',
    'weeks',
    'version',
  ],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    classId: { type: 'string' },
    className: { type: 'string', description: 'Например «5А»' },
    grade: { type: 'integer' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          subjectId: { type: 'string' },
          subjectKey: { type: 'string' },
          subjectName: { type: 'string' },
          educationArea: { type: 'string' },
          educationAreaName: { type: 'string' },
          component: { type: 'string', enum: ['mandatory', 'optional'] },
          componentName: { type: 'string', description: 'Часть плана по-русски' },
          hoursPerWeek: { type: 'number' },
          periodHours,
          hoursPerYear: { type: 'number', description: 'Часы в неделю по периодам × недели периодов' },
        },
      },
    },
    totalHoursPerWeek: { type: 'number', description: 'Недельная нагрузка класса' },
    maxHoursPerWeek: { type: 'number', description: 'Предельная недельная нагрузка параллели' },
    totalHoursPerYear: { type: 'number' },
    weeks: {
      type: 'object',
      description: 'Учебные недели, по которым посчитаны часы в год',
      properties: {
        source: {
          type: 'string',
          enum: ['calendar', 'default'],
          description:
            'calendar — по календарю года; default — календарь ещё не известен (34 недели, в 1 классе 33)',
        },
        periodKind: { type: 'string', description: 'quarter, trimester, half_year; пусто — не известен' },
        perYear: { type: 'number' },
        periods: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              number: { type: 'integer' },
              name: { type: 'string', description: 'Например «1-я четверть»' },
              startsOn: { type: 'string' },
              endsOn: { type: 'string' },
              weeks: { type: 'number' },
              totalHoursPerWeek: { type: 'number' },
            },
          },
        },
      },
    },
    version: { type: 'integer', description: 'Передайте её как expectedVersion при изменении' },
    updatedAt: { type: 'string', format: 'date-time' },
    updatedBy: { type: 'string' },
  },
} as const;

const setClassTimetable = {
  type: 'object',
  additionalProperties: false,
  required: ['schoolId', 'academicYearId', 'expectedVersion', 'entries'],
  properties: {
    schoolId: personId('Школа класса'),
    academicYearId: personId('Учебный год класса, открытый'),
    shift: {
      type: 'integer',
      minimum: 1,
      maximum: 2,
      description: 'Смена класса: 1 или 2 (по умолчанию 1); её звонки должны быть заданы',
    },
    expectedVersion: {
      type: 'integer',
      minimum: 0,
      description: 'Версия, к которой относится изменение; 0 — недели у класса в этом периоде ещё нет',
    },
    entries: {
      type: 'array',
      maxItems: 200,
      description: 'Вся неделя целиком (пустой список очищает её)',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['weekday', 'lessonNumber', 'subjectId', 'teacherId'],
        properties: {
          weekday: {
            type: 'integer',
            minimum: 1,
            maximum: 6,
            description: 'День недели: 1 — понедельник … 6 — суббота',
          },
          lessonNumber: {
            type: 'integer',
            minimum: 1,
            maximum: 20,
            description: 'Номер урока по звонкам смены',
          },
          subgroupId: {
            type: 'string',
            maxLength: 64,
            description: 'Подгруппа класса; не передана или пусто — весь класс',
          },
          subjectId: personId('Предмет общего перечня или собственный предмет школы'),
          teacherId: personId('Педагог: у него должна быть нагрузка по предмету в классе или подгруппе'),
          room: { type: 'string', maxLength: 20, description: 'Кабинет, например «214»; можно не указывать' },
          weekParity: {
            type: 'string',
            enum: ['every', 'odd', 'even'],
            description: 'Каждую неделю (по умолчанию), по нечётным или по чётным',
          },
        },
      },
    },
  },
} as const;

const timetableEntry = {
  type: 'object',
  description: 'Урок недели; названия и время — как их знает расписание сейчас',
  properties: {
    weekday: { type: 'integer' },
    weekdayName: { type: 'string', description: 'Например «понедельник»' },
    lessonNumber: { type: 'integer' },
    startsAt: { type: 'string', description: 'ЧЧ:ММ; пусто — в звонках больше нет такого урока' },
    endsAt: { type: 'string' },
    classId: { type: 'string' },
    className: { type: 'string' },
    subgroupId: { type: 'string', description: 'Пусто — весь класс' },
    subgroupName: { type: 'string' },
    subjectId: { type: 'string' },
    subjectName: { type: 'string' },
    teacherId: { type: 'string' },
    teacherName: { type: 'string' },
    room: { type: 'string' },
    weekParity: { type: 'string', enum: ['every', 'odd', 'even'] },
  },
} as const;

const timetablePublication = {
  type: 'object',
  description: 'Последнее опубликованное расписание школы на период',
  properties: {
    id: { type: 'string' },
    version: { type: 'integer', description: '0 — ещё не опубликовано' },
    publishedAt: { type: 'string', description: 'Когда; пусто — ещё не опубликовано' },
    publishedBy: { type: 'string' },
    changedSince: { type: 'boolean', description: 'После публикации чья-то неделя изменилась' },
  },
} as const;

const classTimetableProperties = {
  id: { type: 'string' },
  schoolId: { type: 'string' },
  academicYearId: { type: 'string' },
  period: { type: 'integer' },
  classId: { type: 'string' },
  className: { type: 'string' },
  shift: { type: 'integer' },
  entries: { type: 'array', items: { $ref: '#/components/schemas/TimetableEntry' } },
  version: { type: 'integer', description: '0 — недели ещё нет; передайте её как expectedVersion' },
  updatedAt: { type: 'string' },
  updatedBy: { type: 'string' },
} as const;

const classTimetable = {
  type: 'object',
  description:
    'Неделя класса в учебном периоде: уроки по дням и номерам, класс или подгруппа, предмет, педагог, кабинет',
  required: [
    'id',
    'schoolId',
    'academicYearId',
    'period',
    'classId',
    'className',
    'shift',
    'entries',
    'version',
  ],
  properties: classTimetableProperties,
} as const;

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Повтор запроса с тем же ключом вернёт первый ответ, не выполняя его снова',
  schema: { type: 'string', minLength: 8, maxLength: 128 },
} as const;

/** A JSON request body with the schema of the components named. */
const jsonBody = (schema: string) => ({
  required: true,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
});

/** The answer with one object of the components named. */
const jsonAnswer = (description: string, schema: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
});

/** `{ items: [...] }` of objects of the components named. */
const listAnswer = (description: string, schema: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['items'],
        properties: { items: { type: 'array', items: { $ref: `#/components/schemas/${schema}` } } },
      },
    },
  },
});

/** 201 with the created object and its address. */
const createdAnswer = (description: string, schema: string, address: string) => ({
  ...jsonAnswer(description, schema),
  headers: { Location: { schema: { type: 'string' }, description: `Адрес: ${address}` } },
});

/** A query parameter `true`/`false`. */
const shiftParameter = {
  name: 'shift',
  in: 'path',
  required: true,
  description: 'Смена: 1 или 2',
  schema: { type: 'integer', minimum: 1, maximum: 2 },
} as const;

const periodParameter = {
  name: 'period',
  in: 'path',
  required: true,
  description: 'Номер учебного периода параллели: четверти 1–4, триместры 1–3, полугодия 1–2',
  schema: { type: 'integer', minimum: 1, maximum: 4 },
} as const;

const academicYearQuery = {
  name: 'academicYearId',
  in: 'query',
  required: true,
  description: 'Учебный год',
  schema: { type: 'string', minLength: 1, maxLength: 64 },
} as const;

const hhmm = {
  type: 'string',
  pattern: '^([01]\\d|2[0-3]):[0-5]\\d$',
  description: 'ЧЧ:ММ, местное время школы',
} as const;

const flagParameter = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', enum: ['true', 'false'] },
});

/** What a request with a body can get besides `errors`: too large, not JSON. */
const bodyErrors = () => ({
  '413': problemResponse('Тело запроса слишком большое'),
  '415': problemResponse('Тело запроса должно быть в формате JSON'),
});

// Ids are UUIDs; an enrolment's id joins two («<year>:<student>»).
const idParameter = (name: string, maxLength = 64) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', minLength: 1, maxLength },
});

// Dated lessons, their changes, the events calendar and a student's week: schedule's resources in
// their message form (camelCase). A change of a lesson or an event is an action with the version read.

const changeReason = (description: string) =>
  ({ type: 'string', minLength: 1, maxLength: 300, description }) as const;

const lessonNumber = {
  type: 'integer',
  minimum: 1,
  maximum: 20,
  description: 'Номер урока по звонкам смены класса',
} as const;

const room = { type: 'string', maxLength: 20, description: 'Кабинет, например «214»' } as const;

const moveLesson = versioned(
  {
    date: { ...dateString, description: 'Новый день, ГГГГ-ММ-ДД: учебный день параллели, сегодня или позже' },
    lessonNumber,
    room: { ...room, description: 'Новый кабинет; не передан или пусто — прежний' },
    reason: changeReason('Причина переноса, например «Учитель на курсах»'),
  },
  ['date', 'lessonNumber', 'reason'],
);

const cancelLesson = versioned(
  {
    reason: changeReason('Причина отмены'),
    evenWithJournalContent: {
      type: 'boolean',
      description: 'Отменить, хотя в журнале есть записи об уроке (они остаются в журнале)',
    },
  },
  ['reason'],
);

const addExtraLesson = {
  type: 'object',
  additionalProperties: false,
  required: ['subjectId', 'teacherId', 'date', 'lessonNumber', 'reason'],
  properties: {
    subgroupId: { type: 'string', maxLength: 64, description: 'Подгруппа класса; не передана — весь класс' },
    subjectId: personId('Предмет'),
    teacherId: personId(
      'Педагог: у него должна быть нагрузка по предмету в классе или подгруппе в этот день',
    ),
    date: { ...dateString, description: 'День, ГГГГ-ММ-ДД: учебный день параллели, сегодня или позже' },
    lessonNumber,
    room: { ...room, description: 'Кабинет; можно не указывать' },
    reason: changeReason('Зачем, например «Консультация перед контрольной»'),
  },
} as const;

const assignSubstitute = versioned(
  {
    substituteTeacherId: personId('Замещающий педагог школы (не учитель этого урока)'),
    reason: changeReason('Причина замены, например «Больничный»'),
  },
  ['substituteTeacherId', 'reason'],
);

const lesson = {
  type: 'object',
  description:
    'Урок на дату: по опубликованному расписанию и календарю года, или дополнительный; не удаляется — ' +
    'отменённый остаётся со статусом cancelled',
  required: [
    'id',
    'schoolId',
    'academicYearId',
    'period',
    'classId',
    'className',
    'subjectId',
    'teacherId',
    'date',
    'lessonNumber',
    'status',
    'origin',
    'version',
  ],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    period: { type: 'integer', description: 'Учебный период параллели' },
    classId: { type: 'string' },
    className: { type: 'string', description: 'Например «5А»' },
    subgroupId: { type: 'string', description: 'Пусто — весь класс' },
    subgroupName: { type: 'string' },
    subjectId: { type: 'string' },
    subjectKey: { type: 'string' },
    subjectName: { type: 'string' },
    subjectShortName: { type: 'string' },
    teacherId: { type: 'string' },
    date: { type: 'string', description: 'ГГГГ-ММ-ДД' },
    lessonNumber: { type: 'integer' },
    startsAt: { type: 'string', description: 'ЧЧ:ММ, местное время школы' },
    endsAt: { type: 'string' },
    room: { type: 'string' },
    status: { type: 'string', enum: ['scheduled', 'cancelled'] },
    origin: {
      type: 'string',
      enum: ['timetable', 'extra'],
      description:
        'timetable — по расписанию; extra — дополнительный (или оставленный решением руководителя)',
    },
    cancellationReason: {
      type: 'string',
      description: 'timetable_changed, calendar_changed или причина руководителя; пусто, если не отменён',
    },
    substituteTeacherId: { type: 'string', description: 'Замещающий педагог; пусто — замены нет' },
    substitutionReason: { type: 'string' },
    hasJournalContent: { type: 'boolean', description: 'В журнале есть записи об уроке' },
    needsDecision: {
      type: 'boolean',
      description:
        'Урока больше нет в расписании или календаре, но в журнале есть записи: решите, что с ним делать',
    },
    movedFromDate: { type: 'string', description: 'День по расписанию до переноса; пусто — не переносился' },
    movedFromLessonNumber: { type: 'integer' },
    changeReason: { type: 'string', description: 'Причина переноса или дополнительного урока' },
    version: { type: 'integer', description: 'Передайте её как expectedVersion при изменении' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const curriculumFulfilment = {
  type: 'object',
  description:
    'Выполнение учебного плана класса: по периодам и предметам (и подгруппам) — часы плана, уроки по ' +
    'расписанию (не отменённые), проведённые и отменённые',
  required: ['classId', 'className', 'asOf', 'lines'],
  properties: {
    classId: { type: 'string' },
    className: { type: 'string' },
    asOf: { type: 'string', description: 'На какой день посчитано (сегодня по времени школы)' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          period: { type: 'integer' },
          subjectId: { type: 'string' },
          subjectKey: { type: 'string' },
          subjectName: { type: 'string' },
          subgroupId: { type: 'string', description: 'Пусто — весь класс' },
          subgroupName: { type: 'string' },
          planned: { type: 'number', description: 'Часов по плану в периоде; 0 — предмета нет в плане' },
          scheduled: { type: 'integer', description: 'Уроков в периоде, не отменённых' },
          held: { type: 'integer', description: 'Из них проведено' },
          cancelled: { type: 'integer', description: 'Отменено' },
        },
      },
    },
  },
} as const;

const schoolEventCardProperties = {
  kind: {
    type: 'string',
    enum: ['olympiad', 'contest', 'parent_meeting', 'excursion', 'celebration', 'other'],
    description: 'Олимпиада, конкурс, родительское собрание, экскурсия, праздник или другое',
  },
  title: { type: 'string', minLength: 1, maxLength: 200, description: 'Название' },
  description: { type: 'string', maxLength: 2000, description: 'Описание; можно не указывать' },
  startsOn: { ...dateString, description: 'Первый день, ГГГГ-ММ-ДД, в пределах учебного года' },
  endsOn: { ...dateString, description: 'Последний день; не передан — первый день' },
  startsAt: { ...hhmm, description: 'Начало, ЧЧ:ММ по времени школы; не передано — весь день' },
  endsAt: { ...hhmm, description: 'Окончание, ЧЧ:ММ; только вместе с началом' },
  place: { type: 'string', maxLength: 200, description: 'Место, например «Актовый зал»' },
  scope: {
    type: 'string',
    enum: ['school', 'classes'],
    description: 'school — вся школа; classes — классы из classIds',
  },
  classIds: {
    type: 'array',
    maxItems: 50,
    items: personId('Класс учебного года'),
    description: 'Классы (1–50) для scope classes; для school — пусто',
  },
  participantIds: {
    type: 'array',
    maxItems: 500,
    items: personId('Обучающийся года или сотрудник школы'),
    description: 'Участники; пусто — участвуют все (школа или классы)',
  },
  responsibleId: personId('Ответственный сотрудник школы'),
} as const;

const schoolEventCardRequired = ['kind', 'title', 'startsOn', 'scope', 'responsibleId'] as const;

const createSchoolEvent = {
  type: 'object',
  additionalProperties: false,
  required: ['academicYearId', ...schoolEventCardRequired],
  properties: {
    academicYearId: personId('Учебный год школы, открытый'),
    ...schoolEventCardProperties,
  },
} as const;

const changeSchoolEvent = versioned(schoolEventCardProperties, [...schoolEventCardRequired]);

const cancelSchoolEvent = versioned({ reason: changeReason('Причина отмены') }, ['reason']);

const recordSchoolEventResults = versioned({
  resultsSummary: { type: 'string', maxLength: 4000, description: 'Итоги мероприятия в целом' },
  participantResults: {
    type: 'array',
    maxItems: 500,
    description: 'Результаты участников (каждый участник не больше одного раза)',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['personId', 'result'],
      properties: {
        personId: personId('Участник мероприятия'),
        result: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
          description: 'Например «Призёр, диплом II степени»',
        },
      },
    },
  },
});

const schoolEvent = {
  type: 'object',
  description: 'Мероприятие календаря школы; не удаляется — отменённое остаётся со статусом cancelled',
  required: [
    'id',
    'schoolId',
    'academicYearId',
    'kind',
    'title',
    'startsOn',
    'endsOn',
    'scope',
    'responsibleId',
    'status',
    'lateNotice',
    'warnings',
    'version',
  ],
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    kind: { type: 'string' },
    kindName: { type: 'string', description: 'Например «Олимпиада»' },
    title: { type: 'string' },
    description: { type: 'string' },
    startsOn: { type: 'string' },
    endsOn: { type: 'string' },
    startsAt: { type: 'string', description: 'Пусто — весь день' },
    endsAt: { type: 'string' },
    place: { type: 'string' },
    scope: { type: 'string', enum: ['school', 'classes'] },
    classIds: { type: 'array', items: { type: 'string' } },
    classNames: { type: 'array', items: { type: 'string' } },
    participantIds: { type: 'array', items: { type: 'string' } },
    responsibleId: { type: 'string' },
    responsibleName: { type: 'string' },
    status: { type: 'string', enum: ['scheduled', 'cancelled'] },
    cancelReason: { type: 'string' },
    resultsSummary: { type: 'string' },
    participantResults: {
      type: 'array',
      items: {
        type: 'object',
        properties: { personId: { type: 'string' }, result: { type: 'string' } },
      },
    },
    resultsRecordedAt: { type: 'string' },
    lateNotice: {
      type: 'boolean',
      description:
        'Внесено позже срока (2 недели для школы, 1 неделя для классов): принято с предупреждением',
    },
    warnings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string', description: 'Например event.late_notice' },
          message: { type: 'string' },
        },
      },
    },
    version: { type: 'integer', description: 'Передайте её как expectedVersion при изменении' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    updatedBy: { type: 'string' },
  },
} as const;

const calendarWarning = {
  type: 'object',
  description: 'Предупреждение о календаре: перенос выходного дня объявлен меньше чем за 3 рабочих дня',
  properties: {
    id: { type: 'string' },
    schoolId: { type: 'string' },
    academicYearId: { type: 'string' },
    code: { type: 'string', description: 'calendar.transfer_late_notice' },
    date: { type: 'string', description: 'Перенесённый выходной день' },
    worksAs: { type: 'integer', description: 'Работает по расписанию дня недели (1 — понедельник)' },
    announcedAt: { type: 'string' },
    workingDaysAhead: { type: 'integer' },
    message: { type: 'string' },
  },
} as const;

/** A day as a query parameter (`from`, `to`). */
const dayQuery = (name: string, required: boolean, description: string) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
});

/** The filter of a lessons list: at most 93 days, the status, only those awaiting a decision. */
const lessonsQuery = [
  dayQuery('from', true, 'Первый день, ГГГГ-ММ-ДД'),
  dayQuery('to', true, 'Последний день, ГГГГ-ММ-ДД: не больше 92 дней после from'),
  {
    name: 'status',
    in: 'query',
    required: false,
    description: 'scheduled или cancelled; не передан — оба',
    schema: { type: 'string', enum: ['scheduled', 'cancelled'] },
  },
  flagParameter('needsDecision', 'Только уроки, оставленные для решения руководителя (needsDecision)'),
] as const;

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
        parameters: [idempotencyKey],
        requestBody: jsonBody('SchoolCard'),
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
          ...bodyErrors(),
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
          '200': jsonAnswer('Карточка школы', 'School'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
      put: {
        operationId: 'changeSchool',
        summary: 'Изменить карточку школы (целиком, с версией)',
        description:
          'Директор, заместитель, администратор школы; оператор региона, специалист муниципалитета. ' +
          'Карточка проверяется как новая.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('ChangeSchool'),
        responses: {
          '200': jsonAnswer('Карточка изменена', 'School'),
          '404': problemResponse('Школа не найдена'),
          '409': problemResponse('Карточку уже изменили (версия устарела), или ИНН занят другой школой'),
          '422': problemResponse('Карточка не изменилась'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/academic-years': {
      post: {
        operationId: 'openAcademicYear',
        summary: 'Открыть учебный год: даты, каникулы, учебные периоды по параллелям',
        description: 'Директор, заместитель или администратор школы.',
        parameters: [idParameter('schoolId'), idempotencyKey],
        requestBody: jsonBody('AcademicYearPlan'),
        responses: {
          '201': {
            description: 'Учебный год открыт',
            headers: {
              Location: { schema: { type: 'string' }, description: 'Адрес: /api/v1/academic-years/{id}' },
            },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/AcademicYear' } } },
          },
          '404': problemResponse('Школа не найдена'),
          '409': problemResponse('Учебный год пересекается с уже открытым'),
          ...bodyErrors(),
          '422': problemResponse(
            'Даты периодов выходят за год, пересекаются или оставляют пропуск: периоды названы в errors',
          ),
          ...errors,
        },
      },
      get: {
        operationId: 'listAcademicYears',
        summary: 'Учебные годы школы, последний первым',
        parameters: [idParameter('schoolId')],
        responses: {
          '200': {
            description: 'Учебные годы',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: { type: 'array', items: { $ref: '#/components/schemas/AcademicYear' } },
                  },
                },
              },
            },
          },
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/academic-years/{id}': {
      get: {
        operationId: 'getAcademicYear',
        summary: 'Учебный год',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Учебный год', 'AcademicYear'),
          '404': problemResponse('Учебный год не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/academic-years/{id}/orders': {
      get: {
        operationId: 'listOrders',
        summary: 'Книга приказов учебного года: что сделано по каждому приказу',
        description:
          'Директор, заместитель, администратор школы и секретарь — все приказы; специалист по кадрам — ' +
          'только кадровые. Собирается из истории: движение обучающихся, подгруппы, календарь, должности. ' +
          'Сначала последние (по дате, затем номеру).',
        parameters: [idParameter('id')],
        responses: {
          '200': listAnswer('Приказы', 'OrderEntry'),
          '404': problemResponse('Учебный год не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/academic-years/{id}/counts': {
      get: {
        operationId: 'getSchoolCounts',
        summary: 'Численность: классы и обучающиеся по параллелям, сотрудники (без ФИО)',
        description:
          'Руководители школы, оператор региона и специалисты муниципалитета, к которому относится школа. ' +
          'Муниципалитет видит только численность, без списков и карточек.',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Численность', 'SchoolCounts'),
          '404': problemResponse('Учебный год не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/academic-years/{id}/classes': {
      post: {
        operationId: 'openClass',
        summary: 'Открыть класс в учебном году',
        description:
          'Директор, заместитель или администратор школы; год открыт и в нём есть периоды для параллели.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('OpenClass'),
        responses: {
          '201': {
            description: 'Класс открыт',
            headers: { Location: { schema: { type: 'string' }, description: 'Адрес: /api/v1/classes/{id}' } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SchoolClass' } } },
          },
          '404': problemResponse('Учебный год не найден'),
          '409': problemResponse('Такой класс в этом году уже есть'),
          ...bodyErrors(),
          '422': problemResponse('Год закрыт или в нём нет периодов для этой параллели'),
          ...errors,
        },
      },
      get: {
        operationId: 'listClasses',
        summary: 'Классы учебного года по параллелям и буквам',
        parameters: [idParameter('id')],
        responses: {
          '200': {
            description: 'Классы',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: { type: 'array', items: { $ref: '#/components/schemas/SchoolClass' } },
                  },
                },
              },
            },
          },
          '404': problemResponse('Учебный год не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/classes/{id}': {
      get: {
        operationId: 'getClass',
        summary: 'Класс',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Класс', 'SchoolClass'),
          '404': problemResponse('Класс не найден'),
          ...errors,
        },
      },
      patch: {
        operationId: 'changeClass',
        summary: 'Переименовать класс, изменить наполняемость или классного руководителя, закрыть класс',
        description: 'Директор, заместитель или администратор школы. Удаления нет: класс закрывается.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('ChangeClass'),
        responses: {
          '200': jsonAnswer('Класс изменён', 'SchoolClass'),
          '404': problemResponse('Класс не найден'),
          '409': problemResponse('Класс уже изменили (версия устарела) или такое имя занято'),
          ...bodyErrors(),
          '422': problemResponse('Класс закрыт, ничего не изменилось, или руководитель — не сотрудник школы'),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/people': {
      post: {
        operationId: 'registerPerson',
        summary: 'Зарегистрировать сотрудника, обучающегося или родителя',
        description: 'Директор, заместитель, администратор школы; кадровик — только сотрудников.',
        parameters: [idParameter('schoolId'), idempotencyKey],
        requestBody: jsonBody('PersonForm'),
        responses: {
          '201': {
            ...jsonAnswer('Зарегистрирован', 'Person'),
            headers: { Location: { schema: { type: 'string' }, description: 'Адрес: /api/v1/people/{id}' } },
          },
          '404': problemResponse('Школа не найдена'),
          '409': problemResponse('СНИЛС уже зарегистрирован в этой школе'),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'listPeople',
        summary: 'Люди школы: сокращённые карточки (ФИО и вид)',
        description:
          'Руководители школы — все; учителя и специалист по кадрам — только сотрудников (kind=staff). ' +
          'Обучающихся учитель видит в списках своих классов.',
        parameters: [
          idParameter('schoolId'),
          {
            name: 'kind',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['staff', 'student', 'guardian'] },
          },
          {
            name: 'includeArchived',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['true', 'false'] },
          },
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
                    items: { type: 'array', items: { $ref: '#/components/schemas/PersonSummary' } },
                    nextPageToken: { type: 'string' },
                  },
                },
              },
            },
          },
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/people/{id}': {
      get: {
        operationId: 'getPerson',
        summary: 'Полная карточка человека (чтение записывается в журнал доступа)',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Карточка', 'Person'),
          '404': problemResponse('Не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/people/{id}/contacts': {
      put: {
        operationId: 'updatePersonContacts',
        summary: 'Заменить телефон и почту',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: versioned(contacts.properties) } },
        },
        responses: {
          '200': { description: 'Контакты изменены', content: { 'application/json': {} } },
          '404': problemResponse('Не найден'),
          '409': problemResponse('Карточку уже изменили'),
          '422': problemResponse('Карточка в архиве'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/people/{id}/archive': {
      post: {
        operationId: 'archivePerson',
        summary: 'Перевести в архив (удаления нет)',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: { required: true, content: { 'application/json': { schema: versioned() } } },
        responses: {
          '200': { description: 'В архиве', content: { 'application/json': {} } },
          '404': problemResponse('Не найден'),
          '409': problemResponse('Карточку уже изменили'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/people/{id}/movements': {
      get: {
        operationId: 'getStudentMovements',
        summary: 'Движение обучающегося по годам (для отчёта о движении)',
        parameters: [idParameter('id')],
        responses: {
          '200': {
            description: 'Список',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Enrolment' } } },
                },
              },
            },
          },
          '404': problemResponse('Не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/classes/{id}/students': {
      post: {
        operationId: 'enrolStudent',
        summary: 'Зачислить обучающегося в класс по приказу',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('EnrolStudent'),
        responses: {
          '201': {
            ...jsonAnswer('Зачислен', 'Enrolment'),
            headers: {
              Location: { schema: { type: 'string' }, description: 'Адрес: /api/v1/enrolments/{id}' },
            },
          },
          '404': problemResponse('Класс не найден'),
          '409': problemResponse('Обучающийся уже зачислен в другой класс этого года (класс назван)'),
          '422': problemResponse('Класс закрыт или заполнен, дата вне года, не обучающийся школы'),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'listClassStudents',
        summary: 'Список класса: ФИО по алфавиту',
        description:
          'Руководители школы, классный руководитель и учителя, которым расписание назначило этот класс ' +
          'или его подгруппу (нагрузка). Остальным — 403.',
        parameters: [idParameter('id')],
        responses: {
          '200': {
            description: 'Список',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: { type: 'array', items: { $ref: '#/components/schemas/ClassStudent' } },
                  },
                },
              },
            },
          },
          '404': problemResponse('Класс не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/enrolments/{id}/moves': {
      post: {
        operationId: 'moveStudent',
        summary: 'Перевести в другой класс того же года или отчислить (toClassId: null), по приказу',
        parameters: [idParameter('id', 130), idempotencyKey],
        requestBody: jsonBody('MoveStudent'),
        responses: {
          '200': jsonAnswer('Перемещение записано', 'Enrolment'),
          '404': problemResponse('Зачисление не найдено'),
          '409': problemResponse('Данные уже изменили (версия устарела)'),
          '422': problemResponse(
            'Дата раньше последнего перемещения, класс закрыт или заполнен, обучающийся выбыл',
          ),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/academic-years/{id}/imports': {
      post: {
        operationId: 'importRoster',
        summary: 'Загрузить список школы из CSV: сотрудники, обучающиеся, родители, классы, зачисление',
        description:
          'Директор, заместитель, администратор школы. Сначала проверяются все строки; при любой ошибке ' +
          'ничего не записывается, а в errors перечислены все ошибки с номерами строк. Повторная загрузка ' +
          'того же файла ничего не меняет. dryRun: true — только проверить и посчитать.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('RosterImport'),
        responses: {
          '200': {
            description: 'Проверка (dryRun): что было бы сделано',
            content: { 'application/json': {} },
          },
          '201': {
            description: 'Загружено: сколько создано и сколько уже было',
            content: { 'application/json': {} },
          },
          '404': problemResponse('Учебный год не найден'),
          '422': problemResponse('Учебный год закрыт'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/imports/template.csv': {
      get: {
        operationId: 'getImportTemplate',
        summary: 'Шаблон CSV для загрузки списка школы',
        responses: {
          '200': { description: 'CSV (UTF-8, разделитель «;»)', content: { 'text/csv': {} } },
          ...errors,
        },
      },
    },
    '/api/v1/academic-years/{id}/calendar-changes': {
      post: {
        operationId: 'changeCalendar',
        summary: 'Изменить календарь по приказу: каникулы, периоды, карантин, переносы',
        description:
          'Директор, заместитель или администратор школы. Передаётся весь календарь после изменения; ' +
          'что изменилось, записывается в changes вместе с приказом.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('CalendarChange'),
        responses: {
          '200': jsonAnswer('Календарь изменён', 'AcademicYear'),
          '404': problemResponse('Учебный год не найден'),
          '409': problemResponse('Календарь уже изменили: версия устарела'),
          ...bodyErrors(),
          '422': problemResponse('Год закрыт, календарь не изменился, или даты не согласованы (в errors)'),
          ...errors,
        },
      },
    },
    '/api/v1/academic-years/{id}/close': {
      post: {
        operationId: 'closeAcademicYear',
        summary: 'Закрыть учебный год по приказу (не раньше его последнего дня)',
        description:
          'Директор, заместитель или администратор школы. Закрытый год больше не меняется: ни календарь, ' +
          'ни классы, ни зачисление. Из закрытого года делается переход на следующий (rollovers).',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('CloseAcademicYear'),
        responses: {
          '200': jsonAnswer('Год закрыт (status: closed, приказ — последний в changes)', 'AcademicYear'),
          '404': problemResponse('Учебный год не найден'),
          '409': problemResponse('Год уже изменили: версия устарела'),
          '422': problemResponse('Год ещё не закончился или уже закрыт'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/academic-years/{id}/rollovers': {
      post: {
        operationId: 'rolloverAcademicYear',
        summary: 'Переход на следующий учебный год: перевод классов, выпуск, новый календарь (по приказу)',
        description:
          'Директор, заместитель или администратор школы; год должен быть закрыт. Создаётся следующий год ' +
          'с тем же делением на периоды и каникулами, сдвинутыми на год; каждый класс переводится в следующую ' +
          'параллель (5А → 6А) с классным руководителем и обучающимися; выпускные параллели (по умолчанию 11) ' +
          'выпускаются; подгруппы сохраняются только названные. Повторный запуск ничего не меняет и возвращает ' +
          'тот же итог; прерванный — доделывается. dryRun: true — показать, что будет сделано, ничего не записывая.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('Rollover'),
        responses: {
          '200': jsonAnswer('Проверка (dryRun): что будет сделано', 'RolloverSummary'),
          '201': createdAnswer(
            'Переход выполнен (или был выполнен раньше): итог',
            'RolloverSummary',
            '/api/v1/academic-years/{id} (новый год)',
          ),
          '404': problemResponse('Учебный год не найден'),
          '409': problemResponse('Следующий год уже открыт не этим переходом'),
          '422': problemResponse('Год не закрыт, или для класса нет следующей параллели (в errors)'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/people/{id}/guardians': {
      post: {
        operationId: 'linkGuardian',
        summary: 'Связать родителя (законного представителя) с обучающимся',
        description:
          'Директор, заместитель, администратор школы обучающегося или классный руководитель его класса. ' +
          'Связь принадлежит школе обучающегося; карточка родителя может быть другой школы. Согласие ' +
          'записывается отдельно (POST /api/v1/guardianships/{id}/consents).',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('LinkGuardian'),
        responses: {
          '201': createdAnswer(
            'Связь записана (версия 1, без согласия)',
            'Guardianship',
            '/api/v1/guardianships/{id}',
          ),
          '404': problemResponse('Обучающийся не найден'),
          '409': problemResponse('Этот родитель уже связан с обучающимся'),
          '422': problemResponse('Не обучающийся, не родитель или карточка в архиве'),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'listGuardians',
        summary: 'Родители (законные представители) обучающегося: только ФИО',
        description:
          'Руководители школы и классный руководитель видят все связи (действующие первыми), родитель — ' +
          'только свои; остальным — 404.',
        parameters: [idParameter('id')],
        responses: {
          '200': listAnswer('Связи с ФИО родителей', 'StudentGuardian'),
          '404': problemResponse('Обучающийся не найден (или не виден этому пользователю)'),
          ...errors,
        },
      },
    },
    '/api/v1/people/{id}/children': {
      get: {
        operationId: 'listChildren',
        summary: 'Дети родителя (действующие связи): только ФИО',
        description:
          'Сам родитель видит всех детей во всех школах; руководитель школы — связи своих школ; ' +
          'остальным — 404.',
        parameters: [idParameter('id')],
        responses: {
          '200': listAnswer('Связи с ФИО детей', 'GuardianChild'),
          '404': problemResponse('Родитель не найден (или не виден этому пользователю)'),
          ...errors,
        },
      },
    },
    '/api/v1/guardianships/{id}': {
      get: {
        operationId: 'getGuardianship',
        summary: 'Связь с родителем (законным представителем) с историей согласий',
        description:
          'Руководители школы обучающегося, классный руководитель его класса и сам родитель этой связи; ' +
          'остальным — 404.',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Связь', 'Guardianship'),
          '404': problemResponse('Связь не найдена (или не видна этому пользователю)'),
          ...errors,
        },
      },
    },
    '/api/v1/guardianships/{id}/consents': {
      post: {
        operationId: 'recordConsent',
        summary: 'Записать письменное согласие родителя',
        description:
          'Те же, кто связывает. Пока согласие действует, родитель видит карточку ребёнка. После отзыва ' +
          'можно записать новое.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('RecordConsent'),
        responses: {
          '200': jsonAnswer('Согласие записано', 'Guardianship'),
          '404': problemResponse('Связь не найдена'),
          '409': problemResponse('Связь уже изменили (версия устарела)'),
          '422': problemResponse('Связь прекращена или согласие уже действует'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/guardianships/{id}/revoke-consent': {
      post: {
        operationId: 'revokeConsent',
        summary: 'Отозвать действующее согласие (остаётся в истории)',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('RevokeConsent'),
        responses: {
          '200': jsonAnswer('Согласие отозвано', 'Guardianship'),
          '404': problemResponse('Связь не найдена'),
          '409': problemResponse('Связь уже изменили (версия устарела)'),
          '422': problemResponse('Связь прекращена или действующего согласия нет'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/guardianships/{id}/unlink': {
      post: {
        operationId: 'unlinkGuardian',
        summary: 'Прекратить связь (не удаляется: остаётся с датой, причиной и историей согласий)',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('UnlinkGuardian'),
        responses: {
          '200': jsonAnswer('Связь прекращена', 'Guardianship'),
          '404': problemResponse('Связь не найдена'),
          '409': problemResponse('Связь уже изменили (версия устарела)'),
          '422': problemResponse('Связь уже прекращена'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/staff-positions': {
      post: {
        operationId: 'hireStaff',
        summary: 'Назначить сотрудника на должность по приказу',
        description:
          'Директор, заместитель, администратор или специалист по кадрам школы. Одну и ту же должность ' +
          'дважды не занять; действующий директор в школе один.',
        parameters: [idParameter('schoolId'), idempotencyKey],
        requestBody: jsonBody('HireStaff'),
        responses: {
          '201': createdAnswer('Назначен', 'StaffPosition', '/api/v1/staff-positions/{id}'),
          '404': problemResponse('Школа не найдена'),
          '409': problemResponse('Сотрудник уже занимает эту должность, или директор в школе уже есть'),
          '422': problemResponse('Не сотрудник этой школы или карточка в архиве'),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'listStaff',
        summary: 'Штатный список школы: ФИО и должности',
        description:
          'Руководители и специалист по кадрам видят ставки и даты и могут запросить уволенных; учителя — ' +
          'только действующие должности, ФИО и названия.',
        parameters: [idParameter('schoolId'), flagParameter('includeDismissed', 'Вместе с уволенными')],
        responses: {
          '200': listAnswer('По фамилии и имени, затем по должности', 'StaffMember'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/people/{id}/staff-positions': {
      get: {
        operationId: 'listPositionsOfPerson',
        summary: 'Все должности человека: действующие, затем уволенные',
        description: 'Руководители и специалист по кадрам школы человека.',
        parameters: [idParameter('id')],
        responses: {
          '200': listAnswer('Должности', 'StaffPosition'),
          '404': problemResponse('Человек не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/staff-positions/{id}': {
      get: {
        operationId: 'getPosition',
        summary: 'Должность',
        description:
          'Руководители и специалист по кадрам школы, а также сам сотрудник видят должность целиком; учителя ' +
          'школы — только действующую и как в штатном списке: сотрудник, вид, название и статус (ставка 0, ' +
          'даты, приказы и история пустые, версия 0). Другим ролям школы — 403, тем, у кого нет роли в ' +
          'школе, — 404.',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Должность', 'StaffPosition'),
          '404': problemResponse('Должность не найдена (или не видна этому пользователю)'),
          ...errors,
        },
      },
      patch: {
        operationId: 'changePosition',
        summary: 'Изменить название должности или ставку по приказу',
        description: 'Руководители и специалист по кадрам школы. Изменение записывается в history.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('ChangePosition'),
        responses: {
          '200': jsonAnswer('Должность изменена', 'StaffPosition'),
          '404': problemResponse('Должность не найдена'),
          '409': problemResponse('Должность уже изменили (версия устарела), или такая должность уже занята'),
          '422': problemResponse(
            'Сотрудник уволен, дата раньше последнего приказа, или ничего не изменилось',
          ),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/staff-positions/{id}/dismiss': {
      post: {
        operationId: 'dismissStaff',
        summary: 'Уволить с должности по приказу (должность остаётся с историей)',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('DismissStaff'),
        responses: {
          '200': jsonAnswer('Уволен', 'StaffPosition'),
          '404': problemResponse('Должность не найдена'),
          '409': problemResponse('Должность уже изменили (версия устарела)'),
          '422': problemResponse('Уже уволен или дата раньше последнего приказа'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/classes/{id}/subgroups': {
      post: {
        operationId: 'formSubgroup',
        summary: 'Сформировать подгруппу класса по предмету',
        description:
          'Директор, заместитель или администратор школы. Участники — обучающиеся класса, каждый не больше ' +
          'чем в одной открытой подгруппе класса по предмету.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('FormSubgroup'),
        responses: {
          '201': createdAnswer('Подгруппа сформирована', 'Subgroup', '/api/v1/subgroups/{id}'),
          '404': problemResponse('Класс не найден'),
          '409': problemResponse('Такое название занято или обучающийся уже в другой подгруппе по предмету'),
          '422': problemResponse('Класс закрыт, учитель не сотрудник школы или обучающийся не в этом классе'),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'listSubgroups',
        summary: 'Подгруппы класса по предметам и названиям',
        description: 'Руководители и учителя школы.',
        parameters: [idParameter('id'), flagParameter('includeClosed', 'Вместе с расформированными')],
        responses: {
          '200': listAnswer('Подгруппы', 'Subgroup'),
          '404': problemResponse('Класс не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/subgroups/{id}': {
      get: {
        operationId: 'getSubgroup',
        summary: 'Подгруппа',
        description: 'Руководители и учителя школы.',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Подгруппа', 'Subgroup'),
          '404': problemResponse('Подгруппа не найдена'),
          ...errors,
        },
      },
      patch: {
        operationId: 'changeSubgroup',
        summary: 'Переименовать подгруппу или сменить учителя',
        description: 'Директор, заместитель или администратор школы.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('ChangeSubgroup'),
        responses: {
          '200': jsonAnswer('Подгруппа изменена', 'Subgroup'),
          '404': problemResponse('Подгруппа не найдена'),
          '409': problemResponse('Подгруппу уже изменили (версия устарела) или название занято'),
          '422': problemResponse(
            'Подгруппа расформирована, ничего не изменилось, или учитель не сотрудник школы',
          ),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/subgroups/{id}/members': {
      patch: {
        operationId: 'changeSubgroupMembers',
        summary: 'Добавить и исключить участников подгруппы',
        description: 'Директор, заместитель или администратор школы. Исключить можно и выбывшего из класса.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('ChangeSubgroupMembers'),
        responses: {
          '200': jsonAnswer('Состав изменён', 'Subgroup'),
          '404': problemResponse('Подгруппа не найдена'),
          '409': problemResponse(
            'Подгруппу уже изменили (версия устарела) или обучающийся в другой подгруппе',
          ),
          '422': problemResponse('Подгруппа расформирована или обучающийся не в этом классе'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/subgroups/{id}/disband': {
      post: {
        operationId: 'disbandSubgroup',
        summary: 'Расформировать подгруппу (остаётся закрытой с прежним составом)',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: { required: true, content: { 'application/json': { schema: versioned() } } },
        responses: {
          '200': jsonAnswer('Расформирована', 'Subgroup'),
          '404': problemResponse('Подгруппа не найдена'),
          '409': problemResponse('Подгруппу уже изменили (версия устарела)'),
          '422': problemResponse('Подгруппа уже расформирована'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/subjects': {
      post: {
        operationId: 'createSubject',
        summary: 'Добавить собственный предмет школы (факультатив, второй иностранный язык, курс)',
        description:
          'Директор, заместитель или администратор школы. Код и название не должны совпадать с предметами ' +
          'общего перечня и школы.',
        parameters: [idParameter('schoolId'), idempotencyKey],
        requestBody: jsonBody('CreateSubject'),
        responses: {
          '201': createdAnswer('Предмет добавлен', 'Subject', '/api/v1/subjects/{id}'),
          '404': problemResponse('Школа не найдена'),
          '409': problemResponse('Код или название предмета заняты'),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'listSubjects',
        summary: 'Предметы школы: общий перечень региона и собственные предметы школы',
        description:
          'Все, у кого есть роль в школе; оператор региона и специалисты муниципалитета. По предметным ' +
          'областям, внутри области — предметы перечня по порядку, затем собственные по названию.',
        parameters: [idParameter('schoolId')],
        responses: {
          '200': listAnswer('Предметы', 'Subject'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/bell-schedules': {
      get: {
        operationId: 'listBellSchedules',
        summary: 'Расписание звонков школы по сменам',
        description: 'Все, у кого есть роль в школе. Пусто, пока звонки не заданы.',
        parameters: [idParameter('schoolId')],
        responses: {
          '200': listAnswer('Звонки по сменам', 'BellSchedule'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/bell-schedules/{shift}': {
      put: {
        operationId: 'setBellSchedule',
        summary: 'Задать расписание звонков смены (целиком, с версией)',
        description:
          'Директор, заместитель или администратор школы. Уроки нумеруются 1..N без пропусков, в пределах ' +
          '07:00–21:00, урок 30–90 минут, перемена не меньше 5 минут, без наложений; в ошибке названы ' +
          'все нарушающие уроки. expectedVersion: 0 — у смены ещё нет звонков.',
        parameters: [idParameter('schoolId'), shiftParameter, idempotencyKey],
        requestBody: jsonBody('SetBellSchedule'),
        responses: {
          '200': jsonAnswer('Звонки смены', 'BellSchedule'),
          '404': problemResponse('Школа не найдена'),
          '409': problemResponse('Звонки уже изменили: версия устарела'),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'getBellSchedule',
        summary: 'Расписание звонков смены',
        description: 'Все, у кого есть роль в школе. Для каждого урока — длительность и перемена после него.',
        parameters: [idParameter('schoolId'), shiftParameter],
        responses: {
          '200': jsonAnswer('Звонки смены', 'BellSchedule'),
          '404': problemResponse('Школа не найдена или у смены нет звонков'),
          ...errors,
        },
      },
    },
    '/api/v1/classes/{classId}/curriculum': {
      put: {
        operationId: 'setCurriculum',
        summary: 'Задать учебный план класса (целиком, с версией)',
        description:
          'Директор, заместитель или администратор школы. Предметы перечня или школы, каждый одной строкой; ' +
          'часы в неделю от 0,5 до 10 (в отдельных периодах — другие); недельная нагрузка в каждом периоде не ' +
          'больше предельной для параллели. schoolId и academicYearId — школа и год класса. expectedVersion: ' +
          '0 — плана ещё нет.',
        parameters: [idParameter('classId'), idempotencyKey],
        requestBody: jsonBody('SetCurriculum'),
        responses: {
          '200': jsonAnswer('Учебный план', 'Curriculum'),
          '404': problemResponse('Школа, учебный год или класс не найдены'),
          '409': problemResponse('План уже изменили: версия устарела'),
          '422': problemResponse(
            'Год или класс закрыт, класс другого года, предмет не найден, такого периода нет или ' +
              'превышена недельная нагрузка',
          ),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'getCurriculum',
        summary: 'Учебный план класса',
        description:
          'Все, у кого есть роль в школе класса. Часы в неделю и в год по строкам, итоги, учебные недели, ' +
          'предельная нагрузка параллели.',
        parameters: [idParameter('classId')],
        responses: {
          '200': jsonAnswer('Учебный план', 'Curriculum'),
          '404': problemResponse('Плана у класса ещё нет (или класс не найден)'),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/curricula': {
      get: {
        operationId: 'listCurricula',
        summary: 'Учебные планы классов учебного года',
        description:
          'Все, у кого есть роль в школе. По классам (параллель, название); классы без плана не показываются.',
        parameters: [idParameter('schoolId'), academicYearQuery],
        responses: {
          '200': listAnswer('Учебные планы', 'Curriculum'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/classes/{classId}/timetable/{period}': {
      put: {
        operationId: 'setClassTimetable',
        summary: 'Задать неделю класса в учебном периоде (целиком, с версией)',
        description:
          'Директор, заместитель или администратор школы. Проверяется по всей школе: урок есть в звонках ' +
          'смены, предмет с подгруппами — подгруппам, у педагога есть нагрузка, класс, подгруппа, педагог ' +
          'и кабинет в одно время заняты одним уроком; все нарушения сообщаются сразу (entries[i].…), ' +
          'код — первого нарушенного правила. schoolId и academicYearId — школа и год класса. ' +
          'expectedVersion: 0 — недели ещё нет. Публикует расписание отдельный запрос.',
        parameters: [idParameter('classId'), periodParameter, idempotencyKey],
        requestBody: jsonBody('SetClassTimetable'),
        responses: {
          '200': jsonAnswer('Неделя класса', 'ClassTimetable'),
          '404': problemResponse('Школа, учебный год или класс не найдены'),
          '409': problemResponse('Неделю уже изменили: версия устарела'),
          '422': problemResponse(
            'Год или класс закрыт, такого периода нет, нет звонков, нет нагрузки, или класс, педагог, ' +
              'кабинет заняты (timetable.teacher_busy, timetable.class_busy, timetable.room_busy …)',
          ),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'getClassTimetable',
        summary: 'Неделя класса в учебном периоде',
        description:
          'Руководители школы, учитель, который ведёт класс (или его подгруппу) или руководит им; другим ' +
          'ролям школы — 403, тем, у кого нет роли в школе, — 404. Версия 0 и нет уроков — неделя ещё не ' +
          'задана; publication — последняя публикация расписания школы на этот период.',
        parameters: [idParameter('classId'), periodParameter],
        responses: {
          '200': jsonAnswer('Неделя класса', 'ClassTimetableWithPublication'),
          '404': problemResponse('Класс не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/timetable/{period}': {
      get: {
        operationId: 'listTimetable',
        summary: 'Расписание школы на учебный период: недели всех классов',
        description:
          'Руководители школы. По классам (параллель, название); классы без недели не показываются. ' +
          'publication — последняя публикация.',
        parameters: [idParameter('schoolId'), periodParameter, academicYearQuery],
        responses: {
          '200': jsonAnswer('Недели классов', 'SchoolTimetable'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/timetable/{period}/publish': {
      post: {
        operationId: 'publishTimetable',
        summary: 'Опубликовать расписание школы на учебный период',
        description:
          'Директор, заместитель или администратор школы. Все недели периода проверяются заново целиком ' +
          '(звонки, нагрузка и подгруппы могли измениться); ошибки — как при задании недели, с классом ' +
          '(classes[5А].entries[3].teacherId). Ни у одного класса нет уроков — 422 timetable.empty.',
        parameters: [idParameter('schoolId'), periodParameter, idempotencyKey],
        requestBody: jsonBody('PublishTimetable'),
        responses: {
          '200': jsonAnswer('Опубликовано', 'TimetablePublished'),
          '404': problemResponse('Школа или учебный год не найдены'),
          '422': problemResponse('Год закрыт, уроков нет или расписание нарушает правила'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/teachers/{teacherId}/timetable/{period}': {
      get: {
        operationId: 'getTeacherTimetable',
        summary: 'Неделя педагога в учебном периоде: уроки во всех классах школы',
        description:
          'Руководители школы и сам педагог; другим ролям школы — 403, тем, у кого нет роли в школе, — 404. ' +
          'Период — по номеру (у педагога параллелей с четвертями и с полугодиями — каждый номер отдельно).',
        parameters: [idParameter('schoolId'), idParameter('teacherId'), periodParameter, academicYearQuery],
        responses: {
          '200': jsonAnswer('Неделя педагога', 'TeacherTimetable'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/classes/{classId}/lessons': {
      get: {
        operationId: 'listClassLessons',
        summary: 'Уроки класса на даты (и его подгрупп)',
        description:
          'Руководители школы, учитель, который ведёт класс (или его подгруппу) или руководит им; другим ' +
          'ролям школы — 403, тем, у кого нет роли в школе, — 404. Не больше 93 дней; по дате, номеру урока, ' +
          'подгруппе. Неверный фильтр — 400 lesson.filter_invalid.',
        parameters: [idParameter('classId'), ...lessonsQuery],
        responses: {
          '200': listAnswer('Уроки', 'Lesson'),
          '404': problemResponse('Класс не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/lessons': {
      get: {
        operationId: 'listSchoolLessons',
        summary: 'Уроки педагога (teacherId) или всей школы на даты',
        description:
          'С teacherId — уроки педагога в школе (в том числе те, где он замещает): руководители и сам ' +
          'педагог; без teacherId — все уроки школы, только руководители. Не больше 93 дней.',
        parameters: [
          idParameter('schoolId'),
          {
            name: 'teacherId',
            in: 'query',
            required: false,
            description: 'Педагог',
            schema: { type: 'string', minLength: 1, maxLength: 64 },
          },
          ...lessonsQuery,
        ],
        responses: {
          '200': listAnswer('Уроки', 'Lesson'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/lessons/{id}': {
      get: {
        operationId: 'getLesson',
        summary: 'Урок',
        description:
          'Руководители школы, учитель урока, замещающий, учитель, который ведёт класс или руководит им; ' +
          'тем, у кого нет роли в школе, — 404.',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Урок', 'Lesson'),
          '404': problemResponse('Урок не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/lessons/{id}/move': {
      post: {
        operationId: 'moveLesson',
        summary: 'Перенести урок на другой день или номер урока',
        description:
          'Директор, заместитель или администратор школы. Новое место — учебный день параллели в учебном ' +
          'периоде, урок по звонкам смены, сегодня или позже, и свободно для педагога (или замещающего), ' +
          'кабинета и класса (lesson.teacher_busy, lesson.room_busy, lesson.class_busy; все нарушения в ' +
          'errors). Урок сохраняет id (записи журнала остаются при нём); перегенерация его не трогает.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('MoveLesson'),
        responses: {
          '200': jsonAnswer('Урок перенесён', 'Lesson'),
          '404': problemResponse('Урок не найден'),
          '409': problemResponse('Урок уже изменили (версия устарела), он отменён или уже прошёл'),
          '422': problemResponse('Место занято: педагог, кабинет или класс'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/lessons/{id}/cancel': {
      post: {
        operationId: 'cancelLesson',
        summary: 'Отменить урок',
        description:
          'Директор, заместитель или администратор школы, с причиной. Урок с записями в журнале — только с ' +
          'evenWithJournalContent (иначе 409 lesson.has_journal_content); записи остаются в журнале.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('CancelLesson'),
        responses: {
          '200': jsonAnswer('Урок отменён', 'Lesson'),
          '404': problemResponse('Урок не найден'),
          '409': problemResponse('Урок уже изменили, он уже отменён, прошёл или в журнале есть записи'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/lessons/{id}/keep': {
      post: {
        operationId: 'keepLesson',
        summary: 'Оставить урок, которого больше нет в расписании, но есть записи в журнале',
        description:
          'Директор, заместитель или администратор школы: решение по уроку с needsDecision — он остаётся ' +
          'дополнительным (origin extra). Чтобы убрать урок, отмените его.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: { required: true, content: { 'application/json': { schema: versioned() } } },
        responses: {
          '200': jsonAnswer('Урок оставлен', 'Lesson'),
          '404': problemResponse('Урок не найден'),
          '409': problemResponse('Урок уже изменили или решение по нему не требуется'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/classes/{classId}/extra-lessons': {
      post: {
        operationId: 'addExtraLesson',
        summary: 'Добавить урок сверх расписания (дополнительный)',
        description:
          'Директор, заместитель или администратор школы. У педагога должна быть нагрузка по предмету в ' +
          'классе или подгруппе в этот день (lesson.no_assignment); место — по правилам переноса.',
        parameters: [idParameter('classId'), idempotencyKey],
        requestBody: jsonBody('AddExtraLesson'),
        responses: {
          '201': createdAnswer('Урок добавлен', 'Lesson', '/api/v1/lessons/{id}'),
          '404': problemResponse('Класс не найден'),
          '409': problemResponse('Нет нагрузки, класс закрыт или день прошёл'),
          '422': problemResponse('Место занято: педагог, кабинет или класс'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/lessons/{id}/substitute': {
      post: {
        operationId: 'assignSubstitute',
        summary: 'Назначить замену на урок',
        description:
          'Только директор или заместитель (не администратор школы). Замещающий — педагог школы, не ' +
          'учитель этого урока, свободен в это время; урок не отменён, сегодня или позже. Журнал урока ' +
          'ведёт замещающий.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('AssignSubstitute'),
        responses: {
          '200': jsonAnswer('Замена назначена', 'Lesson'),
          '404': problemResponse('Урок не найден'),
          '409': problemResponse('Урок уже изменили, отменён, прошёл или замещает тот же педагог'),
          '422': problemResponse('Замещающий занят в это время'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/lessons/{id}/revoke-substitute': {
      post: {
        operationId: 'revokeSubstitute',
        summary: 'Отменить замену на урок',
        description: 'Только директор или заместитель, с причиной.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('RevokeSubstitute'),
        responses: {
          '200': jsonAnswer('Замена отменена', 'Lesson'),
          '404': problemResponse('Урок не найден'),
          '409': problemResponse('Урок уже изменили или замены нет'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/substitutions': {
      get: {
        operationId: 'listSubstitutions',
        summary: 'Замены школы на даты (ежедневный список)',
        description:
          'Руководители — все; педагог школы — те, где он замещает или его замещают. Не больше 93 дней; по ' +
          'дате, номеру урока, классу.',
        parameters: [
          idParameter('schoolId'),
          dayQuery('from', true, 'Первый день, ГГГГ-ММ-ДД'),
          dayQuery('to', true, 'Последний день, ГГГГ-ММ-ДД'),
        ],
        responses: {
          '200': listAnswer('Уроки с заменой', 'Lesson'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/classes/{classId}/curriculum-fulfilment': {
      get: {
        operationId: 'getCurriculumFulfilment',
        summary: 'Выполнение учебного плана класса',
        description:
          'Руководители школы, классный руководитель, учитель класса. По периодам и предметам: часы плана, ' +
          'уроки по расписанию, проведённые (закончились по времени школы) и отменённые.',
        parameters: [
          idParameter('classId'),
          {
            ...periodParameter,
            in: 'query',
            required: false,
            description: 'Один учебный период; не передан — все',
          },
        ],
        responses: {
          '200': jsonAnswer('Выполнение плана', 'CurriculumFulfilment'),
          '404': problemResponse('Класс не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/school-events': {
      post: {
        operationId: 'createSchoolEvent',
        summary: 'Внести мероприятие в календарь школы',
        description:
          'Директор, заместитель или администратор школы. Дни — в пределах учебного года; классы — открытые ' +
          'классы года; участники — обучающиеся года или сотрудники школы; ответственный — сотрудник школы. ' +
          'Внесённое позже срока (2 недели для школы, 1 неделя для классов) принимается с предупреждением ' +
          'event.late_notice в warnings.',
        parameters: [idParameter('schoolId'), idempotencyKey],
        requestBody: jsonBody('CreateSchoolEvent'),
        responses: {
          '201': createdAnswer('Мероприятие внесено', 'SchoolEvent', '/api/v1/school-events/{id}'),
          '404': problemResponse('Школа или учебный год не найдены'),
          '422': problemResponse(
            'Год закрыт, дни вне года, класс не найден, ответственный не сотрудник, неизвестный участник',
          ),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'listSchoolEvents',
        summary: 'Мероприятия учебного года, которые читающий может видеть',
        description:
          'Руководители — все; сотрудники — общешкольные, своих классов и те, где они участники; обучающийся ' +
          'и родитель с действующим согласием — школы, класса ребёнка и с его участием. По первому дню, ' +
          'времени, названию.',
        parameters: [
          idParameter('schoolId'),
          academicYearQuery,
          dayQuery('from', false, 'Мероприятия, которые заканчиваются в этот день или позже'),
          dayQuery('to', false, 'Мероприятия, которые начинаются в этот день или раньше'),
          {
            name: 'classId',
            in: 'query',
            required: false,
            description: 'Только общешкольные и этого класса',
            schema: { type: 'string', minLength: 1, maxLength: 64 },
          },
          {
            name: 'studentId',
            in: 'query',
            required: false,
            description: 'Для родителя или обучающегося: только то, что касается этого ребёнка',
            schema: { type: 'string', minLength: 1, maxLength: 64 },
          },
        ],
        responses: {
          '200': listAnswer('Мероприятия', 'SchoolEvent'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/school-events/{id}': {
      get: {
        operationId: 'getSchoolEvent',
        summary: 'Мероприятие',
        description: 'Те же, кто видит его в списке; остальным — 404.',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Мероприятие', 'SchoolEvent'),
          '404': problemResponse('Мероприятие не найдено'),
          ...errors,
        },
      },
      put: {
        operationId: 'changeSchoolEvent',
        summary: 'Изменить мероприятие (карточка целиком, с версией)',
        description:
          'Директор, заместитель или администратор школы. Отменённое не меняется; результаты тех, кто ' +
          'больше не участник, удаляются. Новый первый день или охват проверяются на срок заново.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('ChangeSchoolEvent'),
        responses: {
          '200': jsonAnswer('Мероприятие', 'SchoolEvent'),
          '404': problemResponse('Мероприятие не найдено'),
          '409': problemResponse('Мероприятие уже изменили: версия устарела'),
          '422': problemResponse('Мероприятие отменено или карточка нарушает правила'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/school-events/{id}/cancel': {
      post: {
        operationId: 'cancelSchoolEvent',
        summary: 'Отменить мероприятие (остаётся отменённым, с причиной)',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('CancelSchoolEvent'),
        responses: {
          '200': jsonAnswer('Отменено', 'SchoolEvent'),
          '404': problemResponse('Мероприятие не найдено'),
          '409': problemResponse('Мероприятие уже изменили: версия устарела'),
          '422': problemResponse('Мероприятие уже отменено'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/school-events/{id}/results': {
      post: {
        operationId: 'recordSchoolEventResults',
        summary: 'Записать результаты мероприятия (целиком)',
        description:
          'Директор, заместитель или администратор школы, с первого дня мероприятия; результат — только ' +
          'участника, каждого один раз.',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('RecordSchoolEventResults'),
        responses: {
          '200': jsonAnswer('Результаты записаны', 'SchoolEvent'),
          '404': problemResponse('Мероприятие не найдено'),
          '409': problemResponse('Мероприятие уже изменили: версия устарела'),
          '422': problemResponse('Мероприятие отменено, ещё не началось или участник неизвестен'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/calendar-warnings': {
      get: {
        operationId: 'listCalendarWarnings',
        summary: 'Предупреждения о календаре учебного года (поздно объявленные переносы)',
        description: 'Руководители школы. По дате.',
        parameters: [idParameter('schoolId'), academicYearQuery],
        responses: {
          '200': listAnswer('Предупреждения', 'CalendarWarning'),
          '404': problemResponse('Школа не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/students/{studentId}/timetable/{period}': {
      get: {
        operationId: 'getStudentTimetable',
        summary: 'Неделя обучающегося в учебном периоде',
        description:
          'Сам обучающийся, родитель с действующим согласием, руководители школы, классный руководитель и ' +
          'учителя класса. Уроки всего класса и только подгрупп обучающегося. Родителю другого ребёнка или ' +
          'без согласия — 404; учителю другого класса — 403.',
        parameters: [idParameter('studentId'), periodParameter, academicYearQuery],
        responses: {
          '200': jsonAnswer('Неделя обучающегося', 'StudentTimetable'),
          '404': problemResponse('Обучающийся не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/subjects/{id}': {
      get: {
        operationId: 'getSubject',
        summary: 'Предмет',
        description:
          'Предмет перечня — всем, у кого есть роль в школе, и тем, кто выше школ; собственный предмет ' +
          'школы — только её сотрудникам (другим — 404).',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Предмет', 'Subject'),
          '404': problemResponse('Предмет не найден'),
          ...errors,
        },
      },
    },
    '/api/v1/schools/{schoolId}/teaching-assignments': {
      post: {
        operationId: 'assignTeacher',
        summary: 'Назначить нагрузку: педагог ведёт предмет в классе или подгруппе',
        description:
          'Директор, заместитель или администратор школы. Педагог работает в школе, класс или подгруппа ' +
          'открыты и относятся к учебному году, дни — внутри года. Предмет, который делится на подгруппы, ' +
          'назначается каждой подгруппе класса. Одна нагрузка педагога по предмету в классе не пересекается ' +
          'по дням с другой. Ошибки всех полей сообщаются сразу.',
        parameters: [idParameter('schoolId'), idempotencyKey],
        requestBody: jsonBody('AssignTeacher'),
        responses: {
          '201': createdAnswer(
            'Нагрузка назначена',
            'TeachingAssignment',
            '/api/v1/teaching-assignments/{id}',
          ),
          '404': problemResponse('Школа, учебный год, класс, подгруппа или предмет не найдены'),
          '409': problemResponse('У педагога уже есть нагрузка по этому предмету в классе на эти дни'),
          '422': problemResponse(
            'Год закрыт, дни вне года, класс закрыт или другого года, предмет делится на подгруппы, ' +
              'или педагог не работает в школе',
          ),
          ...bodyErrors(),
          ...errors,
        },
      },
      get: {
        operationId: 'listTeachingAssignments',
        summary: 'Нагрузка учебного года: по педагогу или по классу',
        description:
          'Руководители школы — любая; учитель — своя (teacherId — он сам) и нагрузка класса, который он ' +
          'ведёт или которым руководит (classId). По классам (параллель, название), предмету, подгруппе.',
        parameters: [
          {
            name: 'academicYearId',
            in: 'query',
            required: true,
            description: 'Учебный год',
            schema: { type: 'string', minLength: 1, maxLength: 64 },
          },
          {
            name: 'teacherId',
            in: 'query',
            required: false,
            description: 'Только этого педагога',
            schema: { type: 'string', minLength: 1, maxLength: 64 },
          },
          {
            name: 'classId',
            in: 'query',
            required: false,
            description: 'Только этого класса, с его подгруппами',
            schema: { type: 'string', minLength: 1, maxLength: 64 },
          },
          flagParameter('includeEnded', 'Вместе со снятой нагрузкой (по умолчанию только действующая)'),
        ],
        responses: {
          '200': listAnswer('Нагрузка', 'TeachingAssignment'),
          '404': problemResponse('Школа, учебный год или класс не найдены'),
          ...errors,
        },
      },
    },
    '/api/v1/teaching-assignments/{id}': {
      get: {
        operationId: 'getTeachingAssignment',
        summary: 'Нагрузка',
        description:
          'Руководители школы, сам педагог и учитель, который ведёт этот класс или руководит им. Другим ' +
          'ролям школы — 403, тем, у кого нет роли в школе, — 404.',
        parameters: [idParameter('id')],
        responses: {
          '200': jsonAnswer('Нагрузка', 'TeachingAssignment'),
          '404': problemResponse('Нагрузка не найдена'),
          ...errors,
        },
      },
    },
    '/api/v1/teaching-assignments/{id}/end': {
      post: {
        operationId: 'endTeachingAssignment',
        summary: 'Снять нагрузку с такого-то дня (остаётся со статусом ended и историей)',
        description:
          'Директор, заместитель или администратор школы. Педагог ведёт предмет по последний день ' +
          'включительно; после него учитель больше не видит список класса (если не ведёт его иначе).',
        parameters: [idParameter('id'), idempotencyKey],
        requestBody: jsonBody('EndTeachingAssignment'),
        responses: {
          '200': jsonAnswer('Нагрузка снята', 'TeachingAssignment'),
          '404': problemResponse('Нагрузка не найдена'),
          '409': problemResponse('Нагрузку уже изменили (версия устарела)'),
          '422': problemResponse('Нагрузка уже снята, год закрыт или день вне срока нагрузки'),
          ...bodyErrors(),
          ...errors,
        },
      },
    },
    ...gradebookPaths,
    ...diaryPaths,
    ...notificationsPaths,
    ...identityPaths,
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    schemas: {
      SchoolCard: schoolCard,
      SetBellSchedule: {
        type: 'object',
        additionalProperties: false,
        required: ['expectedVersion', 'lessons'],
        properties: {
          expectedVersion: {
            type: 'integer',
            minimum: 0,
            description: 'Версия, к которой относится изменение; 0 — звонков у смены ещё нет',
          },
          name: { type: 'string', maxLength: 100, description: 'Например, «Основное»' },
          lessons: {
            type: 'array',
            minItems: 1,
            maxItems: 20,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['number', 'startsAt', 'endsAt'],
              properties: {
                number: { type: 'integer', minimum: 1, maximum: 20, description: 'Номер урока' },
                startsAt: { ...hhmm, description: 'Начало, ЧЧ:ММ' },
                endsAt: { ...hhmm, description: 'Конец, ЧЧ:ММ' },
              },
            },
          },
        },
      },
      BellSchedule: {
        type: 'object',
        required: ['id', 'schoolId', 'shift', 'name', 'lessons', 'version'],
        properties: {
          id: { type: 'string' },
          schoolId: { type: 'string' },
          shift: { type: 'integer' },
          name: { type: 'string' },
          lessons: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                number: { type: 'integer' },
                startsAt: { type: 'string' },
                endsAt: { type: 'string' },
                minutes: { type: 'integer', description: 'Длительность урока, минут' },
                breakAfterMinutes: {
                  type: 'integer',
                  description: 'Перемена после урока, минут; 0 — последний',
                },
              },
            },
          },
          version: { type: 'integer' },
          updatedAt: { type: 'string', format: 'date-time' },
          updatedBy: { type: 'string' },
        },
      },
      ChangeSchool: {
        ...schoolCard,
        required: [...schoolCard.required, 'expectedVersion'],
        properties: {
          ...schoolCard.properties,
          expectedVersion: {
            type: 'integer',
            minimum: 1,
            description: 'Версия, к которой относится изменение',
          },
        },
      },
      School: school,
      DateRange: dateRange,
      AcademicYearPlan: academicYearPlan,
      AcademicYear: academicYear,
      CalendarChange: calendarChange,
      SchoolClass: schoolClass,
      OpenClass: openClass,
      ChangeClass: changeClass,
      PersonForm: personForm,
      Person: person,
      PersonSummary: personSummary,
      EnrolStudent: enrolStudent,
      MoveStudent: moveStudent,
      Enrolment: enrolment,
      ClassStudent: classStudent,
      CloseAcademicYear: {
        type: 'object',
        additionalProperties: false,
        required: ['expectedVersion', 'order'],
        properties: {
          expectedVersion: { type: 'integer', minimum: 1, description: 'Версия года, которую вы видели' },
          order: orderRef,
        },
      },
      Rollover: {
        type: 'object',
        additionalProperties: false,
        required: ['order'],
        properties: {
          order: orderRef,
          dryRun: { type: 'boolean', description: 'Только показать, ничего не записывать' },
          graduatingGrades: {
            type: 'array',
            items: { type: 'integer', minimum: 1, maximum: 11 },
            description: 'Выпускные параллели; по умолчанию [11]',
          },
          keepSubgroupIds: {
            type: 'array',
            items: { type: 'string' },
            description: 'Подгруппы, которые сохранить',
          },
          keepSubgroupsOfClassIds: {
            type: 'array',
            items: { type: 'string' },
            description: 'Классы, все подгруппы которых сохранить',
          },
        },
      },
      OrderEntry: {
        type: 'object',
        required: ['order', 'acts'],
        description: 'Приказ и всё, что сделано по нему',
        properties: {
          order: orderRef,
          acts: {
            type: 'array',
            items: {
              type: 'object',
              required: ['kind', 'personIds', 'classIds', 'summary'],
              properties: {
                kind: {
                  type: 'string',
                  enum: [
                    'enrolled',
                    'transferred',
                    'withdrawn',
                    'promoted',
                    'graduated',
                    'subgroup_members_changed',
                    'calendar_changed',
                    'year_closed',
                    'year_rolled_over',
                    'staff_hired',
                    'staff_changed',
                    'staff_dismissed',
                  ],
                },
                personIds: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'Обучающиеся или сотрудники',
                },
                classIds: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'Классы (для подгрупп — подгруппы)',
                },
                summary: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'Для календаря: что изменено',
                },
              },
            },
          },
        },
      },
      SchoolCounts: {
        type: 'object',
        required: ['schoolId', 'academicYearId', 'grades', 'classes', 'students', 'staff'],
        description: 'Численность без персональных данных',
        properties: {
          schoolId: { type: 'string' },
          academicYearId: { type: 'string' },
          grades: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                grade: { type: 'integer' },
                classes: { type: 'integer' },
                students: { type: 'integer' },
              },
            },
          },
          classes: { type: 'integer', description: 'Открытых классов' },
          students: { type: 'integer', description: 'Обучающихся в них' },
          staff: { type: 'integer', description: 'Сотрудников с действующей должностью' },
        },
      },
      RolloverSummary: {
        type: 'object',
        properties: {
          dryRun: { type: 'boolean' },
          fromAcademicYearId: { type: 'string' },
          fromName: { type: 'string' },
          toAcademicYearId: { type: 'string' },
          toName: { type: 'string' },
          toDays: {
            type: 'object',
            properties: { startsOn: { type: 'string' }, endsOn: { type: 'string' } },
          },
          graduatingGrades: { type: 'array', items: { type: 'integer' } },
          classes: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                fromClassId: { type: 'string' },
                fromName: { type: 'string' },
                outcome: { type: 'string', enum: ['promoted', 'graduated', 'not_moved'] },
                toClassId: { type: 'string' },
                toName: { type: 'string' },
                students: { type: 'integer' },
                subgroupsKept: { type: 'integer' },
                classTeacherId: { type: 'string' },
              },
            },
          },
          classesPromoted: { type: 'integer' },
          studentsPromoted: { type: 'integer' },
          studentsGraduated: { type: 'integer' },
          subgroupsKept: { type: 'integer' },
          studentsNotMoved: { type: 'integer' },
          order: orderRef,
          completedAt: { type: 'string', description: 'Когда переход завершён; пусто для dryRun' },
        },
      },
      RosterImport: {
        type: 'object',
        additionalProperties: false,
        required: ['csv', 'order'],
        properties: {
          csv: { type: 'string', minLength: 1, description: 'Содержимое файла CSV (UTF-8), как в шаблоне' },
          dryRun: { type: 'boolean', description: 'Только проверить, ничего не записывать' },
          order: orderRef,
        },
      },
      LinkGuardian: linkGuardian,
      RecordConsent: recordConsent,
      RevokeConsent: revokeConsent,
      UnlinkGuardian: unlinkGuardian,
      Guardianship: guardianship,
      PersonName: namesOnly,
      StudentGuardian: {
        type: 'object',
        required: ['guardianship', 'guardian'],
        properties: {
          guardianship: { $ref: '#/components/schemas/Guardianship' },
          guardian: { $ref: '#/components/schemas/PersonName' },
        },
      },
      GuardianChild: {
        type: 'object',
        required: ['guardianship', 'student'],
        properties: {
          guardianship: { $ref: '#/components/schemas/Guardianship' },
          student: { $ref: '#/components/schemas/PersonName' },
        },
      },
      HireStaff: hireStaff,
      ChangePosition: changePosition,
      DismissStaff: dismissStaff,
      StaffPosition: staffPosition,
      StaffMember: staffMember,
      FormSubgroup: formSubgroup,
      ChangeSubgroup: changeSubgroup,
      ChangeSubgroupMembers: changeSubgroupMembers,
      Subgroup: subgroup,
      CreateSubject: createSubject,
      Subject: subject,
      AssignTeacher: assignTeacher,
      EndTeachingAssignment: endTeachingAssignment,
      TeachingAssignment: teachingAssignment,
      SetCurriculum: setCurriculum,
      Curriculum: curriculum,
      SetClassTimetable: setClassTimetable,
      TimetableEntry: timetableEntry,
      TimetablePublication: timetablePublication,
      ClassTimetable: classTimetable,
      ClassTimetableWithPublication: {
        ...classTimetable,
        required: [...classTimetable.required, 'publication'],
        properties: {
          ...classTimetableProperties,
          publication: { $ref: '#/components/schemas/TimetablePublication' },
        },
      },
      SchoolTimetable: {
        type: 'object',
        required: ['items', 'publication'],
        properties: {
          items: { type: 'array', items: { $ref: '#/components/schemas/ClassTimetable' } },
          publication: { $ref: '#/components/schemas/TimetablePublication' },
        },
      },
      PublishTimetable: {
        type: 'object',
        additionalProperties: false,
        required: ['academicYearId'],
        properties: { academicYearId: personId('Учебный год школы, открытый') },
      },
      TimetablePublished: {
        type: 'object',
        required: ['publication', 'classes', 'entries'],
        properties: {
          publication: { $ref: '#/components/schemas/TimetablePublication' },
          classes: { type: 'integer', description: 'Сколько недель классов опубликовано' },
          entries: { type: 'integer', description: 'Сколько в них уроков' },
          lessons: {
            type: 'object',
            description:
              'Датированные уроки периода, созданные по расписанию: scheduled, rescheduled, cancelled, ' +
              'kept (уроки с записями журнала, о которых нужно решить), keptCount, total',
          },
        },
      },
      TeacherTimetable: {
        type: 'object',
        required: ['teacherId', 'teacherName', 'entries'],
        properties: {
          teacherId: { type: 'string' },
          teacherName: { type: 'string', description: 'ФИО; пусто, пока расписание его не получило' },
          entries: { type: 'array', items: { $ref: '#/components/schemas/TimetableEntry' } },
        },
      },
      MoveLesson: moveLesson,
      CancelLesson: cancelLesson,
      AddExtraLesson: addExtraLesson,
      AssignSubstitute: assignSubstitute,
      RevokeSubstitute: versioned({ reason: changeReason('Причина отмены замены') }, ['reason']),
      Lesson: lesson,
      CurriculumFulfilment: curriculumFulfilment,
      CreateSchoolEvent: createSchoolEvent,
      ChangeSchoolEvent: changeSchoolEvent,
      CancelSchoolEvent: cancelSchoolEvent,
      RecordSchoolEventResults: recordSchoolEventResults,
      SchoolEvent: schoolEvent,
      CalendarWarning: calendarWarning,
      StudentTimetable: {
        type: 'object',
        description: 'Неделя класса обучающегося: уроки всего класса и его подгрупп',
        required: ['studentId', 'classId', 'className', 'timetable', 'publication'],
        properties: {
          studentId: { type: 'string' },
          classId: { type: 'string', description: 'Класс, в котором обучающийся сейчас' },
          className: { type: 'string' },
          timetable: { $ref: '#/components/schemas/ClassTimetable' },
          publication: { $ref: '#/components/schemas/TimetablePublication' },
        },
      },
      ...gradebookSchemas,
      ...diarySchemas,
      ...notificationsSchemas,
      ...identitySchemas,
      Problem: problem,
    },
  },
} as const;
