import { checkPersonForm, type PersonForm, type PersonKind } from './person';
import { letterErrors, normaliseLetter, gradeErrors } from './school-class';
import type { FieldError } from './school';

// A school's roster from one CSV file (staff, students, guardians, classes, enrolments): the
// format, its parser and the checks of every row. No I/O here: the use case matches the rows
// against what is stored and writes.

/** The columns, as a school's secretary writes them (header row, any order, any letter case). */
export const IMPORT_COLUMNS = {
  key: 'код',
  kind: 'вид',
  lastName: 'фамилия',
  firstName: 'имя',
  middleName: 'отчество',
  birthDate: 'дата рождения',
  sex: 'пол',
  snils: 'снилс',
  phone: 'телефон',
  email: 'email',
  birthCertificate: 'свидетельство',
  className: 'класс',
  children: 'дети',
  relation: 'кем приходится',
} as const;

export type ImportColumn = keyof typeof IMPORT_COLUMNS;

const REQUIRED_COLUMNS: ImportColumn[] = ['key', 'kind', 'lastName', 'firstName', 'birthDate', 'sex'];

/** The template offered for download: the header and one row of each kind. */
export const IMPORT_TEMPLATE = [
  Object.values(IMPORT_COLUMNS).join(';'),
  'u1;сотрудник;Соколова;Мария;Петровна;12.04.1985;ж;;+7 913 123-45-67;sokolova@example.ru;;5А;;',
  's1;обучающийся;Иванов;Иван;Сергеевич;01.03.2015;м;112-233-445 95;;;IV-БА 123456;5А;;',
  'g1;родитель;Иванова;Ольга;Николаевна;20.07.1988;ж;;8 (913) 765-43-21;;;;s1;мать',
].join('\r\n');

const KINDS: Record<string, PersonKind> = {
  сотрудник: 'staff',
  staff: 'staff',
  обучающийся: 'student',
  ученик: 'student',
  student: 'student',
  родитель: 'guardian',
  'законный представитель': 'guardian',
  guardian: 'guardian',
};

const SEXES: Record<string, 'male' | 'female'> = {
  м: 'male',
  муж: 'male',
  мужской: 'male',
  male: 'male',
  ж: 'female',
  жен: 'female',
  женский: 'female',
  female: 'female',
};

export const RELATIONS: Record<string, 'mother' | 'father' | 'legal_representative'> = {
  мать: 'mother',
  отец: 'father',
  'законный представитель': 'legal_representative',
  опекун: 'legal_representative',
  попечитель: 'legal_representative',
};

/** One person of the file, checked and in normal form, with where they go. */
export interface ImportRecord {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  key: string;
  form: PersonForm;
  /** Students: the class they are in; staff: the class they lead (optional). */
  className?: { grade: number; letter: string };
  /** Guardians: the keys of their children in this file, and who they are to them. */
  children: string[];
  relation?: 'mother' | 'father' | 'legal_representative';
}

/** A problem of one line: `field` names the line and column, the message says it in Russian. */
export type ImportError = FieldError & { line: number };

/** The most problems reported at once: the rest are the same mistakes again. */
export const MAX_REPORTED_ERRORS = 500;
/** The most data lines a file may have (a large school with its guardians fits easily). */
export const MAX_IMPORT_LINES = 20_000;

/**
 * Parses CSV (RFC 4180: quotes, doubled quotes, line breaks inside quotes; `;` or `,` as the
 * header shows; a BOM from Excel is skipped). Returns the lines with their 1-based numbers.
 */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstLine = source.slice(0, source.search(/\r?\n|$/));
  const delimiter = firstLine.includes(';') ? ';' : ',';
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows.filter((row) => row.cells.some((c) => c.trim() !== ''));
}

const normaliseHeader = (value: string) =>
  value.trim().toLowerCase().replaceAll('ё', 'е').replace(/\s+/g, ' ');

/** `01.03.2015` or `2015-03-01` → `2015-03-01`; anything else stays as it is (and fails the check). */
function isoDate(value: string): string {
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value.trim());
  return ru ? `${ru[3]}-${ru[2]!.padStart(2, '0')}-${ru[1]!.padStart(2, '0')}` : value.trim();
}

/** «5А», «11 б» → grade and letter. */
export function parseClassName(value: string): { grade: number; letter: string } | null {
  const match = /^\s*(\d{1,2})\s*-?\s*([^\s\d-].{0,2}|\d)\s*$/u.exec(value);
  if (!match) return null;
  const grade = Number(match[1]);
  const letter = normaliseLetter(match[2]!);
  return gradeErrors(grade).length === 0 && letterErrors(letter).length === 0 ? { grade, letter } : null;
}

/**
 * Checks every line of a parsed file and returns the records of the valid ones and every problem
 * (line and column named, no personal data repeated). Ages are taken on `registeredOn`.
 */
export function checkImport(
  rows: { line: number; cells: string[] }[],
  { schoolId, registeredOn }: { schoolId: string; registeredOn: string },
): { records: ImportRecord[]; errors: ImportError[] } {
  const errors: ImportError[] = [];
  const fail = (line: number, column: string, message: string) =>
    errors.push({
      line,
      field: `line ${line}: ${column}`,
      message: `Строка ${line}, «${column}»: ${message}`,
    });
  const [header, ...lines] = rows;
  if (!header) {
    errors.push({ line: 1, field: 'file', message: 'Файл пуст: нужна строка заголовков и строки с людьми' });
    return { records: [], errors };
  }
  const index = new Map<ImportColumn, number>();
  const byTitle = new Map<string, ImportColumn>(
    Object.entries(IMPORT_COLUMNS).map(([column, title]) => [title, column as ImportColumn]),
  );
  header.cells.forEach((title, i) => {
    const column = byTitle.get(normaliseHeader(title));
    if (column) index.set(column, i);
  });
  const missing = REQUIRED_COLUMNS.filter((column) => !index.has(column));
  if (missing.length > 0) {
    errors.push({
      line: header.line,
      field: `line ${header.line}`,
      message: `Нет столбцов: ${missing.map((c) => `«${IMPORT_COLUMNS[c]}»`).join(', ')} (скачайте шаблон)`,
    });
    return { records: [], errors };
  }
  if (lines.length === 0)
    errors.push({ line: 2, field: 'file', message: 'В файле нет ни одной строки с людьми' });
  if (lines.length > MAX_IMPORT_LINES) {
    errors.push({
      line: 1,
      field: 'file',
      message: `В файле больше ${MAX_IMPORT_LINES} строк: разделите его`,
    });
    return { records: [], errors };
  }

  const records: ImportRecord[] = [];
  const keys = new Map<string, number>();
  for (const { line, cells } of lines) {
    const cell = (column: ImportColumn) => {
      const i = index.get(column);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    const before = errors.length;
    const key = cell('key');
    if (!key) fail(line, IMPORT_COLUMNS.key, 'укажите код строки (любой, уникальный в файле)');
    else if (keys.has(key)) fail(line, IMPORT_COLUMNS.key, `код уже встречался в строке ${keys.get(key)}`);
    else keys.set(key, line);
    const kind = KINDS[normaliseHeader(cell('kind'))];
    if (!kind) fail(line, IMPORT_COLUMNS.kind, 'сотрудник, обучающийся или родитель');
    const sex = SEXES[normaliseHeader(cell('sex'))];
    if (!sex) fail(line, IMPORT_COLUMNS.sex, 'м или ж');
    const [series = '', number = ''] = cell('birthCertificate').split(/\s+/).filter(Boolean);
    const { person, errors: formErrors } = checkPersonForm(
      {
        schoolId,
        kind: kind ?? 'student',
        lastName: cell('lastName'),
        firstName: cell('firstName'),
        middleName: cell('middleName'),
        birthDate: isoDate(cell('birthDate')),
        sex: sex ?? 'male',
        snils: cell('snils'),
        contacts: { phone: cell('phone'), email: cell('email') },
        birthCertificate: { series, number },
      },
      registeredOn,
    );
    const columnOf: Record<string, string> = {
      lastName: IMPORT_COLUMNS.lastName,
      firstName: IMPORT_COLUMNS.firstName,
      middleName: IMPORT_COLUMNS.middleName,
      birthDate: IMPORT_COLUMNS.birthDate,
      snils: IMPORT_COLUMNS.snils,
      'contacts.phone': IMPORT_COLUMNS.phone,
      'contacts.email': IMPORT_COLUMNS.email,
    };
    for (const error of formErrors) {
      if (error.field === 'kind' || error.field === 'sex') continue; // reported above in the file's words
      if (error.field === 'birthDate' && !kind && isoDate(cell('birthDate'))) continue; // the age depends on the kind
      fail(line, columnOf[error.field] ?? IMPORT_COLUMNS.birthCertificate, error.message);
    }
    const classCell = cell('className');
    const className = classCell ? parseClassName(classCell) : null;
    if (classCell && !className)
      fail(line, IMPORT_COLUMNS.className, 'класс пишется как «5А»: параллель 1–11 и буква');
    if (kind === 'student' && !classCell) fail(line, IMPORT_COLUMNS.className, 'укажите класс обучающегося');
    const children = cell('children')
      .split(/[\s,]+/)
      .filter(Boolean);
    const relationCell = normaliseHeader(cell('relation'));
    const relation = relationCell ? RELATIONS[relationCell] : undefined;
    if (kind === 'guardian' && children.length > 0 && !relation) {
      fail(line, IMPORT_COLUMNS.relation, 'мать, отец или законный представитель');
    }
    if (kind !== 'guardian' && children.length > 0)
      fail(line, IMPORT_COLUMNS.children, 'дети указываются только у родителей');
    if (errors.length === before && kind) {
      records.push({
        line,
        key,
        form: person,
        ...(className ? { className } : {}),
        children,
        ...(relation ? { relation } : {}),
      });
    }
    if (errors.length >= MAX_REPORTED_ERRORS) break;
  }
  const students = new Set(records.filter((r) => r.form.kind === 'student').map((r) => r.key));
  for (const record of records) {
    for (const child of record.children) {
      if (!students.has(child)) {
        fail(record.line, IMPORT_COLUMNS.children, `нет обучающегося с кодом «${child}» в этом файле`);
      }
    }
  }
  return { records, errors: errors.slice(0, MAX_REPORTED_ERRORS) };
}
