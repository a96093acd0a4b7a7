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
 * A realistic plan of academic year 2026/2027 as the API takes it: quarters for grades 1–9,
 * half-years for 10–11, the usual holidays between the periods. A fresh copy each call.
 */
export function academicYearPlanFixture() {
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
