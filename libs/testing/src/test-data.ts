import { randomInt } from 'node:crypto';

// Test data with valid Russian legal identifiers, so that every test can open its own school
// (a unique INN each time) without tripping the check-digit rules.

const INN_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];

function randomDigits(count: number): string {
  return Array.from({ length: count }, () => String(randomInt(10))).join('');
}

/** A random legal-entity INN (10 digits) with a correct check digit. */
export function randomInn(): string {
  const body = `${randomInt(1, 10)}${randomDigits(8)}`;
  const sum = INN_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(body[i]), 0);
  return `${body}${(sum % 11) % 10}`;
}

/** A random OGRN (13 digits) with a correct check digit. */
export function randomOgrn(): string {
  const body = `1${randomDigits(11)}`;
  return `${body}${Number((BigInt(body) % 11n) % 10n)}`;
}

/** A complete, valid school card as the REST API takes it, with a fresh INN and OGRN. */
export function schoolCardFixture(overrides: Record<string, unknown> = {}) {
  const inn = randomInn();
  return {
    fullName: `Муниципальное бюджетное общеобразовательное учреждение «Средняя школа ${inn.slice(-4)}»`,
    shortName: `МБОУ СШ ${inn.slice(-4)}`,
    inn,
    ogrn: randomOgrn(),
    address: '660000, г. Красноярск, ул. Ленина, д. 1',
    timeZone: 'Asia/Krasnoyarsk',
    licence: {
      number: 'Л035-01212-24/00123456',
      issuedOn: '2016-03-01',
      issuedBy: 'Министерство образования',
    },
    accreditation: { number: 'А007-01212-24/00654321', issuedOn: '2016-05-01', validUntil: '' },
    municipalityId: 'krasnoyarsk',
    ...overrides,
  };
}

/**
 * A realistic plan of an academic year as the API takes it, 2026/2027 unless `startYear` says
 * otherwise (the same days a whole number of years earlier or later): quarters for grades 1–9,
 * half-years for 10–11, the usual holidays between the periods. A fresh copy each call.
 */
export function academicYearPlanFixture(startYear = 2026) {
  const plan = academicYearPlan2026();
  if (startYear === 2026) return plan;
  const shifted = JSON.stringify(plan).replace(
    /"(2026|2027)-/g,
    (_match, year: string) => `"${Number(year) + startYear - 2026}-`,
  );
  return JSON.parse(shifted) as typeof plan;
}

function academicYearPlan2026() {
  return {
    days: { startsOn: '2026-09-01', endsOn: '2027-05-31' },
    holidays: [
      { name: 'Осенние каникулы', days: { startsOn: '2026-10-26', endsOn: '2026-11-03' } },
      { name: 'Зимние каникулы', days: { startsOn: '2026-12-29', endsOn: '2027-01-11' } },
      { name: 'Весенние каникулы', days: { startsOn: '2027-03-22', endsOn: '2027-03-29' } },
    ],
    periodSchemes: [
      {
        grades: [1, 2, 3, 4, 5, 6, 7, 8, 9],
        kind: 'quarter' as const,
        periods: [
          { number: 1, days: { startsOn: '2026-09-01', endsOn: '2026-10-25' } },
          { number: 2, days: { startsOn: '2026-11-04', endsOn: '2026-12-28' } },
          { number: 3, days: { startsOn: '2027-01-12', endsOn: '2027-03-21' } },
          { number: 4, days: { startsOn: '2027-03-30', endsOn: '2027-05-31' } },
        ],
      },
      {
        grades: [10, 11],
        kind: 'half_year' as const,
        periods: [
          { number: 1, days: { startsOn: '2026-09-01', endsOn: '2026-12-28' } },
          { number: 2, days: { startsOn: '2027-01-12', endsOn: '2027-05-31' } },
        ],
      },
    ],
  };
}

/** A СНИЛС (11 digits) with a correct check number, for a number above 001-001-998. */
export function randomSnils(): string {
  return withSnilsCheck(`${randomInt(1, 10)}${randomDigits(8)}`);
}

/** The 11-digit СНИЛС of a 9-digit number: the number and its check number. */
function withSnilsCheck(body: string): string {
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * (9 - i), 0);
  const check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101 === 100 ? 0 : sum % 101;
  return `${body}${String(check).padStart(2, '0')}`;
}

const SURNAMES = [
  'Иванов',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Петров',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семёнов',
  'Егоров',
  'Павлов',
  'Козлов',
  'Степанов',
  'Николаев',
];
const MALE_NAMES = [
  'Александр',
  'Дмитрий',
  'Максим',
  'Сергей',
  'Андрей',
  'Алексей',
  'Артём',
  'Илья',
  'Кирилл',
  'Михаил',
];
const FEMALE_NAMES = [
  'Анастасия',
  'Мария',
  'Анна',
  'Виктория',
  'Екатерина',
  'Наталья',
  'Марина',
  'Полина',
  'Дарья',
  'Алиса',
];
const PATRONYMICS = ['Александров', 'Дмитриев', 'Сергеев', 'Андреев', 'Алексеев', 'Михайлов'];

/**
 * A whole school as the roster import takes it (CSV with `;`, the import's Russian headers):
 * `students` students in grades 1–11 with two classes each, a class teacher per class, and a
 * guardian per child (mothers and fathers) with every fifth guardian having two children.
 * Deterministic per `seed`, СНИЛС included (unique in the file, valid check numbers): the same
 * call gives the same file, so importing it again changes nothing.
 */
export function schoolRosterCsv({ students, seed = 1 }: { students: number; seed?: number }): string {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
  const pick = <T>(list: readonly T[]) => list[next(list.length)]!;
  let issued = 0;
  const snils = () => withSnilsCheck(`${1 + (seed % 9)}${String(++issued).padStart(8, '0')}`);
  const person = (sex: 'м' | 'ж') => {
    const surname = pick(SURNAMES);
    return {
      lastName: sex === 'ж' ? `${surname.replace(/(ов|ев|ёв|ин)$/, '$1а')}` : surname,
      firstName: pick(sex === 'ж' ? FEMALE_NAMES : MALE_NAMES),
      middleName: `${pick(PATRONYMICS)}${sex === 'ж' ? 'на' : 'ич'}`,
    };
  };
  const lines = [
    'код;вид;фамилия;имя;отчество;дата рождения;пол;снилс;телефон;email;свидетельство;класс;дети;кем приходится',
  ];
  const classes = Array.from({ length: 11 }, (_, g) =>
    ['А', 'Б'].map((letter) => `${g + 1}${letter}`),
  ).flat();
  classes.forEach((name, i) => {
    const teacher = person('ж');
    const birthYear = 1965 + next(30);
    lines.push(
      `t${i};сотрудник;${teacher.lastName};${teacher.firstName};${teacher.middleName};15.0${1 + next(9)}.${birthYear};ж;${snils()};;;;${name};;`,
    );
  });
  const childKeys: string[] = [];
  for (let i = 0; i < students; i++) {
    const name = classes[i % classes.length]!;
    const grade = Number(/^\d+/.exec(name)![0]);
    const sex = next(2) === 0 ? 'м' : 'ж';
    const student = person(sex);
    const birthYear = 2026 - 7 - grade + 1;
    lines.push(
      `s${i};обучающийся;${student.lastName};${student.firstName};${student.middleName};${String(1 + next(28)).padStart(2, '0')}.${String(1 + next(12)).padStart(2, '0')}.${birthYear};${sex};${snils()};;;;${name};;`,
    );
    childKeys.push(`s${i}`);
  }
  for (let i = 0; i < childKeys.length; i++) {
    const children = i % 5 === 0 && childKeys[i + 1] ? `${childKeys[i]},${childKeys[i + 1]}` : childKeys[i]!;
    if (i % 5 === 1) continue; // the second child of a two-child family has its guardian already
    const father = i % 3 === 2;
    const guardian = person(father ? 'м' : 'ж');
    lines.push(
      `g${i};родитель;${guardian.lastName};${guardian.firstName};${guardian.middleName};01.06.${1975 + next(20)};${father ? 'м' : 'ж'};${snils()};8 913 ${String(1_000_000 + i).slice(1, 4)}-${String(10 + next(89))}-${String(10 + next(89))};;;;"${children}";${father ? 'отец' : 'мать'}`,
    );
  }
  return lines.join('\r\n');
}
