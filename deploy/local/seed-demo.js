// Seeds the demo region through the public API, the way a user would: a token from Keycloak
// for the dev operator, then the demo schools (idempotent: a re-run finds them in place), and
// shows the slice working: how long until reports (another process) has each school. Then it
// provisions the dev users in identity (their person links and school roles as explicit grants,
// development only), opens academic year 2026/2027 in each school as the school admin and
// fills each school through the roster API: one CSV import (22 classes of grades 1–11, their
// class teachers, 550 students, their guardians — some with two children), the leaders and
// subject teachers hired by order, English groups and PE groups, consents of the demo guardian.
// Then the schedule of each school through the schedule API: the bells of the first shift, two
// subjects of the school's own, a curriculum per class (the federal plan's weekly hours), the
// teaching assignments, a conflict-free week per class and study period (a deterministic greedy
// placement), published period by period.
// The ESIA family of the emulator's fixtures is registered in the first school (the parent logs
// in through «Госуслуги» and identity links her children from ESIA).
// Then the journal of dev-teacher (the class teacher of 5А in the first school): the first school's
// grading policy lets marks be entered 14 days after a lesson (set by dev-school-admin, who is
// given the deputy role there for it besides school admin of both schools), and each lesson
// dev-teacher kept in the last 14 days gets a topic, homework, marks and attendance (drawn per
// lesson, deterministically) once gradebook has heard of it from schedule.
// Every step finds what an earlier run made and leaves it: running it again changes nothing.
// Usage: node deploy/local/seed-demo.js (after `npm start` brought the platform up).
'use strict';
const mongoose = require('mongoose');
const { academicYearPlanFixture, schoolRosterCsv } = require('@edu/testing');

const gateway = process.env.EDU_GATEWAY_URL ?? 'http://127.0.0.1:8080';
const keycloak = process.env.EDU_KEYCLOAK_URL ?? 'http://127.0.0.1:8180';
const mongoUrl = process.env.EDU_MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const reportsDb = process.env.EDU_REPORTS_DB ?? 'edu_reports';

// Real-looking cards with valid check digits (INN 10 digits, OGRN 13).
const DEMO_SCHOOLS = [
  {
    fullName: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»',
    shortName: 'МБОУ СШ № 1',
    inn: '2460000010',
    ogrn: '1022402000015',
    address: '660049, г. Красноярск, ул. Ленина, д. 1',
    timeZone: 'Asia/Krasnoyarsk',
    licence: {
      number: 'Л035-01212-24/00000001',
      issuedOn: '2016-03-01',
      issuedBy: 'Министерство образования Красноярского края',
    },
    accreditation: { number: 'А007-01212-24/00000001', issuedOn: '2016-05-01', validUntil: '' },
    municipalityId: 'krasnoyarsk',
  },
  {
    fullName: 'Муниципальное автономное общеобразовательное учреждение «Гимназия № 2»',
    shortName: 'МАОУ Гимназия № 2',
    inn: '2460000028',
    ogrn: '1022402000026',
    address: '660049, г. Красноярск, пр. Мира, д. 2',
    timeZone: 'Asia/Krasnoyarsk',
    licence: {
      number: 'Л035-01212-24/00000002',
      issuedOn: '2015-09-01',
      issuedBy: 'Министерство образования Красноярского края',
    },
    accreditation: { number: 'А007-01212-24/00000002', issuedOn: '2015-12-01', validUntil: '' },
    municipalityId: 'krasnoyarsk',
  },
];

// Quarters for 1–9, half-years for 10–11, the usual holidays (the regional calendar of 2026/2027).
const DEMO_YEAR = academicYearPlanFixture();
const ENROLMENT_ORDER = { number: '45-у', date: '2026-08-28', title: 'О зачислении обучающихся' };
const STAFF_ORDER = { number: '12-к', date: '2026-08-25', title: 'О приёме на работу' };
const STUDENTS_PER_SCHOOL = 550; // 25 per class

// Besides the 22 class teachers of the generated file: the school's leaders and the teachers of
// the split subjects. Lines in the import's format (see GET /api/v1/imports/template.csv).
const LEADERS_AND_SUBJECT_TEACHERS = [
  { key: 'd1', line: 'Орлова;Татьяна;Викторовна;12.02.1968;ж', kind: 'director', title: 'Директор' },
  {
    key: 'z1',
    line: 'Белова;Ирина;Сергеевна;03.11.1975;ж',
    kind: 'deputy',
    title: 'Заместитель директора по УВР',
  },
  {
    key: 'e1',
    line: 'Смирнова;Елена;Викторовна;21.05.1986;ж',
    kind: 'teacher',
    title: 'Учитель английского языка',
    subject: 'english',
  },
  {
    key: 'e2',
    line: 'Кириллова;Ольга;Петровна;09.09.1990;ж',
    kind: 'teacher',
    title: 'Учитель английского языка',
    subject: 'english',
  },
  {
    key: 'f1',
    line: 'Кузнецов;Андрей;Павлович;17.04.1982;м',
    kind: 'teacher',
    title: 'Учитель физической культуры',
    subject: 'pe',
  },
  {
    key: 'f2',
    line: 'Громова;Светлана;Игоревна;30.01.1988;ж',
    kind: 'teacher',
    title: 'Учитель физической культуры',
    subject: 'pe',
  },
];

// The subject teachers a school of 22 classes has besides the class teachers, the English and PE
// teachers above (whose class teachers of grades 5–11 teach a subject too, see
// CLASS_TEACHER_DEPARTMENTS): about 40 teachers in all, 17–22 lessons a week each. Hired by
// order like the others; `department` is what they teach (DEPARTMENTS). One list per school.
const SUBJECT_TEACHERS = [
  [
    ['r1', 'Голубева;Людмила;Николаевна;14.03.1972;ж', 'russian', 'Учитель русского языка и литературы'],
    ['m1', 'Тихонов;Виктор;Геннадьевич;02.10.1969;м', 'mathematics', 'Учитель математики'],
    ['h1', 'Беляева;Юлия;Олеговна;27.07.1985;ж', 'history', 'Учитель истории и обществознания'],
    ['e3', 'Фролова;Ксения;Игоревна;11.12.1991;ж', 'english', 'Учитель английского языка'],
    ['e4', 'Захарова;Дарья;Романовна;05.06.1994;ж', 'english', 'Учитель английского языка'],
    ['e5', 'Макарова;Алла;Викторовна;19.09.1979;ж', 'english', 'Учитель английского языка'],
    ['e6', 'Виноградова;Марина;Львовна;23.01.1983;ж', 'english', 'Учитель английского языка'],
    ['f3', 'Широков;Денис;Владимирович;08.08.1990;м', 'pe', 'Учитель физической культуры'],
    ['i1', 'Калинин;Роман;Евгеньевич;30.04.1993;м', 'informatics', 'Учитель информатики'],
    ['u1', 'Полякова;Вера;Анатольевна;16.02.1976;ж', 'music', 'Учитель музыки'],
    ['a1', 'Медведева;Галина;Борисовна;04.11.1970;ж', 'arts', 'Учитель изобразительного искусства и труда'],
    ['o1', 'Гусев;Олег;Степанович;21.03.1966;м', 'obzr', 'Преподаватель-организатор ОБЗР'],
  ],
  [
    ['r1', 'Щербакова;Нина;Павловна;09.05.1971;ж', 'russian', 'Учитель русского языка и литературы'],
    ['m1', 'Комаров;Игорь;Валентинович;12.12.1974;м', 'mathematics', 'Учитель математики'],
    ['h1', 'Орехова;Светлана;Юрьевна;03.03.1982;ж', 'history', 'Учитель истории и обществознания'],
    ['e3', 'Лаптева;Инна;Олеговна;17.08.1989;ж', 'english', 'Учитель английского языка'],
    ['e4', 'Рябова;Евгения;Максимовна;29.04.1995;ж', 'english', 'Учитель английского языка'],
    ['e5', 'Белкина;Тамара;Ильинична;07.07.1977;ж', 'english', 'Учитель английского языка'],
    ['e6', 'Абрамова;Лилия;Рашидовна;15.10.1986;ж', 'english', 'Учитель английского языка'],
    ['f3', 'Ершов;Константин;Викторович;22.02.1987;м', 'pe', 'Учитель физической культуры'],
    ['i1', 'Сафонова;Ольга;Вадимовна;01.09.1990;ж', 'informatics', 'Учитель информатики'],
    ['u1', 'Лазарева;Ирина;Эдуардовна;26.06.1973;ж', 'music', 'Учитель музыки'],
    ['a1', 'Никитин;Павел;Аркадьевич;18.01.1968;м', 'arts', 'Учитель изобразительного искусства и труда'],
    ['o1', 'Карпов;Михаил;Фёдорович;10.10.1963;м', 'obzr', 'Преподаватель-организатор ОБЗР'],
  ],
].map((teachers) =>
  teachers.map(([key, line, department, title]) => ({ key, line, kind: 'teacher', title, department })),
);

// What the class teachers of 5А, 5Б, 6А … 11Б teach (in their own class and others), in class order.
const CLASS_TEACHER_DEPARTMENTS = [
  'russian',
  'mathematics',
  'history',
  'russian',
  'mathematics',
  'biology',
  'russian',
  'geography',
  'mathematics',
  'russian',
  'physics',
  'history',
  'mathematics',
  'chemistry',
];

// Subjects by department (методическое объединение): one teacher teaches all of a department's
// subjects in a class (algebra, geometry and statistics of 8А are one mathematics teacher's).
// In grades 1–4 the class teacher teaches everything but English, music and PE.
const DEPARTMENTS = {
  russian: ['russian', 'literature', 'functional_literacy'],
  mathematics: [
    'mathematics',
    'algebra',
    'algebra_analysis',
    'geometry',
    'probability_statistics',
    'math_practice',
  ],
  history: ['history', 'social_studies', 'odnknr', 'individual_project'],
  english: ['english'],
  pe: ['pe'],
  informatics: ['informatics'],
  physics: ['physics'],
  chemistry: ['chemistry'],
  biology: ['biology'],
  geography: ['geography'],
  music: ['music'],
  arts: ['fine_arts', 'technology'],
  obzr: ['obzr'],
};
const PRIMARY_SPECIALISTS = new Set(['english', 'music', 'pe']);

// Each teacher's room; the class teachers of grades 1–4 have their class's room (101–108).
const DEPARTMENT_ROOMS = {
  russian: ['201', '202', '203', '204', '205'],
  history: ['206', '207', '208'],
  geography: ['209'],
  biology: ['210'],
  chemistry: ['211'],
  mathematics: ['301', '302', '303', '304', '305'],
  physics: ['306'],
  informatics: ['307'],
  english: ['308', '309', '310', '311', '312', '313'],
  music: ['112'],
  arts: ['114'],
  obzr: ['115'],
  pe: ['Большой спортзал', 'Малый спортзал', 'Тренажёрный зал'],
};

// The school's own subjects: the part of the plan formed by the participants of educational relations.
const SCHOOL_SUBJECTS = [
  {
    key: 'functional_literacy',
    name: 'Функциональная грамотность',
    shortName: 'Функц. грамотность',
    educationArea: 'other',
  },
  {
    key: 'math_practice',
    name: 'Практикум по решению математических задач',
    shortName: 'Практикум по математике',
    educationArea: 'mathematics_and_informatics',
  },
];

// Weekly hours by grade: the federal curricula (ФОП НОО, ООО, СОО of 2023, five-day week; the
// universal profile with mathematics at the advanced level in 10–11), the optional lines in the
// part formed by the participants. Totals: 21, 23, 23, 23, 29, 30, 30, 32, 33, 34, 33 — within
// SanPiN's weekly maximum of each grade.
const optional = (key, hours) => [key, hours, 'optional'];
const PRIMARY = (grade) => [
  ['russian', 5],
  ['literary_reading', grade === 4 ? 3 : 4],
  ...(grade >= 2 ? [['english', 2]] : []),
  ['mathematics', 4],
  ['world_around', 2],
  ...(grade === 4 ? [['orkse', 1]] : []),
  ['fine_arts', 1],
  ['music', 1],
  ['technology', 1],
  ['pe', 2],
  optional('functional_literacy', 1),
];
const SENIOR = (grade) => [
  ['russian', 2],
  ['literature', 3],
  ['english', 3],
  ['algebra_analysis', 4],
  ['geometry', 3],
  ['probability_statistics', 1],
  ['informatics', 2],
  ['history', 2],
  ['social_studies', 2],
  ['geography', 1],
  ['physics', 3],
  ['chemistry', 1],
  ['biology', 1],
  ['pe', 2],
  ['obzr', 1],
  ...(grade === 10 ? [['individual_project', 1]] : []),
  optional('math_practice', 1),
  optional('functional_literacy', 1),
];
const CURRICULUM_BY_GRADE = {
  1: PRIMARY(1),
  2: PRIMARY(2),
  3: PRIMARY(3),
  4: PRIMARY(4),
  5: [
    ['russian', 5],
    ['literature', 3],
    ['english', 3],
    ['mathematics', 5],
    ['history', 2],
    ['geography', 1],
    ['biology', 1],
    ['odnknr', 1],
    ['music', 1],
    ['fine_arts', 1],
    ['technology', 2],
    ['pe', 2],
    optional('informatics', 1),
    optional('functional_literacy', 1),
  ],
  6: [
    ['russian', 6],
    ['literature', 3],
    ['english', 3],
    ['mathematics', 5],
    ['history', 2],
    ['social_studies', 1],
    ['geography', 1],
    ['biology', 1],
    ['odnknr', 1],
    ['music', 1],
    ['fine_arts', 1],
    ['technology', 2],
    ['pe', 2],
    optional('informatics', 1),
  ],
  7: [
    ['russian', 4],
    ['literature', 2],
    ['english', 3],
    ['algebra', 3],
    ['geometry', 2],
    ['probability_statistics', 1],
    ['informatics', 1],
    ['history', 2],
    ['social_studies', 1],
    ['geography', 2],
    ['physics', 2],
    ['biology', 1],
    ['music', 1],
    ['fine_arts', 1],
    ['technology', 1],
    ['pe', 2],
    optional('functional_literacy', 1),
  ],
  8: [
    ['russian', 3],
    ['literature', 2],
    ['english', 3],
    ['algebra', 3],
    ['geometry', 2],
    ['probability_statistics', 1],
    ['informatics', 1],
    ['history', 2],
    ['social_studies', 1],
    ['geography', 2],
    ['physics', 2],
    ['chemistry', 2],
    ['biology', 2],
    ['music', 1],
    ['technology', 1],
    ['obzr', 1],
    ['pe', 2],
    optional('functional_literacy', 1),
  ],
  9: [
    ['russian', 3],
    ['literature', 3],
    ['english', 3],
    ['algebra', 3],
    ['geometry', 2],
    ['probability_statistics', 1],
    ['informatics', 1],
    ['history', 3],
    ['social_studies', 1],
    ['geography', 2],
    ['physics', 3],
    ['chemistry', 2],
    ['biology', 2],
    ['technology', 1],
    ['obzr', 1],
    ['pe', 2],
  ],
  10: SENIOR(10),
  11: SENIOR(11),
};

// The first shift: 45-minute lessons from 08:00, breaks of 10 minutes and two of 20 (meals).
const BELLS = {
  name: 'Основное',
  lessons: [
    ['08:00', '08:45'],
    ['08:55', '09:40'],
    ['10:00', '10:45'],
    ['11:05', '11:50'],
    ['12:00', '12:45'],
    ['12:55', '13:40'],
    ['13:50', '14:35'],
  ].map(([startsAt, endsAt], i) => ({ number: i + 1, startsAt, endsAt })),
};
// Lessons a day at most (SanPiN 1.2.3685-21): 4 in the 1st grade (5 once a week), 5 in 2–4, 6 in
// 5–6, 7 in 7–11.
const MAX_LESSONS_A_DAY = { 1: 5, 2: 5, 3: 5, 4: 5, 5: 6, 6: 6, 7: 7, 8: 7, 9: 7, 10: 7, 11: 7 };
const WEEKDAYS = [1, 2, 3, 4, 5];

// dev-teacher's journal of the last two weeks (the first school's entry window is 14 days, so
// all of it may still be filled): topics and homework by subject key, one taken per lesson by a
// pseudo-random draw seeded with the lesson's id; generic ones for a subject without a list.
const JOURNAL_DAYS = 14;
const JOURNAL_TOPICS = {
  russian: [
    'Звуки речи. Гласные и согласные звуки',
    'Орфограмма. Место орфограмм в словах',
    'Правописание проверяемых безударных гласных в корне слова',
    'Правописание непроизносимых согласных в корне слова',
    'Буквы о — ё после шипящих в корне слова',
    'Разделительные ъ и ь',
    'Морфемика. Корень, приставка, суффикс, окончание',
    'Чередование звуков в корнях слов',
    'Правописание приставок на з — с',
    'Имя существительное как часть речи',
    'Склонение имён существительных',
    'Словосочетание. Главное и зависимое слово',
  ],
  literature: [
    'Мифы и мифология. «Подвиги Геракла»',
    'Фольклор. Русские народные сказки',
    'И. А. Крылов. Басни «Волк на псарне», «Свинья под дубом»',
    'А. С. Пушкин. «Сказка о мёртвой царевне и о семи богатырях»',
    'М. Ю. Лермонтов. «Бородино»: историческая основа стихотворения',
    'Н. В. Гоголь. «Ночь перед Рождеством»',
    'И. С. Тургенев. «Муму»: образ Герасима',
    'Н. А. Некрасов. «Крестьянские дети»',
    'Л. Н. Толстой. «Кавказский пленник»: Жилин и Костылин',
    'Развитие речи. Подготовка к сочинению по прочитанному',
  ],
  functional_literacy: [
    'Читательская грамотность: поиск информации в тексте',
    'Математическая грамотность: расчёты в повседневной жизни',
    'Финансовая грамотность: семейный бюджет',
    'Естественно-научная грамотность: наблюдение и опыт',
    'Работа с таблицами и диаграммами',
    'Креативное мышление: нестандартные задачи',
  ],
};
const GENERIC_TOPICS = [
  'Изучение нового материала',
  'Закрепление изученного',
  'Повторение изученного',
  'Обобщение и систематизация знаний',
  'Решение задач по теме',
];
const JOURNAL_HOMEWORK = {
  russian: [
    'Упр. 112, выучить правило на с. 48',
    'Упр. 118 (письменно)',
    'Упр. 125, выучить словарные слова',
    '§ 24, упр. 131',
    'Составить и записать 5 предложений с изученными орфограммами',
  ],
  literature: [
    'Прочитать с. 56–64, ответить на вопросы 1–4',
    'Выучить отрывок наизусть',
    'Подготовить пересказ близко к тексту',
    'Письменный ответ на вопрос 3 на с. 80',
    'Прочитать следующую главу, составить план',
  ],
  functional_literacy: ['Решить задания 1–3 рабочего листа', 'Найти пример по теме урока в жизни семьи'],
};
const GENERIC_HOMEWORK = [
  'Повторить материал урока',
  'Выполнить задания в рабочей тетради',
  'Подготовить сообщение по теме урока',
];
// Marks as a class of fives, fours and threes has them, an occasional two.
const MARK_VALUES = [
  ['5', 35],
  ['4', 40],
  ['3', 20],
  ['2', 5],
];

// Access tokens live 5 minutes and the seed runs longer: a token the gateway refuses is renewed
// with its user's password once, and every later call with the old one uses the new one.
const logins = new Map(); // token → { username, password, renewedAs? }
const latest = (accessToken) =>
  logins.get(accessToken)?.renewedAs ? latest(logins.get(accessToken).renewedAs) : accessToken;

async function token(username, password) {
  const response = await fetch(`${keycloak}/realms/edu/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'edu-gateway',
      client_secret: 'dev-only-edu-gateway-secret',
      username,
      password,
    }),
  });
  if (!response.ok) throw new Error(`Keycloak refused ${username}: ${response.status}`);
  const accessToken = (await response.json()).access_token;
  logins.set(accessToken, { username, password });
  return accessToken;
}

/**
 * One call to the gateway. A busy store (the relay publishing a freshly imported school) may time
 * a call out: reads and keyed commands are safe to repeat, so those are tried again a few times.
 * The gateway's rate limit (429) refuses before anything is done: any call waits and goes again.
 */
async function api(method, path, accessToken, body, idempotencyKey) {
  for (let attempt = 1; ; attempt++) {
    const limited = await fetchOnce(method, path, accessToken, body, idempotencyKey);
    if (limited.status !== 429) return limited;
    await new Promise((resolve) => setTimeout(resolve, 1000 * Number(limited.retryAfter || 1)));
  }
}

async function fetchOnce(method, path, accessToken, body, idempotencyKey) {
  const started = Date.now();
  let unanswered = 0; // 503 and 504 answers (the refusals as in progress between them do not count)
  for (let attempt = 1; ; attempt++) {
    const current = latest(accessToken);
    const response = await fetch(`${gateway}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${current}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = {
      status: response.status,
      body: await response.json(),
      retryAfter: response.headers.get('retry-after'),
    };
    const login = logins.get(current);
    if (answer.status === 401 && login && !login.renewedAs) {
      login.renewedAs = await token(login.username, login.password);
      continue;
    }
    const repeatable = method === 'GET' || idempotencyKey !== undefined;
    // A keyed command that timed out may still be running (a publication re-checks the whole
    // school and generates its lessons): its repeat is refused as in progress until it has
    // finished, then answered; that is waited for up to 10 minutes.
    const running = answer.body?.code === 'idempotency.in_progress' && Date.now() - started < 600_000;
    const unavailable = [503, 504].includes(answer.status) && ++unanswered < 8;
    if (!(repeatable && (running || unavailable))) return answer;
    await new Promise((resolve) => setTimeout(resolve, Math.min(2000 * attempt, 10_000)));
  }
}

/** A dev user's Keycloak id (its account id in identity), through Keycloak's admin API (development credentials). */
async function devUserId(username) {
  const admin = await fetch(`${keycloak}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: process.env.EDU_KEYCLOAK_ADMIN ?? 'admin',
      password: process.env.EDU_KEYCLOAK_ADMIN_PASSWORD ?? 'dev-admin-password',
    }),
  });
  if (!admin.ok) throw new Error(`Keycloak refused the admin: ${admin.status}`);
  const headers = { authorization: `Bearer ${(await admin.json()).access_token}` };
  const users = `${keycloak}/admin/realms/edu/users`;
  const [user] = await (await fetch(`${users}?username=${username}&exact=true`, { headers })).json();
  if (!user) throw new Error(`no Keycloak user ${username}`);
  return user.id;
}

/**
 * Provisions a dev user in identity as the dev operator (a region operator) would: links the
 * account to a roster person and gives school roles as explicit grants. Repeats find them there.
 */
async function provisionDevUser(username, { personId, schoolRoles }, operatorToken) {
  const accountId = await devUserId(username);
  const reason = 'Демонстрационная учётная запись (только для разработки)';
  if (personId) {
    expect(
      `linking ${username}`,
      await api('POST', `/api/v1/accounts/${accountId}/link`, operatorToken, { personId, reason }),
      200,
      409,
    );
  }
  const given = expect(
    `grants of ${username}`,
    await api('GET', `/api/v1/accounts/${accountId}/grants`, operatorToken),
    200,
  ).grants;
  for (const { schoolId, role } of schoolRoles) {
    if (given.some((g) => g.role === role && g.scopeId === schoolId && g.status === 'active')) continue;
    expect(
      `giving ${username} ${role}`,
      await api('POST', `/api/v1/accounts/${accountId}/grants`, operatorToken, {
        role,
        scopeId: schoolId,
        reason,
      }),
      201,
    );
  }
}

// The family of the ESIA emulator's fixtures (deploy/local/esia-emulator/fixtures.json): the
// trusted parent and her two children (one with СНИЛС, one with a birth certificate only), and a
// child whose СНИЛС roster does not have (matched by name and birth date only: a candidate).
const ESIA_FAMILY = [
  {
    key: 'parent',
    card: {
      kind: 'guardian',
      lastName: 'Иванова',
      firstName: 'Мария',
      middleName: 'Петровна',
      birthDate: '1985-03-12',
      sex: 'female',
      snils: '112-233-445 95',
    },
  },
  {
    key: 'pyotr',
    grade: 7,
    card: {
      kind: 'student',
      lastName: 'Иванов',
      firstName: 'Пётр',
      middleName: 'Сергеевич',
      birthDate: '2013-02-01',
      sex: 'male',
      snils: '123-456-789 64',
      birthCertificate: { series: 'II-МЮ', number: '654321' },
    },
  },
  {
    key: 'anna',
    grade: 4,
    card: {
      kind: 'student',
      lastName: 'Иванова',
      firstName: 'Анна',
      middleName: 'Сергеевна',
      birthDate: '2016-06-15',
      sex: 'female',
      birthCertificate: { series: 'III-МЮ', number: '123456' },
    },
  },
  {
    key: 'ivan',
    grade: 6,
    card: {
      kind: 'student',
      lastName: 'Петров',
      firstName: 'Иван',
      middleName: 'Андреевич',
      birthDate: '2014-09-03',
      sex: 'male',
    },
  },
];

/**
 * Registers the ESIA family in the first school and enrols the children. No guardianship: the
 * parent's first login through ESIA proposes it from ESIA's list of her children.
 */
async function seedEsiaFamily(school, accessToken) {
  const classes = expect(
    'listing classes',
    await api('GET', `/api/v1/academic-years/${school.yearId}/classes`, accessToken),
    200,
  ).items;
  for (const { key, grade, card } of ESIA_FAMILY) {
    const registered = await api(
      'POST',
      `/api/v1/schools/${school.schoolId}/people`,
      accessToken,
      card,
      `demo-esia-${key}`,
    );
    expect(`registering ${key}`, registered, 201, 409);
    if (!grade || registered.status !== 201) continue;
    const klass = classes.find((c) => c.grade === grade && c.letter === 'А');
    expect(
      `enrolling ${key}`,
      await api(
        'POST',
        `/api/v1/classes/${klass.id}/students`,
        accessToken,
        { studentId: registered.body.id, effectiveOn: '2026-09-01', order: ENROLMENT_ORDER },
        `demo-esia-enrol-${key}`,
      ),
      201,
      409,
    );
  }
}

/** The answer's body when the status is one of `expected`, else an error naming what failed. */
function expect(what, answer, ...expected) {
  if (!expected.includes(answer.status)) {
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/** Every page of a paged list. */
async function allPages(path, accessToken) {
  const items = [];
  let pageToken = '';
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = expect(
      `GET ${path}`,
      await api(
        'GET',
        `${path}${separator}pageSize=200&pageToken=${encodeURIComponent(pageToken)}`,
        accessToken,
      ),
      200,
    );
    items.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return items;
}

const fullName = (p) => `${p.lastName} ${p.firstName} ${p.middleName}`.trim();

/**
 * Fills one school's year: the roster file, the posts, the subgroups. Returns the people the dev
 * users become: the class teacher of 5А, a guardian with two children.
 */
async function fillSchool(schoolId, yearId, seed, accessToken) {
  const generated = schoolRosterCsv({ students: STUDENTS_PER_SCHOOL, seed });
  const staffOfFile = [...LEADERS_AND_SUBJECT_TEACHERS, ...SUBJECT_TEACHERS[seed - 1]];
  const csv = [generated, ...staffOfFile.map(({ key, line }) => `${key};сотрудник;${line};;;;;;;`)].join(
    '\r\n',
  );
  const started = Date.now();
  const summary = expect(
    'importing the roster',
    await api('POST', `/api/v1/academic-years/${yearId}/imports`, accessToken, {
      csv,
      order: ENROLMENT_ORDER,
    }),
    201,
  );
  console.log(
    `[seed]   roster file of ${summary.lines} people in ${Date.now() - started} ms: ` +
      `people +${summary.people.created} (${summary.people.unchanged} in place), ` +
      `classes +${summary.classes.created}, enrolments +${summary.enrolments.created}, ` +
      `guardians linked +${summary.guardianships.created}`,
  );

  // Sex of each student, from the file (class lists carry names only): PE groups go by it.
  const rows = generated.split('\r\n').map((line) => line.split(';'));
  const sexOf = new Map(
    rows.filter((r) => r[1] === 'обучающийся').map((r) => [`${r[2]} ${r[3]} ${r[4]}`, r[6]]),
  );

  const staff = await allPages(`/api/v1/schools/${schoolId}/people?kind=staff`, accessToken);
  const staffByName = new Map(staff.map((p) => [fullName(p), p]));
  const classes = expect(
    'listing classes',
    await api('GET', `/api/v1/academic-years/${yearId}/classes`, accessToken),
    200,
  ).items;
  const gradeLed = new Map(classes.map((c) => [c.classTeacherId, c.grade]));
  const posts = [
    ...staffOfFile.map(({ line, kind, title, subject, department }) => {
      const [lastName, firstName, middleName] = line.split(';');
      const person = staffByName.get(`${lastName} ${firstName} ${middleName}`);
      return { person, kind, title, subject, department: department ?? subject };
    }),
    ...staff
      .filter((p) => gradeLed.has(p.id))
      .map((person) => ({
        person,
        kind: 'teacher',
        title: gradeLed.get(person.id) <= 4 ? 'Учитель начальных классов' : 'Учитель',
      })),
  ];
  for (const { person, kind, title } of posts) {
    if (!person) throw new Error(`the roster file's staff are not all in the school (${kind} ${title})`);
    const answer = await api(
      'POST',
      `/api/v1/schools/${schoolId}/staff-positions`,
      accessToken,
      { personId: person.id, kind, title, rate: 1, hiredOn: '2026-08-25', order: STAFF_ORDER },
      `demo-post-${person.id}-${kind}`,
    );
    // 409: the post is held already (hired by an earlier run under another key).
    expect(`hiring ${fullName(person)}`, answer, 201, 409);
  }
  console.log(`[seed]   posts: ${posts.length} in place (director, deputy, teachers)`);

  // English in two groups from grade 2, PE for girls and boys from grade 10.
  const teachersOf = (subject) => posts.filter((p) => p.subject === subject).map((p) => p.person.id);
  const [english1, english2] = teachersOf('english');
  const [peBoys, peGirls] = teachersOf('pe');
  let formed = 0;
  let kept = 0;
  for (const schoolClass of classes) {
    const students = expect(
      `the list of ${schoolClass.name}`,
      await api('GET', `/api/v1/classes/${schoolClass.id}/students`, accessToken),
      200,
    ).items;
    const existing = new Set(
      expect(
        `subgroups of ${schoolClass.name}`,
        await api('GET', `/api/v1/classes/${schoolClass.id}/subgroups`, accessToken),
        200,
      ).items.map((g) => g.name),
    );
    const half = Math.ceil(students.length / 2);
    const groups = [];
    if (schoolClass.grade >= 2) {
      groups.push(
        {
          subjectKey: 'english',
          name: 'Английский язык, группа 1',
          teacherId: english1,
          members: students.slice(0, half),
        },
        {
          subjectKey: 'english',
          name: 'Английский язык, группа 2',
          teacherId: english2,
          members: students.slice(half),
        },
      );
    }
    if (schoolClass.grade >= 10) {
      const sex = (s) => sexOf.get(fullName(s));
      groups.push(
        {
          subjectKey: 'pe',
          name: 'Физическая культура, юноши',
          teacherId: peBoys,
          members: students.filter((s) => sex(s) === 'м'),
        },
        {
          subjectKey: 'pe',
          name: 'Физическая культура, девушки',
          teacherId: peGirls,
          members: students.filter((s) => sex(s) !== 'м'),
        },
      );
    }
    for (const [number, { members, ...group }] of groups.entries()) {
      if (existing.has(group.name)) {
        kept++;
        continue;
      }
      expect(
        `forming «${group.name}» in ${schoolClass.name}`,
        await api(
          'POST',
          `/api/v1/classes/${schoolClass.id}/subgroups`,
          accessToken,
          { ...group, memberIds: members.map((s) => s.studentId) },
          `demo-subgroup-${schoolClass.id}-${number}`,
        ),
        201,
      );
      formed++;
    }
  }
  console.log(`[seed]   subgroups: ${formed} formed, ${kept} in place`);

  const fiveA = classes.find((c) => c.name === '5А');
  // A family with two children: the guardian of a first-former who has another child.
  const firstFormers = expect(
    'the list of 1А',
    await api('GET', `/api/v1/classes/${classes.find((c) => c.name === '1А').id}/students`, accessToken),
    200,
  ).items;
  let guardian;
  for (const student of firstFormers) {
    const { items } = expect(
      'guardians of a first-former',
      await api('GET', `/api/v1/people/${student.studentId}/guardians`, accessToken),
      200,
    );
    for (const { guardian: candidate } of items) {
      const children = expect(
        'children of a guardian',
        await api('GET', `/api/v1/people/${candidate.id}/children`, accessToken),
        200,
      ).items;
      if (children.length === 2) guardian = candidate;
    }
    if (guardian) break;
  }
  if (!guardian) throw new Error('no guardian of two children in 1А');
  return { classTeacherId: fiveA.classTeacherId, guardianId: guardian.id, posts, classes };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A command that schedule checks against its copy of roster, which follows roster's events: a
 * teacher hired or a subgroup changed a moment ago may not be there yet. Such refusals are tried
 * again for a while; anything else is final.
 */
async function untilCopied(what, call, ...expected) {
  const waiting = new Set(['assignment.teacher_not_staff', 'subgroup.not_found', 'class.not_found']);
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const answer = await call();
    // Schedule reads roster's events of both imported schools first: minutes on a busy store.
    if (
      expected.includes(answer.status) ||
      !waiting.has(answer.body?.code) ||
      Date.now() - started > 900_000
    ) {
      return expect(what, answer, ...expected);
    }
    if (attempt === 1) console.log(`[seed]   waiting for schedule to hear of roster's changes (${what})`);
    await sleep(2000);
  }
}

/** Teachers of each class, subgroup and subject: the class teacher first, then the least loaded. */
function assignTeachers(classes, subgroupsOf, teachers) {
  const load = new Map(teachers.map((t) => [t.personId, 0]));
  const byDepartment = (department) => teachers.filter((t) => t.department === department);
  const leastLoaded = (department, except = []) => {
    const candidates = byDepartment(department).filter((t) => !except.includes(t.personId));
    if (candidates.length === 0) throw new Error(`no teacher of ${department}`);
    return candidates.reduce((best, t) => (load.get(t.personId) < load.get(best.personId) ? t : best));
  };
  const departmentOf = (grade, subjectKey) => {
    if (grade <= 4 && !PRIMARY_SPECIALISTS.has(subjectKey)) return 'primary';
    const found = Object.keys(DEPARTMENTS).find((d) => DEPARTMENTS[d].includes(subjectKey));
    if (!found) throw new Error(`no department teaches ${subjectKey}`);
    return found;
  };
  // Lessons of a class by department: [{ department, lines: [[key, hours]] }].
  const departments = (schoolClass) => {
    const grouped = new Map();
    for (const [key, hours] of CURRICULUM_BY_GRADE[schoolClass.grade]) {
      const department = departmentOf(schoolClass.grade, key);
      grouped.set(department, [...(grouped.get(department) ?? []), [key, hours]]);
    }
    return grouped;
  };
  const hoursOf = (lines) => lines.reduce((sum, [, hours]) => sum + hours, 0);
  // teacher per class and department, or per subgroup for English and PE where the class has groups
  const chosen = new Map();
  const take = (target, teacher, lines) => {
    chosen.set(target, teacher);
    load.set(teacher.personId, load.get(teacher.personId) + hoursOf(lines));
  };
  // The class teachers first: their own class in their department.
  for (const schoolClass of classes) {
    const teacher = teachers.find((t) => t.personId === schoolClass.classTeacherId);
    const lines = teacher && departments(schoolClass).get(teacher.department);
    if (lines) take(`${schoolClass.id}:${teacher.department}`, teacher, lines);
  }
  for (const schoolClass of classes) {
    for (const [department, lines] of departments(schoolClass)) {
      const groups = subgroupsOf(schoolClass, department);
      if (groups.length > 0) {
        const taken = [];
        for (const group of groups) {
          const teacher = leastLoaded(department, taken);
          taken.push(teacher.personId);
          take(`${group.id}:${department}`, teacher, lines);
        }
      } else if (!chosen.has(`${schoolClass.id}:${department}`)) {
        take(`${schoolClass.id}:${department}`, leastLoaded(department), lines);
      }
    }
  }
  return { chosen, departments, load };
}

/**
 * A class's week, placed greedily and deterministically: the class's lessons in rounds (every
 * subject once, then those with a second hour, …; in a round the busiest teachers first), each on
 * the day where the subject has the fewest lessons yet and the class the fewest, as the class's
 * next lesson of that day, where the class's teacher(s) are free. English and PE of a class with
 * groups are one lesson of both groups at once, each with its teacher and room. A lesson that
 * fits nowhere that way takes a free lesson of the day (a gap), or the place of a lesson of the
 * class that can move to such a free lesson, within the grade's daily maximum.
 */
function placeWeek(schoolClass, units, busy) {
  const maxLesson = MAX_LESSONS_A_DAY[schoolClass.grade];
  const perDay = new Map(WEEKDAYS.map((d) => [d, 0]));
  const at = new Map(); // "day:lesson" → unit
  const subjectOnDay = new Map();
  // Lessons a day as even as the week allows, e.g. 29 → 6, 6, 6, 6, 5.
  const dayCap = (day) => Math.floor(units.length / 5) + (day <= units.length % 5 ? 1 : 0);
  const teachersFree = (unit, day, lesson) =>
    unit.parts.every((p) => !busy.has(`${p.teacherId}:${day}:${lesson}`));
  const free = (unit, day, lesson) => !at.has(`${day}:${lesson}`) && teachersFree(unit, day, lesson);
  const countOf = (unit, day) => subjectOnDay.get(`${unit.subjectKey}:${day}`) ?? 0;
  const mark = (unit, day, lesson, delta) => {
    if (delta > 0) at.set(`${day}:${lesson}`, unit);
    else at.delete(`${day}:${lesson}`);
    perDay.set(day, perDay.get(day) + delta);
    subjectOnDay.set(`${unit.subjectKey}:${day}`, countOf(unit, day) + delta);
    for (const part of unit.parts) {
      if (delta > 0) busy.add(`${part.teacherId}:${day}:${lesson}`);
      else busy.delete(`${part.teacherId}:${day}:${lesson}`);
    }
  };
  const slots = WEEKDAYS.flatMap((day) => Array.from({ length: maxLesson }, (_, i) => [day, i + 1]));
  const lastLesson = (day) =>
    Math.max(0, ...slots.filter(([d, l]) => d === day && at.has(`${d}:${l}`)).map(([, l]) => l));
  // Holes of a day first, then the lessons nearest after its last one.
  const rank = ([day, lesson]) => (lesson < lastLesson(day) ? 0 : lesson - lastLesson(day));
  for (const unit of units) {
    const days = [...WEEKDAYS].sort(
      (a, b) => countOf(unit, a) - countOf(unit, b) || perDay.get(a) - perDay.get(b) || a - b,
    );
    // Once a day if possible, twice only when no day has room for it once.
    let spot;
    for (const most of [1, 2]) {
      const day = days.find(
        (d) =>
          countOf(unit, d) < most &&
          perDay.get(d) < dayCap(d) &&
          lastLesson(d) < maxLesson &&
          free(unit, d, lastLesson(d) + 1),
      );
      spot =
        day !== undefined
          ? [day, lastLesson(day) + 1]
          : slots
              .filter(([d, l]) => countOf(unit, d) < most && free(unit, d, l))
              .sort((a, b) => rank(a) - rank(b) || perDay.get(a[0]) - perDay.get(b[0]))[0];
      if (spot) break;
    }
    if (spot) {
      mark(unit, ...spot, 1);
      continue;
    }
    // A swap: a lesson of the class moves to a free lesson where its teachers are free, and this
    // one takes its place.
    const swap = slots
      .filter(
        ([day, lesson]) =>
          at.has(`${day}:${lesson}`) && countOf(unit, day) < 2 && teachersFree(unit, day, lesson),
      )
      .flatMap(([day, lesson]) => {
        const other = at.get(`${day}:${lesson}`);
        const to = slots.find(([d, l]) => free(other, d, l) && (d === day || countOf(other, d) < 2));
        return to ? [{ day, lesson, other, to }] : [];
      })[0];
    if (!swap) throw new Error(`no place for ${unit.subjectKey} in ${schoolClass.name}`);
    mark(swap.other, swap.day, swap.lesson, -1);
    mark(swap.other, ...swap.to, 1);
    mark(unit, swap.day, swap.lesson, 1);
  }
  return [...at.entries()].flatMap(([slot, unit]) => {
    const [weekday, lessonNumber] = slot.split(':').map(Number);
    return unit.parts.map((part) => ({ weekday, lessonNumber, ...part }));
  });
}

/** The same week in the same order, to tell whether a stored one needs setting. */
const weekKey = (entries) =>
  entries
    .map((e) =>
      [
        e.weekday,
        e.lessonNumber,
        e.subgroupId ?? '',
        e.subjectId,
        e.teacherId,
        e.room ?? '',
        e.weekParity || 'every',
      ].join('|'),
    )
    .sort()
    .join('\n');

/**
 * The school's schedule: bells, own subjects, curricula, teaching assignments, the week of every
 * class in every study period of its grade, each period published. Sets only what differs from
 * what is there, so a second run changes nothing.
 */
async function fillSchedule(schoolId, yearId, { posts, classes }, accessToken) {
  const started = Date.now();
  const school = `/api/v1/schools/${schoolId}`;
  // Seconds each step took (the waits for schedule's copy of roster included).
  const took = {};
  let stepStarted = Date.now();
  const stepDone = (step) => {
    took[step] = Math.round((Date.now() - stepStarted) / 1000);
    stepStarted = Date.now();
  };
  const changed = {
    bells: 0,
    subjects: 0,
    curricula: 0,
    assignments: 0,
    subgroups: 0,
    weeks: 0,
    published: 0,
  };

  // Bells of the first shift.
  const bells = await api('GET', `${school}/bell-schedules/1`, accessToken);
  const sameBells =
    bells.status === 200 &&
    JSON.stringify(
      bells.body.lessons.map(({ number, startsAt, endsAt }) => ({ number, startsAt, endsAt })),
    ) === JSON.stringify(BELLS.lessons);
  if (!sameBells) {
    const expectedVersion = bells.status === 200 ? bells.body.version : 0;
    expect(
      'setting the bells',
      await api(
        'PUT',
        `${school}/bell-schedules/1`,
        accessToken,
        { expectedVersion, ...BELLS },
        `demo-bells-${schoolId}-v${expectedVersion}`,
      ),
      200,
    );
    changed.bells++;
  }

  // The school's own subjects, then every subject by key.
  const listSubjects = async () =>
    expect('listing subjects', await api('GET', `${school}/subjects`, accessToken), 200).items;
  let subjects = await listSubjects();
  for (const subject of SCHOOL_SUBJECTS.filter((s) => !subjects.some((known) => known.key === s.key))) {
    expect(
      `adding «${subject.name}»`,
      await api(
        'POST',
        `${school}/subjects`,
        accessToken,
        subject,
        `demo-subject-${schoolId}-${subject.key}`,
      ),
      201,
    );
    changed.subjects++;
  }
  if (changed.subjects > 0) subjects = await listSubjects();
  const subjectId = new Map(subjects.map((s) => [s.key, s.id]));

  // Teachers: the posts with a department, the class teachers (primary, or their subject).
  const secondary = classes.filter((c) => c.grade >= 5);
  const teachers = [
    ...posts.filter((p) => p.department).map((p) => ({ personId: p.person.id, department: p.department })),
    ...classes.map((c) => ({
      personId: c.classTeacherId,
      department: c.grade <= 4 ? 'primary' : CLASS_TEACHER_DEPARTMENTS[secondary.indexOf(c)],
      room: c.grade <= 4 ? String(101 + classes.indexOf(c)) : undefined,
    })),
  ];
  const roomsLeft = Object.fromEntries(Object.entries(DEPARTMENT_ROOMS).map(([d, rooms]) => [d, [...rooms]]));
  for (const teacher of teachers) {
    teacher.room ??= roomsLeft[teacher.department].shift();
    if (!teacher.room) throw new Error(`no room left for a teacher of ${teacher.department}`);
  }

  // The groups of English and PE (formed by fillSchool), by class.
  const groups = new Map();
  for (const schoolClass of classes) {
    groups.set(
      schoolClass.id,
      expect(
        `subgroups of ${schoolClass.name}`,
        await api('GET', `/api/v1/classes/${schoolClass.id}/subgroups`, accessToken),
        200,
      ).items.sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
  const subgroupsOf = (schoolClass, department) =>
    PRIMARY_SPECIALISTS.has(department)
      ? groups.get(schoolClass.id).filter((g) => g.subjectKey === department)
      : [];
  const { chosen, departments, load } = assignTeachers(classes, subgroupsOf, teachers);

  // A group's teacher in roster is the one who teaches it.
  for (const group of [...groups.values()].flat()) {
    const teacher = chosen.get(`${group.id}:${group.subjectKey}`);
    if (!teacher || group.teacherId === teacher.personId) continue;
    await untilCopied(
      `the teacher of «${group.name}»`,
      () =>
        api(
          'PATCH',
          `/api/v1/subgroups/${group.id}`,
          accessToken,
          { expectedVersion: group.version, teacherId: teacher.personId },
          `demo-subgroup-teacher-${group.id}-v${group.version}`,
        ),
      200,
    );
    changed.subgroups++;
  }

  stepDone('bells, subjects, groups');
  // Curricula.
  for (const schoolClass of classes) {
    const lines = CURRICULUM_BY_GRADE[schoolClass.grade].map(
      ([key, hoursPerWeek, component = 'mandatory']) => ({
        subjectId: subjectId.get(key),
        hoursPerWeek,
        component,
      }),
    );
    const path = `/api/v1/classes/${schoolClass.id}/curriculum`;
    const stored = await api('GET', path, accessToken);
    const same =
      stored.status === 200 &&
      JSON.stringify(
        stored.body.lines.map(({ subjectId: id, hoursPerWeek, component, periodHours }) => ({
          subjectId: id,
          hoursPerWeek,
          component,
          periodHours,
        })),
      ) === JSON.stringify(lines.map((line) => ({ ...line, periodHours: [] })));
    if (same) continue;
    const expectedVersion = stored.status === 200 ? stored.body.version : 0;
    await untilCopied(
      `the curriculum of ${schoolClass.name}`,
      () =>
        api(
          'PUT',
          path,
          accessToken,
          { schoolId, academicYearId: yearId, expectedVersion, lines },
          `demo-curriculum-${schoolClass.id}-v${expectedVersion}`,
        ),
      200,
    );
    changed.curricula++;
  }

  stepDone('curricula');
  // Teaching assignments, with their weekly hours.
  const assigned = expect(
    'listing assignments',
    await api('GET', `${school}/teaching-assignments?academicYearId=${yearId}`, accessToken),
    200,
  ).items;
  const has = (teacherId, classId, subgroupId, id) =>
    assigned.some(
      (a) =>
        a.teacherId === teacherId &&
        a.subjectId === id &&
        (subgroupId ? a.subgroupId === subgroupId : a.classId === classId && !a.subgroupId),
    );
  // Units of each class's week: one per lesson, with the entries it makes; the assignments missing.
  const unitsOf = new Map();
  const missing = [];
  for (const schoolClass of classes) {
    const units = [];
    for (const [department, lines] of departments(schoolClass)) {
      const subjectGroups = subgroupsOf(schoolClass, department);
      const targets =
        subjectGroups.length > 0
          ? subjectGroups.map((g) => ({ subgroupId: g.id, teacher: chosen.get(`${g.id}:${department}`) }))
          : [
              {
                subgroupId: '',
                teacher:
                  department === 'primary'
                    ? teachers.find((t) => t.personId === schoolClass.classTeacherId)
                    : chosen.get(`${schoolClass.id}:${department}`),
              },
            ];
      for (const [key, hoursPerWeek] of lines) {
        for (const { subgroupId, teacher } of targets) {
          if (has(teacher.personId, schoolClass.id, subgroupId, subjectId.get(key))) continue;
          missing.push(() =>
            untilCopied(
              `assigning ${key} in ${schoolClass.name}`,
              () =>
                api(
                  'POST',
                  `${school}/teaching-assignments`,
                  accessToken,
                  {
                    academicYearId: yearId,
                    teacherId: teacher.personId,
                    ...(subgroupId ? { subgroupId } : { classId: schoolClass.id }),
                    subjectId: subjectId.get(key),
                    hoursPerWeek,
                  },
                  `demo-assign-${teacher.personId}-${subgroupId || schoolClass.id}-${subjectId.get(key)}`,
                ),
              201,
              409,
            ),
          );
        }
        for (let hour = 0; hour < hoursPerWeek; hour++) {
          units.push({
            subjectKey: key,
            hour,
            parts: targets.map(({ subgroupId, teacher }) => ({
              subgroupId,
              subjectId: subjectId.get(key),
              teacherId: teacher.personId,
              room: teacher.room,
            })),
          });
        }
      }
    }
    unitsOf.set(schoolClass.id, units);
  }
  // In rounds: each subject's first hour, then second hours, …; in a round the lessons of the
  // busiest teachers first (the curriculum's order between equals).
  const busiest = (unit) => Math.max(...unit.parts.map((p) => load.get(p.teacherId)));
  for (const units of unitsOf.values()) {
    units.sort((a, b) => a.hour - b.hour || busiest(b) - busiest(a));
  }

  // Four at a time: each waits for the store (schedule checks overlaps under a lock per class).
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let next = missing.shift(); next; next = missing.shift()) {
        await next();
        changed.assignments++;
      }
    }),
  );
  stepDone('assignments');
  // The weeks: the senior classes first (their teachers are the scarcest), the same week in every
  // study period of the grade.
  const busy = new Set();
  const weeks = new Map();
  for (const schoolClass of [...classes].reverse()) {
    weeks.set(schoolClass.id, placeWeek(schoolClass, unitsOf.get(schoolClass.id), busy));
  }
  const periodsOf = (grade) =>
    DEMO_YEAR.periodSchemes.find((s) => s.grades.includes(grade)).periods.map((p) => p.number);
  for (const schoolClass of classes) {
    const entries = weeks.get(schoolClass.id);
    for (const period of periodsOf(schoolClass.grade)) {
      const path = `/api/v1/classes/${schoolClass.id}/timetable/${period}`;
      const stored = expect(`the week of ${schoolClass.name}`, await api('GET', path, accessToken), 200);
      if (weekKey(stored.entries) === weekKey(entries)) continue;
      expect(
        `the week of ${schoolClass.name} in period ${period}`,
        await api(
          'PUT',
          path,
          accessToken,
          { schoolId, academicYearId: yearId, expectedVersion: stored.version, entries },
          `demo-week-${schoolClass.id}-${period}-v${stored.version}`,
        ),
        200,
      );
      changed.weeks++;
    }
  }

  stepDone('weeks');
  // Publication, period by period; a period published without a change since is left.
  const periods = [...new Set(DEMO_YEAR.periodSchemes.flatMap((s) => s.periods.map((p) => p.number)))];
  for (const period of periods) {
    const { publication } = expect(
      `the timetable of period ${period}`,
      await api('GET', `${school}/timetable/${period}?academicYearId=${yearId}`, accessToken),
      200,
    );
    if (publication.version > 0 && !publication.changedSince) continue;
    const published = expect(
      `publishing period ${period}`,
      await api(
        'POST',
        `${school}/timetable/${period}/publish`,
        accessToken,
        { academicYearId: yearId },
        `demo-publish-${schoolId}-${yearId}-${period}-v${publication.version}`,
      ),
      200,
    );
    console.log(
      `[seed]   period ${period} published: ${published.classes} classes, ${published.entries} lessons`,
    );
    changed.published++;
  }

  stepDone('publication');
  const lessons = [...weeks.values()].reduce(
    (sum, entries) => sum + new Set(entries.map((e) => `${e.weekday}:${e.lessonNumber}`)).size,
    0,
  );
  const loads = [...load.values()].filter((hours) => hours > 0);
  console.log(
    `[seed]   schedule: ${classes.length} classes, ${lessons} lessons a week (${[...weeks.values()].flat().length} with the groups), ` +
      `${loads.length} teachers, ${Math.min(...loads)}–${Math.max(...loads)} lessons a week each; ` +
      `changed: ${Object.entries(changed)
        .map(([what, n]) => `${what} ${n}`)
        .join(', ')}; ${Math.round((Date.now() - started) / 1000)} s (` +
      `${Object.entries(took)
        .map(([step, seconds]) => `${step} ${seconds} s`)
        .join(', ')})`,
  );
}

/** Records the written consent (R1.9) of each of a guardian's links that has none. */
async function recordConsents(guardianId, accessToken) {
  const children = expect(
    "the demo guardian's children",
    await api('GET', `/api/v1/people/${guardianId}/children`, accessToken),
    200,
  ).items;
  for (const { guardianship } of children) {
    if (guardianship.consentActive) continue;
    expect(
      'recording a consent',
      await api(
        'POST',
        `/api/v1/guardianships/${guardianship.id}/consents`,
        accessToken,
        {
          expectedVersion: guardianship.version,
          givenOn: '2026-08-28',
          document: 'Заявление о согласии № 1',
        },
        `demo-consent-${guardianship.id}`,
      ),
      200,
      201,
    );
  }
  return children.length;
}

/** A pseudo-random generator seeded with a text (FNV-1a, then mulberry32): the same draws per text. */
function seededRandom(text) {
  let seed = 2166136261;
  for (const char of text) seed = Math.imul(seed ^ char.codePointAt(0), 16777619);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Today and the time now (YYYY-MM-DD, HH:MM) on a time zone's wall clock. */
function localNow(timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date())
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

const addDays = (date, days) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * What a teacher enters for a lesson, drawn with the lesson's id as the seed (a re-run draws the
 * same): a topic, homework for most lessons, 6–10 marks (oral answers and classwork, now and then
 * an independent work or a test for all of them), one or two students absent or late.
 */
function journalEntry(record, students) {
  const random = seededRandom(record.lessonId);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const order = students.map((s) => s.studentId);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  // The last one or two of the shuffled class are away or late; marks go to the first ones.
  const away = order.length > 12 ? 1 + Math.floor(random() * 2) : 0;
  const attendance = order
    .slice(order.length - away)
    .map((studentId) =>
      random() < 0.6
        ? { studentId, kind: 'absent' }
        : { studentId, kind: 'late', lateMinutes: pick([3, 5, 7, 10, 15]) },
    );
  const kind = random();
  const written = kind < 0.08 ? 'test' : kind < 0.2 ? 'independent' : '';
  const value = () => {
    let draw = random() * 100;
    for (const [mark, weight] of MARK_VALUES) {
      draw -= weight;
      if (draw < 0) return mark;
    }
    return '4';
  };
  const marks = order
    .slice(0, Math.min(order.length - away, 6 + Math.floor(random() * 5)))
    .map((studentId) => ({
      studentId,
      value: value(),
      workType: written || (random() < 0.5 ? 'oral' : 'classwork'),
    }));
  const topic = pick(JOURNAL_TOPICS[record.subjectKey] ?? GENERIC_TOPICS);
  const homework = JOURNAL_HOMEWORK[record.subjectKey] ?? GENERIC_HOMEWORK;
  return {
    expectedVersion: 0,
    topic: { text: written === 'test' ? `Контрольная работа по теме «${topic}»` : topic },
    ...(random() < 0.85 ? { homework: { text: pick(homework) } } : {}),
    marks,
    attendance,
  };
}

/**
 * The journal of dev-teacher in the first school: the school's entry window widened to 14 days
 * (dev-school-admin as its deputy), then each of dev-teacher's lessons of the last 14 days (of
 * today, those begun) that has no record yet gets a topic, homework, marks and attendance, saved
 * as dev-teacher. Gradebook learns the lessons from schedule's events: they are waited for, 5
 * minutes at most (then what it has is filled). A lesson with a record is left as it is.
 */
async function fillJournal({ schoolId, classTeacherId: teacherId }, adminToken) {
  const policyPath = `/api/v1/schools/${schoolId}/grading-policy`;
  const policy = expect('the grading policy', await api('GET', policyPath, adminToken), 200);
  if (policy.version >= 1 && policy.entryDeadline === 'days' && policy.entryDays === JOURNAL_DAYS) {
    console.log(`[seed] journal: grading policy in place (entry within ${JOURNAL_DAYS} days)`);
  } else {
    const body = {
      ...policy,
      expectedVersion: policy.version,
      entryDeadline: 'days',
      entryDays: JOURNAL_DAYS,
    };
    for (const key of ['schoolId', 'updatedBy', 'updatedAt', 'version']) delete body[key];
    expect(
      'setting the grading policy',
      await api('PUT', policyPath, adminToken, body, `demo-policy-${schoolId}-v${policy.version}`),
      200,
    );
    console.log(`[seed] journal: grading policy set (entry within ${JOURNAL_DAYS} days after a lesson)`);
  }

  const teacherToken = await token('dev-teacher', 'Dev-Teacher-1');
  const now = localNow(DEMO_SCHOOLS[0].timeZone);
  const dates = Array.from({ length: JOURNAL_DAYS + 1 }, (_, i) => addDays(now.date, i - JOURNAL_DAYS));
  const begun = (lesson) => lesson.date < now.date || lesson.startsAt <= now.time;
  // Gradebook's teacher's days until each school day of the window has lessons (dev-teacher has
  // lessons every weekday; gradebook copies schedule's lessons a few per second).
  const holiday = (date) =>
    DEMO_YEAR.holidays.some(({ days }) => days.startsOn <= date && date <= days.endsOn);
  const schoolDays = dates.filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() % 6 !== 0 && !holiday(d));
  const started = Date.now();
  let lessons;
  for (let attempt = 1; ; attempt++) {
    lessons = [];
    const empty = [];
    for (const date of dates) {
      const day = expect(
        `dev-teacher's day ${date}`,
        await api('GET', `/api/v1/teachers/${teacherId}/day?date=${date}`, teacherToken),
        200,
      );
      if (schoolDays.includes(date) && !day.lessons?.length) empty.push(date);
      lessons.push(...(day.lessons ?? []).filter((l) => begun(l.record)));
    }
    if (empty.length === 0) break;
    if (Date.now() - started > 300_000) {
      console.log(
        `[seed] journal: gradebook has no lessons of dev-teacher on ${empty.length} of ${schoolDays.length} school days after 5 minutes (it is still reading schedule's events); filling what it has, a later run fills the rest`,
      );
      break;
    }
    if (attempt === 1) {
      console.log(
        `[seed] journal: waiting for gradebook to hear of dev-teacher's lessons (${empty.length} of ${schoolDays.length} school days without any yet)`,
      );
    }
    await sleep(5000);
  }

  let filled = 0;
  let there = 0;
  let closed = 0;
  for (const { record: listed, editable } of lessons) {
    if (listed.version > 0) {
      there++;
      continue;
    }
    // Not open for entry: the window over (or the policy not yet widened there).
    if (!editable) {
      closed++;
      continue;
    }
    const path = `/api/v1/lessons/${listed.lessonId}/record`;
    const { record, students } = expect('a lesson record', await api('GET', path, teacherToken), 200);
    if (record.version > 0) {
      there++;
      continue;
    }
    expect(
      `the record of the lesson of ${record.date} (${record.lessonNumber})`,
      await api(
        'PUT',
        path,
        teacherToken,
        journalEntry(record, students ?? []),
        `demo-record-${record.lessonId}-v0`,
      ),
      200,
    );
    filled++;
  }
  console.log(
    `[seed] journal: ${filled} lessons filled for dev-teacher, ${there} already there` +
      (closed > 0 ? `, ${closed} closed for entry` : ''),
  );
}

async function main() {
  const accessToken = await token('dev-operator', 'Dev-Operator-1');
  const reports = await mongoose.createConnection(mongoUrl, { dbName: reportsDb }).asPromise();
  try {
    for (const card of DEMO_SCHOOLS) {
      const started = Date.now();
      const response = await fetch(`${gateway}/api/v1/schools`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json',
          'idempotency-key': `demo-school-${card.inn}`,
        },
        body: JSON.stringify(card),
      });
      const body = await response.json();
      if (response.status === 409 && body.code === 'school.inn_taken') {
        console.log(`[seed] ${card.shortName}: already there`);
        continue;
      }
      if (response.status !== 201)
        throw new Error(`creating ${card.shortName}: ${response.status} ${JSON.stringify(body)}`);
      let seen = null;
      while (!seen && Date.now() - started < 10_000) {
        seen = await reports.collection('school_directory').findOne({ _id: body.id });
        if (!seen) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      console.log(
        `[seed] ${card.shortName}: 201, id ${body.id}; ` +
          (seen
            ? `in reports after ${Date.now() - started} ms`
            : 'NOT in reports after 10 s (see the reports log)'),
      );
    }
  } finally {
    await reports.close();
  }

  const listed = await api('GET', '/api/v1/schools?pageSize=200', accessToken);
  const schoolIds = DEMO_SCHOOLS.map((card) => listed.body.items.find((s) => s.inn === card.inn)?.id).filter(
    Boolean,
  );
  // A deputy of the first school too: the grading policy is the director's or a deputy's.
  await provisionDevUser(
    'dev-school-admin',
    {
      schoolRoles: [
        ...schoolIds.map((schoolId) => ({ schoolId, role: 'schoolAdmin' })),
        { schoolId: schoolIds[0], role: 'deputy' },
      ],
    },
    accessToken,
  );
  console.log('[seed] dev-school-admin: school admin of both schools, deputy of the first');
  const adminToken = await token('dev-school-admin', 'Dev-SchoolAdmin-1');
  const filled = [];
  for (const [index, schoolId] of schoolIds.entries()) {
    const year = await api(
      'POST',
      `/api/v1/schools/${schoolId}/academic-years`,
      adminToken,
      DEMO_YEAR,
      `demo-year-${schoolId}`,
    );
    if (year.status === 201) console.log(`[seed] academic year ${year.body.name} opened: ${year.body.id}`);
    else if (year.status === 409) console.log('[seed] academic year 2026/2027: already there');
    else throw new Error(`opening the year: ${year.status} ${JSON.stringify(year.body)}`);
    const years = expect(
      'listing years',
      await api('GET', `/api/v1/schools/${schoolId}/academic-years`, adminToken),
      200,
    );
    const yearId = years.items.find((y) => y.name === '2026/2027').id;
    filled.push({ schoolId, yearId, ...(await fillSchool(schoolId, yearId, index + 1, adminToken)) });
  }
  // The schedules after both rosters: schedule reads the first school's events meanwhile.
  for (const school of filled) await fillSchedule(school.schoolId, school.yearId, school, adminToken);

  const [first] = filled;
  await provisionDevUser(
    'dev-teacher',
    { personId: first.classTeacherId, schoolRoles: [{ schoolId: schoolIds[0], role: 'teacher' }] },
    accessToken,
  );
  const consents = await recordConsents(first.guardianId, adminToken);
  await provisionDevUser('dev-guardian', { personId: first.guardianId, schoolRoles: [] }, accessToken);
  console.log(
    `[seed] dev-teacher: class teacher of 5А in the first school; dev-guardian: a parent of ${consents} children there, consents recorded`,
  );
  await seedEsiaFamily(first, adminToken);
  console.log(
    '[seed] the ESIA family (Иванова Мария Петровна and her children) registered in the first school',
  );
  await fillJournal(first, adminToken);
  console.log(`[seed] try it:
  TOKEN=$(curl -s -d grant_type=password -d client_id=edu-gateway -d client_secret=dev-only-edu-gateway-secret \\
    -d username=dev-operator -d password=Dev-Operator-1 ${keycloak}/realms/edu/protocol/openid-connect/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  curl -s -H "Authorization: Bearer $TOKEN" ${gateway}/api/v1/schools`);
}

main().catch((error) => {
  console.error(`[seed] failed: ${error.message}`);
  process.exit(1);
});
