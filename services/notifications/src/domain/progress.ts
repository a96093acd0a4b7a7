import { addDays, daysBetween, formatDate, invalid, isDate, localDate, type FieldError } from '@edu/kit';
import { FALLBACK_TIME_ZONE, classOn, guardiansOf, sortedIds } from './copies';
import {
  notificationId,
  type AbsenceCopy,
  type ClassCopy,
  type InboxEntry,
  type MarksCopy,
  type NotificationIntent,
  type ProgressRoundDoc,
  type SchoolCopy,
  type StudentCopy,
} from './model';
import type { Actor, Authorize, DocReader, UnitTx } from './ports';
import { dayInWords, plural } from './templates';

// The biweekly progress report (R7.2): every two weeks each guardian gets, per child, the child's
// marks by subject with averages and the absences (unexcused among them) of the round just ended; the class
// teacher sees who has not opened it. Rounds are 14 days from Mondays, counted from a fixed epoch,
// so that every class of every school shares them and a round is known from any of its days.
// A class's round is decided once (its ProgressRoundDoc): a rerun finds it and tells nobody again.
//
// Links: report:<class>:<round's first day>:<student>  one child's report of a round

/** A Monday: round 0 starts on it. */
export const ROUND_EPOCH = '2024-01-01';
export const ROUND_DAYS = 14;

export const PROGRESS_INVALID = 'progress.invalid';

export interface Round {
  /** YYYY-MM-DD, a Monday. */
  startsOn: string;
  /** YYYY-MM-DD, the Sunday 13 days later. */
  endsOn: string;
}

/** Who acts (structurally the @edu/grpc Actor). */
// --- Rounds ---------------------------------------------------------------------------------------

/** The round holding a day. */
export function roundOf(date: string): Round {
  const index = Math.floor(daysBetween(ROUND_EPOCH, date) / ROUND_DAYS);
  const startsOn = addDays(ROUND_EPOCH, index * ROUND_DAYS);
  return { startsOn, endsOn: addDays(startsOn, ROUND_DAYS - 1) };
}

/** The latest round whose last day is before `today` (today's round has not ended yet). */
export function lastEndedRound(today: string): Round {
  return roundOf(addDays(roundOf(today).startsOn, -1));
}

/** A round's first day. */
export function isRoundStart(date: string): boolean {
  return isDate(date) && roundOf(date).startsOn === date;
}

function roundDocId(classId: string, startsOn: string): string {
  return `${classId}:${startsOn}`;
}

function reportLink(classId: string, startsOn: string, studentId: string): string {
  return `report:${classId}:${startsOn}:${studentId}`;
}

/** The class and round of a report link; null for any other link. */
function parseReportLink(link: string): { classId: string; startsOn: string } | null {
  const parts = link.split(':');
  if (parts.length < 4 || parts[0] !== 'report') return null;
  const startsOn = parts[parts.length - 2] ?? '';
  const classId = parts.slice(1, -2).join(':');
  return classId && isDate(startsOn) ? { classId, startsOn } : null;
}

// --- The report's text ----------------------------------------------------------------------------

/** "1 урок", "3 урока", "5 уроков". */
const lessonsText = (n: number): string => `${n} ${plural(n, 'урок', 'урока', 'уроков')}`;

/** Five-point marks count in the average; "зачёт", "н/а", "осв" are listed only. */
function isNumericMark(value: string): boolean {
  return /^\d+$/.test(value);
}

/** The arithmetic average rounded to 2 decimals, with a decimal comma ("4,33", "4,5", "5"). */
export function averageText(values: number[]): string {
  const sum = values.reduce((total, v) => total + v, 0);
  return String(Math.round((sum / values.length) * 100) / 100).replace('.', ',');
}

export interface ReportInput {
  studentName: string;
  round: Round;
  /** The child's marks copy (null when none). */
  marks: Pick<MarksCopy, 'marks'> | null;
  /** The child's absences copy (null when none). */
  absences: Pick<AbsenceCopy, 'lessons'> | null;
  /** Subject names by subject id (a subject missing here is shown by its key or a generic name). */
  subjectNames: Record<string, string>;
}

/**
 * One child's report of a round, in Russian: each subject with marks (in date order) and its
 * average, then the lessons missed and how many of them without a good reason. Reads only the
 * child's own copies.
 */
export function composeReport(input: ReportInput): { title: string; body: string } {
  const { round } = input;
  const inRound = (date: string): boolean => date >= round.startsOn && date <= round.endsOn;
  const marks = (input.marks?.marks ?? [])
    .filter((m) => m.active && m.value && inRound(m.date))
    .sort((a, b) => a.date.localeCompare(b.date) || a.lessonId.localeCompare(b.lessonId));
  const bySubject = new Map<string, string[]>();
  for (const m of marks) {
    const name = input.subjectNames[m.subjectId] || 'Предмет';
    bySubject.set(name, [...(bySubject.get(name) ?? []), m.value]);
  }
  const lines: string[] = [];
  if (bySubject.size === 0) lines.push('Отметок за эти две недели нет.');
  else lines.push('Отметки:');
  for (const name of [...bySubject.keys()].sort((a, b) => a.localeCompare(b, 'ru'))) {
    const values = bySubject.get(name) ?? [];
    const numeric = values.filter(isNumericMark).map(Number);
    const average = numeric.length > 0 ? ` — средний балл ${averageText(numeric)}` : '';
    lines.push(`${name}: ${values.join(', ')}${average}`);
  }
  const absences = (input.absences?.lessons ?? []).filter((l) => l.absent && inRound(l.date));
  const unexcused = absences.filter((l) => l.unexcused).length;
  if (absences.length === 0) lines.push('Пропусков уроков нет.');
  else
    lines.push(`Пропущено: ${lessonsText(absences.length)}, из них без уважительной причины: ${unexcused}.`);
  return {
    title: `Отчёт об успеваемости: ${input.studentName}, ${dayInWords(round.startsOn)} – ${dayInWords(round.endsOn)}`,
    body: lines.join('\n'),
  };
}

/** Reads the child's copies and composes the report. */
async function reportOf(
  reader: DocReader,
  studentId: string,
  round: Round,
): Promise<{ title: string; body: string }> {
  const marks = await reader.get('marks', studentId);
  const subjectNames: Record<string, string> = {};
  for (const subjectId of sortedIds((marks?.marks ?? []).map((m) => m.subjectId))) {
    const subject = await reader.get('subjects', subjectId);
    subjectNames[subjectId] = subject?.name || subject?.key || '';
  }
  return composeReport({
    studentName: (await reader.get('people', studentId))?.displayName || 'Ученик',
    round,
    marks,
    absences: await reader.get('absences', studentId),
    subjectNames,
  });
}

// --- Sending a round ------------------------------------------------------------------------------

/**
 * Tells the guardians of every open class of the school the round that ended before today (in the
 * school's zone): one intent per child and active guardian, and the class's ProgressRoundDoc. A
 * class whose round is already written is skipped, so a rerun tells nobody and puts nothing. The
 * caller hands the intents to the delivery engine in the same unit.
 */
export async function runProgressRound(
  tx: UnitTx,
  input: { schoolId: string; now: Date },
): Promise<{ intents: NotificationIntent[]; rounds: ProgressRoundDoc[] }> {
  const school = await tx.get('schools', input.schoolId);
  if (!school) return { intents: [], rounds: [] };
  const round = lastEndedRound(localDate(input.now, school.timeZone || FALLBACK_TIME_ZONE));
  const intents: NotificationIntent[] = [];
  const rounds: ProgressRoundDoc[] = [];
  for (const classId of school.classIds) {
    const schoolClass = await tx.get('classes', classId);
    if (!schoolClass || schoolClass.status !== 'open') continue;
    if (await tx.get('progress', roundDocId(classId, round.startsOn))) continue;
    const sent = await classRound(tx, school, schoolClass, round, input.now);
    tx.put('progress', sent.doc);
    rounds.push(sent.doc);
    intents.push(...sent.intents);
  }
  return { intents, rounds };
}

/** The class's students on the round's last day. */
async function studentsOnLastDay(
  reader: DocReader,
  schoolClass: ClassCopy,
  round: Round,
): Promise<StudentCopy[]> {
  const students: StudentCopy[] = [];
  for (const id of schoolClass.studentIds) {
    const student = await reader.get('students', id);
    if (student && classOn(student, round.endsOn) === schoolClass._id) students.push(student);
  }
  return students;
}

async function classRound(
  tx: UnitTx,
  school: SchoolCopy,
  schoolClass: ClassCopy,
  round: Round,
  now: Date,
): Promise<{ doc: ProgressRoundDoc; intents: NotificationIntent[] }> {
  const at = now.toISOString();
  const doc: ProgressRoundDoc = {
    _id: roundDocId(schoolClass._id, round.startsOn),
    classId: schoolClass._id,
    schoolId: school._id,
    startsOn: round.startsOn,
    endsOn: round.endsOn,
    rows: [],
    createdAt: at,
  };
  const intents: NotificationIntent[] = [];
  for (const student of await studentsOnLastDay(tx, schoolClass, round)) {
    const guardianIds = guardiansOf(student);
    if (guardianIds.length === 0) continue;
    const text = await reportOf(tx, student._id, round);
    for (const guardianId of guardianIds) {
      const intent: NotificationIntent = {
        eventId: `progress:${schoolClass._id}:${round.startsOn}`,
        trigger: 'progress_report',
        recipientId: guardianId,
        studentId: student._id,
        schoolId: school._id,
        schoolName: school.name,
        timeZone: school.timeZone || FALLBACK_TIME_ZONE,
        title: text.title,
        body: text.body,
        link: reportLink(schoolClass._id, round.startsOn, student._id),
        occurredAt: at,
      };
      intents.push(intent);
      doc.rows.push({
        reportId: `${doc._id}:${student._id}:${guardianId}`,
        studentId: student._id,
        guardianId,
        notificationId: notificationId(intent),
        sentAt: at,
        openedAt: '',
      });
    }
  }
  return { doc, intents };
}

// --- Opened ---------------------------------------------------------------------------------------

/**
 * Marks the reports among the inbox entries (just read) opened; only the first opening counts, and
 * nothing is put when nothing changes.
 */
export async function markOpened(tx: UnitTx, entries: InboxEntry[], now: Date): Promise<void> {
  const byRound = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (entry.trigger !== 'progress_report') continue;
    const report = parseReportLink(entry.link);
    if (!report) continue;
    const id = roundDocId(report.classId, report.startsOn);
    byRound.set(id, (byRound.get(id) ?? new Set()).add(entry.id));
  }
  for (const [id, notificationIds] of [...byRound].sort(([a], [b]) => a.localeCompare(b))) {
    const doc = await tx.get('progress', id);
    if (!doc) continue;
    let changed = false;
    const rows = doc.rows.map((row) => {
      if (row.openedAt || !notificationIds.has(row.notificationId)) return row;
      changed = true;
      return { ...row, openedAt: now.toISOString() };
    });
    if (changed) tx.put('progress', { ...doc, rows });
  }
}

// --- The class teacher's view ---------------------------------------------------------------------

export interface ProgressReportRowView {
  reportId: string;
  studentId: string;
  studentName: string;
  guardianId: string;
  guardianName: string;
  sentAt: string;
  /** '' while not opened. */
  openedAt: string;
}

export interface ProgressReportsView {
  classId: string;
  roundStartsOn: string;
  roundEndsOn: string;
  rows: ProgressReportRowView[];
  notOpened: number;
}

export interface ProgressQueryDeps {
  reader: DocReader;
  authorize: Authorize;
  now: () => Date;
}

/** The roles that see every class's reports of their school. */
const SCHOOL_HEADS = ['director', 'deputy', 'schoolAdmin'];

/** The class teacher of the class (with a role in its school), or a head of its school. */
export function readsClassReports(actor: Actor, schoolClass: ClassCopy | null): boolean {
  if (!schoolClass?.schoolId) return false;
  const rolesThere = actor.schoolRoles.filter((r) => r.schoolId === schoolClass.schoolId);
  if (rolesThere.some((r) => SCHOOL_HEADS.includes(r.role))) return true;
  return rolesThere.length > 0 && !!actor.personId && actor.personId === schoolClass.classTeacherId;
}

function validateQuery(input: { classId: string; roundStartsOn: string }): void {
  const errors: FieldError[] = [];
  if (!input.classId.trim()) errors.push({ field: 'class_id', message: 'укажите класс' });
  if (input.roundStartsOn && !isDate(input.roundStartsOn)) {
    errors.push({ field: 'round_starts_on', message: 'дата — в виде ГГГГ-ММ-ДД' });
  } else if (input.roundStartsOn && !isRoundStart(input.roundStartsOn)) {
    const round = roundOf(input.roundStartsOn);
    errors.push({
      field: 'round_starts_on',
      message: `отчётный период начинается с понедельника: укажите первый день периода, ${formatDate(round.startsOn)}`,
    });
  }
  if (errors.length > 0) throw invalid(PROGRESS_INVALID, 'Запрос заполнен с ошибками', errors);
}

/**
 * A class's reports of a round ('' = the latest round that has ended in the school's zone): who was
 * sent what and who has not opened it. The class teacher and the school's heads only; an unknown
 * class is refused like a foreign one.
 */
export async function listProgressReports(
  deps: ProgressQueryDeps,
  actor: Actor,
  input: { classId: string; roundStartsOn: string },
): Promise<ProgressReportsView> {
  validateQuery(input);
  const schoolClass = await deps.reader.get('classes', input.classId);
  deps.authorize(actor, readsClassReports(actor, schoolClass), {
    action: 'progress.list',
    object: `class:${input.classId}`,
  });
  const round = input.roundStartsOn
    ? roundOf(input.roundStartsOn)
    : lastEndedRound(localDate(deps.now(), await schoolZone(deps.reader, schoolClass?.schoolId ?? '')));
  const doc = await deps.reader.get('progress', roundDocId(input.classId, round.startsOn));
  const names = new Map<string, string>();
  const nameOf = async (id: string): Promise<string> => {
    if (!names.has(id)) names.set(id, (await deps.reader.get('people', id))?.displayName ?? '');
    return names.get(id) ?? '';
  };
  const rows: ProgressReportRowView[] = [];
  for (const row of doc?.rows ?? []) {
    rows.push({
      reportId: row.reportId,
      studentId: row.studentId,
      studentName: await nameOf(row.studentId),
      guardianId: row.guardianId,
      guardianName: await nameOf(row.guardianId),
      sentAt: row.sentAt,
      openedAt: row.openedAt,
    });
  }
  rows.sort(
    (a, b) =>
      a.studentName.localeCompare(b.studentName, 'ru') ||
      a.studentId.localeCompare(b.studentId) ||
      a.guardianName.localeCompare(b.guardianName, 'ru') ||
      a.guardianId.localeCompare(b.guardianId),
  );
  return {
    classId: input.classId,
    roundStartsOn: round.startsOn,
    roundEndsOn: round.endsOn,
    rows,
    notOpened: rows.filter((r) => !r.openedAt).length,
  };
}

async function schoolZone(reader: DocReader, schoolId: string): Promise<string> {
  const school = schoolId ? await reader.get('schools', schoolId) : null;
  return school?.timeZone || FALLBACK_TIME_ZONE;
}
