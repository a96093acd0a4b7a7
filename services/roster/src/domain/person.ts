import { isPlainDate, type FieldError } from './school';

// People of a school (R3.1, R3.2): the card, its rules and its normal forms.

export const PERSON_KINDS = ['staff', 'student', 'guardian'] as const;
/** Staff (сотрудник), student (обучающийся) or guardian (родитель, законный представитель). */
export type PersonKind = (typeof PERSON_KINDS)[number];

export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];

export type PersonStatus = 'active' | 'archived';

/** How to reach a person; `''` when not given. Phone is `+7XXXXXXXXXX`. */
export interface Contacts {
  phone: string;
  email: string;
}

/** A Russian birth certificate (students only); both `''` when not given. */
export interface BirthCertificate {
  series: string;
  number: string;
}

/** What a school states when it registers a person; optional values are `''`. */
export interface PersonForm {
  schoolId: string;
  kind: PersonKind;
  lastName: string;
  firstName: string;
  middleName: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  sex: Sex;
  /** 11 digits once normalised. */
  snils: string;
  contacts: Contacts;
  birthCertificate: BirthCertificate;
}

/** A registered person: the card plus identity, status and version. */
export interface Person extends PersonForm {
  id: string;
  status: PersonStatus;
  version: number;
  createdAt: string;
}

/**
 * The personal data of a card (152-ФЗ): never logged, never in events, never in page tokens or
 * error messages; only in the full card, whose reads are access-logged. `sortName` is stored
 * (derived from the names) and is personal data as well.
 */
export const PERSONAL_DATA_FIELDS = [
  'lastName',
  'firstName',
  'middleName',
  'sortName',
  'birthDate',
  'sex',
  'snils',
  'snilsKey',
  'contacts',
  'phone',
  'email',
  'birthCertificate',
] as const;

/** What a list shows: names and kind, nothing else personal. */
export interface PersonSummary {
  id: string;
  schoolId: string;
  kind: PersonKind;
  lastName: string;
  firstName: string;
  middleName: string;
  status: PersonStatus;
}

export function summaryOf(person: Person): PersonSummary {
  return {
    id: person.id,
    schoolId: person.schoolId,
    kind: person.kind,
    lastName: person.lastName,
    firstName: person.firstName,
    middleName: person.middleName,
    status: person.status,
  };
}

/** "Иванова Мария Петровна": how people and events name a person. */
export function displayName(person: Pick<Person, 'lastName' | 'firstName' | 'middleName'>): string {
  return [person.lastName, person.firstName, person.middleName].filter(Boolean).join(' ');
}

/**
 * The list order key: last name, then first name, case-insensitive, "ё" as "е" (as a Russian
 * reader expects "Ёлкин" among the "Е", not before "А"). The separator sorts below every letter,
 * so "Иван" comes before "Иванов".
 */
export function personSortName(person: Pick<Person, 'lastName' | 'firstName'>): string {
  const fold = (name: string) => name.toLocaleLowerCase('ru').replaceAll('ё', 'е');
  return `${fold(person.lastName)}\u0001${fold(person.firstName)}`;
}

// --- СНИЛС ---

const SNILS_FORMS = [/^\d{11}$/, /^\d{3}-\d{3}-\d{3}[ -]\d{2}$/];
/** Numbers up to 001-001-998 were issued before check digits existed. */
const SNILS_UNCHECKED_MAX = 1_001_998;

/** The 11 digits of a СНИЛС written `123-456-789 01` or `12345678901`; `null` for any other form. */
export function normalizeSnils(value: string): string | null {
  const trimmed = value.trim();
  if (!SNILS_FORMS.some((form) => form.test(trimmed))) return null;
  return trimmed.replace(/\D/g, '');
}

/**
 * The check number of a СНИЛС by the Pension Fund's rule: the sum of the first nine digits times
 * 9..1; below 100 it is the sum, 100 and 101 give 00, above 101 the sum mod 101 (100 again 00).
 */
export function snilsCheckNumber(digits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (9 - i);
  if (sum < 100) return sum;
  if (sum <= 101) return 0;
  const rest = sum % 101;
  return rest === 100 ? 0 : rest;
}

/** True for 11 digits whose check number is right; numbers up to 001-001-998 are not checked. */
export function isValidSnils(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  if (Number(digits.slice(0, 9)) <= SNILS_UNCHECKED_MAX) return true;
  return snilsCheckNumber(digits) === Number(digits.slice(9));
}

// --- names ---

export const NAME_MAX = 100;
// A Cyrillic letter (any Cyrillic-script language: Russian, Tatar, Yakut, ...), then words of
// letters joined by one hyphen, space or apostrophe: "Мария-Луиза", "О'Коннор", "Ким Ир".
const LETTER = String.raw`(?:(?=\p{L})\p{Script=Cyrillic})`;
const NAME = new RegExp(`^${LETTER}+(?:[ '-]${LETTER}+)*$`, 'u');

/** Trims, joins runs of spaces, composes letters (NFC) and writes apostrophes as `'`. */
export function normalizeName(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').replace(/[’ʼ`]/g, "'");
}

const NAME_LABELS = {
  lastName: { label: 'Фамилия', missing: 'Укажите фамилию' },
  firstName: { label: 'Имя', missing: 'Укажите имя' },
  middleName: { label: 'Отчество', missing: '' },
} as const;

/** The problem with a normalised name, or `null`; an empty middle name is fine. */
export function nameError(field: keyof typeof NAME_LABELS, value: string): FieldError | null {
  const { label, missing } = NAME_LABELS[field];
  if (value === '') return missing ? { field, message: missing } : null;
  if (value.length > NAME_MAX) return { field, message: `${label} длиннее ${NAME_MAX} символов` };
  if (!NAME.test(value)) {
    return {
      field,
      message: `${label}: только буквы кириллицы; слова разделяются одним дефисом, пробелом или апострофом`,
    };
  }
  return null;
}

// --- dates ---

/** Ages allowed on the day of registration, inclusive (stated in the README). */
export const AGE_LIMITS: Record<PersonKind, { min: number; max: number; who: string }> = {
  student: { min: 5, max: 20, who: 'обучающегося' },
  staff: { min: 16, max: 100, who: 'сотрудника' },
  guardian: { min: 14, max: 120, who: 'родителя (законного представителя)' },
};

/** Full years between two plain dates (a birthday on 29 February comes on 1 March). */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The plain date of an instant in a time zone, e.g. the school's day of registration. */
export function dateIn(timeZone: string, instant: Date): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

function ruDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

function yearsWord(n: number): string {
  const last = n % 10;
  const lastTwo = n % 100;
  if (last === 1 && lastTwo !== 11) return 'года';
  return 'лет';
}

// --- contacts and documents ---

/**
 * `+7XXXXXXXXXX` from `+7 913 123-45-67`, `8 (913) 123-45-67` or `79131234567`; else `null`. Ten
 * digits without a prefix are refused: `8 913 123-45-6` (a digit missing) would pass as a number.
 */
export function normalizePhone(value: string): string | null {
  const trimmed = value.trim();
  if (!/^\+?[\d\s()-]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return /^7\d{10}$/.test(digits) ? `+${digits}` : null;
  if (/^[78]\d{10}$/.test(digits)) return `+7${digits.slice(1)}`;
  return null;
}

const EMAIL_MAX = 254;

/** A basic e-mail check (one `@`, a dotted domain, no spaces); the domain in lower case; else `null`. */
export function normalizeEmail(value: string): string | null {
  const trimmed = value.trim();
  const match = /^([^\s@]{1,64})@([^\s@]+\.[^\s@.]{2,})$/.exec(trimmed);
  if (!match || trimmed.length > EMAIL_MAX || match[2]!.includes('..') || match[2]!.startsWith('.')) {
    return null;
  }
  return `${match[1]}@${match[2]!.toLowerCase()}`;
}

/** Contacts in normal form, with the problems of each field (`contacts.phone`, `contacts.email`). */
export function checkContacts(contacts: Contacts): { contacts: Contacts; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let phone = '';
  let email = '';
  if (contacts.phone.trim()) {
    phone = normalizePhone(contacts.phone) ?? '';
    if (!phone) {
      errors.push({
        field: 'contacts.phone',
        message: 'Телефон — российский номер: +7 или 8 и 10 цифр, например +7 913 123-45-67',
      });
    }
  }
  if (contacts.email.trim()) {
    email = normalizeEmail(contacts.email) ?? '';
    if (!email) {
      errors.push({
        field: 'contacts.email',
        message: 'Адрес электронной почты указывается в виде name@example.ru',
      });
    }
  }
  return { contacts: { phone, email }, errors };
}

// Users often type Cyrillic look-alikes in the Roman numeral of the series.
const ROMAN_LOOKALIKES: Record<string, string> = { І: 'I', Х: 'X', С: 'C', М: 'M' };

function checkBirthCertificate(
  kind: string,
  certificate: BirthCertificate,
): { birthCertificate: BirthCertificate; errors: FieldError[] } {
  const series = certificate.series.trim().toUpperCase().replace(/\s+/g, '');
  const number = certificate.number.trim().replace(/\s+/g, '');
  const none = { series: '', number: '' };
  if (!series && !number) return { birthCertificate: none, errors: [] };
  if (kind !== 'student') {
    return {
      birthCertificate: none,
      errors: [
        {
          field: 'birthCertificate',
          message: 'Свидетельство о рождении указывается только для обучающихся',
        },
      ],
    };
  }
  const errors: FieldError[] = [];
  const [roman = '', letters] = series.split('-', 2);
  const normalSeries = `${[...roman].map((c) => ROMAN_LOOKALIKES[c] ?? c).join('')}-${letters ?? ''}`;
  if (!series) {
    errors.push({ field: 'birthCertificate.series', message: 'Укажите серию свидетельства о рождении' });
  } else if (!/^[IVXLCM]{1,6}-[А-ЯЁ]{2}$/.test(normalSeries)) {
    errors.push({
      field: 'birthCertificate.series',
      message:
        'Серия свидетельства о рождении — римское число латинскими буквами, дефис и две русские буквы, например IV-БА',
    });
  }
  if (!number) {
    errors.push({ field: 'birthCertificate.number', message: 'Укажите номер свидетельства о рождении' });
  } else if (!/^\d{6}$/.test(number)) {
    errors.push({ field: 'birthCertificate.number', message: 'Номер свидетельства о рождении — 6 цифр' });
  }
  return { birthCertificate: { series: normalSeries, number }, errors };
}

function birthDateError(kind: string, birthDate: string, registeredOn: string): FieldError | null {
  if (!birthDate.trim()) return { field: 'birthDate', message: 'Укажите дату рождения' };
  if (!isPlainDate(birthDate)) {
    return { field: 'birthDate', message: 'Дата рождения указывается в формате ГГГГ-ММ-ДД' };
  }
  if (birthDate > registeredOn) return { field: 'birthDate', message: 'Дата рождения в будущем' };
  const limits = AGE_LIMITS[kind as PersonKind];
  if (!limits) return null; // the kind itself is reported
  const age = ageOn(birthDate, registeredOn);
  if (age < limits.min || age > limits.max) {
    return {
      field: 'birthDate',
      message: `Возраст ${limits.who} на дату регистрации ${ruDate(registeredOn)} — от ${limits.min} до ${limits.max} ${yearsWord(limits.max)}`,
    };
  }
  return null;
}

/**
 * Checks a registration form and returns it in normal form (names trimmed, СНИЛС as 11 digits,
 * phone `+7…`), with every problem at once. Ages are taken on `registeredOn`, the school's date.
 * Messages never repeat the values: they are personal data.
 */
export function checkPersonForm(
  form: PersonForm,
  registeredOn: string,
): { person: PersonForm; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!(PERSON_KINDS as readonly string[]).includes(form.kind)) {
    errors.push({
      field: 'kind',
      message:
        'Укажите, кто это: staff (сотрудник), student (обучающийся) или guardian (родитель, законный представитель)',
    });
  }
  const lastName = normalizeName(form.lastName);
  const firstName = normalizeName(form.firstName);
  const middleName = normalizeName(form.middleName);
  for (const [field, value] of [
    ['lastName', lastName],
    ['firstName', firstName],
    ['middleName', middleName],
  ] as const) {
    const error = nameError(field, value);
    if (error) errors.push(error);
  }
  const birthDate = form.birthDate.trim();
  const dateError = birthDateError(form.kind, birthDate, registeredOn);
  if (dateError) errors.push(dateError);
  if (!(SEXES as readonly string[]).includes(form.sex)) {
    errors.push({ field: 'sex', message: 'Укажите пол: male (мужской) или female (женский)' });
  }
  let snils = '';
  if (form.snils.trim()) {
    snils = normalizeSnils(form.snils) ?? '';
    if (!snils) {
      errors.push({ field: 'snils', message: 'СНИЛС — 11 цифр: 123-456-789 01 или 12345678901' });
    } else if (!isValidSnils(snils)) {
      errors.push({ field: 'snils', message: 'Контрольное число СНИЛС не сходится: проверьте номер' });
    }
  }
  const contacts = checkContacts(form.contacts);
  errors.push(...contacts.errors);
  const certificate = checkBirthCertificate(form.kind, form.birthCertificate);
  errors.push(...certificate.errors);
  return {
    person: {
      schoolId: form.schoolId,
      kind: form.kind,
      lastName,
      firstName,
      middleName,
      birthDate,
      sex: form.sex,
      snils,
      contacts: contacts.contacts,
      birthCertificate: certificate.birthCertificate,
    },
    errors,
  };
}
