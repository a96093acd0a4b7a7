import { addDays, formatDate, localDate } from '@edu/kit';
import {
  DEFAULT_LOW_MARK_THRESHOLD,
  FALLBACK_TIME_ZONE,
  classOn,
  guardiansOf,
  read,
  sortedIds,
  type MarkFact,
  type NotificationFact,
  type RecordLesson,
  type ScheduleLesson,
  type SourceRef,
} from './copies';
import type { NotificationIntent, StudentCopy, Trigger } from './model';
import type { CopyReader } from './ports';

// The triggers: a fact and the copies (with the fact applied) → who is told what. Deterministic in
// (copies, fact, now): the same event handled twice gives the same intents, which the delivery
// engine recognises by (event id, trigger, recipient, student). A guardian is told only about
// their own child and only while the link is active with consent; a text for a guardian or a
// student names no other child. "Today" and "tomorrow" are the school's days in its zone at `now`.
//
// Links (what a client opens):
//   diary:week:<student>:<YYYY-MM-DD>    the student's diary week holding that day
//   diary:marks:<student>:<year>         the student's period, year, exam and final marks
//   journal:lesson:<lesson>              the journal page of a lesson (staff)
//   journal:attendance:<class>:<student> a student's attendance in the class journal (staff)
//   calendar:event:<event>               a school event
//
// Fan-out: a class-wide fact (homework, timetable change) reaches the class's (or the subgroup's)
// students on the day and each one's guardians — about 25 students and 50 guardians. A school
// event of scope "school" reaches the students and guardians of every open class of the school
// (a school of 1,000 students: about 3,000 intents, one per person; a guardian of two children
// there is told once). A school's classes and a class's students come from the copies, so a class
// roster has not told yet is missed.

/** Unexcused absences in this many days (ending today) make repeated absence (R7.2). */
export const REPEATED_ABSENCE_DAYS = 14;
/** …when there are at least this many. */
export const REPEATED_ABSENCE_COUNT = 3;
/** Homework texts are cut to this many characters. */
const HOMEWORK_TEXT_LIMIT = 300;

interface SchoolView {
  id: string;
  name: string;
  timeZone: string;
  lowMarkThreshold: number;
  staffPositionIds: string[];
  classIds: string[];
}

/** What every intent of one fact shares. */
interface Context {
  copies: CopyReader;
  school: SchoolView;
  source: SourceRef;
  today: string;
  tomorrow: string;
  intents: NotificationIntent[];
}

/** The intents of a fact (none for facts that only keep copies), in a stable order. */
export async function intentsOf(
  copies: CopyReader,
  fact: NotificationFact,
  now: Date,
): Promise<NotificationIntent[]> {
  const schoolId = schoolOfFact(fact);
  if (schoolId === null || !('source' in fact)) return [];
  const school = await schoolView(copies, schoolId);
  const today = localDate(now, school.timeZone);
  const ctx: Context = {
    copies,
    school,
    source: fact.source,
    today,
    tomorrow: addDays(today, 1),
    intents: [],
  };
  switch (fact.kind) {
    case 'marksPosted':
      await marksPosted(ctx, fact.lesson, fact.marks);
      break;
    case 'markCorrected':
      await markCorrected(ctx, fact.lesson, fact.mark, fact.previousValue);
      break;
    case 'attendance':
      await absences(ctx, fact.lesson, fact.changed);
      break;
    case 'absenceReason':
      await repeatedAbsence(ctx, fact.lesson, fact.attendance);
      break;
    case 'homework':
      await homeworkTomorrow(ctx, fact.lesson, fact.homework);
      break;
    case 'periodMark':
      await periodMark(ctx, fact.mark, fact.previousValue, fact.corrected);
      break;
    case 'timetableChange':
      await timetableChanged(ctx, fact.change, fact.lesson, fact.changed);
      break;
    case 'schoolEvent':
      await schoolEvent(ctx, fact.action, fact.change, fact.event);
      break;
  }
  return unique(ctx.intents);
}

function schoolOfFact(fact: NotificationFact): string | null {
  switch (fact.kind) {
    case 'marksPosted':
    case 'markCorrected':
    case 'attendance':
    case 'absenceReason':
    case 'homework':
    case 'timetableChange':
      return fact.lesson.schoolId;
    case 'periodMark':
      return fact.mark.schoolId;
    case 'schoolEvent':
      return fact.event.schoolId;
    default:
      return null;
  }
}

async function schoolView(copies: CopyReader, schoolId: string): Promise<SchoolView> {
  const school = await read(copies, 'schools', schoolId);
  return {
    id: schoolId,
    name: school?.name ?? '',
    timeZone: school?.timeZone || FALLBACK_TIME_ZONE,
    lowMarkThreshold: school?.lowMarkThreshold ?? DEFAULT_LOW_MARK_THRESHOLD,
    staffPositionIds: school?.staffPositionIds ?? [],
    classIds: school?.classIds ?? [],
  };
}

/** One intent per (trigger, recipient, student), sorted by recipient, student, trigger. */
function unique(intents: NotificationIntent[]): NotificationIntent[] {
  const seen = new Map<string, NotificationIntent>();
  for (const intent of intents) {
    const key = `${intent.trigger}|${intent.recipientId}|${intent.studentId}`;
    if (!seen.has(key)) seen.set(key, intent);
  }
  return [...seen.values()].sort(
    (a, b) =>
      a.recipientId.localeCompare(b.recipientId) ||
      a.studentId.localeCompare(b.studentId) ||
      a.trigger.localeCompare(b.trigger),
  );
}

function tell(
  ctx: Context,
  trigger: Trigger,
  recipientId: string,
  studentId: string,
  text: { title: string; body: string; link: string },
): void {
  if (!recipientId) return;
  ctx.intents.push({
    eventId: ctx.source.eventId,
    trigger,
    recipientId,
    studentId,
    schoolId: ctx.school.id,
    schoolName: ctx.school.name,
    timeZone: ctx.school.timeZone,
    title: text.title,
    body: text.body,
    link: text.link,
    occurredAt: ctx.source.occurredAt,
  });
}

/** The student and each guardian who may be told about them. */
async function studentAndGuardians(ctx: Context, studentId: string): Promise<string[]> {
  const student = await read(ctx.copies, 'students', studentId);
  return [studentId, ...guardiansOf(student)];
}

// --- Names ----------------------------------------------------------------------------------------

async function personName(copies: CopyReader, id: string, fallback: string): Promise<string> {
  return (await read(copies, 'people', id))?.displayName || fallback;
}

function studentName(ctx: Context, studentId: string): Promise<string> {
  return personName(ctx.copies, studentId, 'Ученик');
}

async function subjectName(ctx: Context, subjectId: string, subjectKey: string): Promise<string> {
  return (await read(ctx.copies, 'subjects', subjectId))?.name || subjectKey || 'урок';
}

function lowerFirst(text: string): string {
  return text ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function upperFirst(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** "3 пропуска", "5 пропусков", "1 пропуск". */
function absencesText(n: number): string {
  const tens = n % 100;
  const ones = n % 10;
  const word =
    tens >= 11 && tens <= 14
      ? 'пропусков'
      : ones === 1
        ? 'пропуск'
        : ones >= 2 && ones <= 4
          ? 'пропуска'
          : 'пропусков';
  return `${n} ${word}`;
}

function lessonNumberText(n: number): string {
  return n > 0 ? `, ${n}-й урок` : '';
}

function cut(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

function diaryWeek(studentId: string, date: string): string {
  return `diary:week:${studentId}:${date}`;
}

// --- Audiences ------------------------------------------------------------------------------------

/** The class's students on a day, sorted. */
async function studentsOfClass(ctx: Context, classId: string, day: string): Promise<StudentCopy[]> {
  const schoolClass = await read(ctx.copies, 'classes', classId);
  const students: StudentCopy[] = [];
  for (const id of schoolClass?.studentIds ?? []) {
    const student = await read(ctx.copies, 'students', id);
    if (student && classOn(student, day) === classId) students.push(student);
  }
  return students;
}

/** A lesson's students on its day: the subgroup's members when the copy knows it, else the class's. */
async function studentsOfLesson(
  ctx: Context,
  lesson: { classId: string; subgroupId: string },
  day: string,
): Promise<StudentCopy[]> {
  const students = await studentsOfClass(ctx, lesson.classId, day);
  const subgroup = await read(ctx.copies, 'subgroups', lesson.subgroupId);
  if (!subgroup || subgroup.status !== 'open') return students;
  const members = new Set(subgroup.memberIds);
  return students.filter((s) => members.has(s._id));
}

// --- Marks ----------------------------------------------------------------------------------------

function markText(mark: MarkFact): string {
  return mark.workTypeName ? `${mark.value} (${lowerFirst(mark.workTypeName)})` : mark.value;
}

/** A five-point mark at or below the school's threshold (pass/fail and special values never are). */
function isLow(value: string, threshold: number): boolean {
  return /^\d+$/.test(value) && Number(value) <= threshold;
}

/** Each student's new marks, to the student and their guardians; low ones also to the class teacher. */
async function marksPosted(ctx: Context, lesson: RecordLesson, marks: MarkFact[]): Promise<void> {
  const subject = await subjectName(ctx, lesson.subjectId, lesson.subjectKey);
  const date = formatDate(lesson.date);
  const byStudent = new Map<string, MarkFact[]>();
  for (const mark of marks) {
    if (!mark.studentId || !mark.value) continue;
    byStudent.set(mark.studentId, [...(byStudent.get(mark.studentId) ?? []), mark]);
  }
  const schoolClass = await read(ctx.copies, 'classes', lesson.classId);
  for (const studentId of sortedIds(byStudent.keys())) {
    const own = byStudent.get(studentId) ?? [];
    const name = await studentName(ctx, studentId);
    const recipients = await studentAndGuardians(ctx, studentId);
    const values = own.map((m) => m.value).join(', ');
    const posted = {
      title: own.length === 1 ? `Новая отметка: ${values}` : `Новые отметки: ${values}`,
      body: `${name}: ${own.map(markText).join(', ')} по предмету «${subject}» за урок ${date}.`,
      link: diaryWeek(studentId, lesson.date),
    };
    for (const recipient of recipients) tell(ctx, 'mark_posted', recipient, studentId, posted);

    const low = own.filter((m) => isLow(m.value, ctx.school.lowMarkThreshold));
    if (low.length === 0) continue;
    const lowValues = low.map((m) => m.value).join(', ');
    const inClass = schoolClass?.name ? ` (${schoolClass.name})` : '';
    const lowText = {
      title: `Низкая отметка: ${lowValues}`,
      body: `${name}${inClass}: ${low.map(markText).join(', ')} по предмету «${subject}» за урок ${date}.`,
    };
    for (const recipient of recipients) {
      tell(ctx, 'low_mark', recipient, studentId, { ...lowText, link: diaryWeek(studentId, lesson.date) });
    }
    tell(ctx, 'low_mark', schoolClass?.classTeacherId ?? '', studentId, {
      ...lowText,
      link: `journal:lesson:${lesson.lessonId}`,
    });
  }
}

/** A corrected mark, old → new (never the reason), to the student and their guardians. */
async function markCorrected(
  ctx: Context,
  lesson: RecordLesson,
  mark: MarkFact,
  previousValue: string,
): Promise<void> {
  if (!mark.studentId) return;
  const subject = await subjectName(ctx, lesson.subjectId, lesson.subjectKey);
  const name = await studentName(ctx, mark.studentId);
  const text = {
    title: `Отметка исправлена: ${previousValue} → ${mark.value}`,
    body: `${name}: отметка по предмету «${subject}» за урок ${formatDate(lesson.date)} исправлена с ${previousValue} на ${mark.value}.`,
    link: diaryWeek(mark.studentId, lesson.date),
  };
  for (const recipient of await studentAndGuardians(ctx, mark.studentId)) {
    tell(ctx, 'mark_corrected', recipient, mark.studentId, text);
  }
}

/** The period, year, exam or final mark (R6.4), to the student and their guardians. */
async function periodMark(
  ctx: Context,
  mark: Extract<NotificationFact, { kind: 'periodMark' }>['mark'],
  previousValue: string,
  corrected: boolean,
): Promise<void> {
  if (!mark.studentId || !mark.value) return;
  const subject = await subjectName(ctx, mark.subjectId, mark.subjectKey);
  const name = await studentName(ctx, mark.studentId);
  const label =
    mark.kind === 'period'
      ? `отметка за ${mark.period}-й учебный период`
      : mark.kind === 'year'
        ? 'годовая отметка'
        : mark.kind === 'exam'
          ? 'экзаменационная отметка'
          : mark.kind === 'final'
            ? 'итоговая отметка'
            : 'отметка';
  const wasCorrected = corrected && previousValue !== '';
  const text = wasCorrected
    ? {
        title: `${upperFirst(label)} исправлена: ${previousValue} → ${mark.value}`,
        body: `${name}: ${label} по предмету «${subject}» исправлена с ${previousValue} на ${mark.value}.`,
      }
    : {
        title: `${upperFirst(label)}: ${mark.value}`,
        body: `${name}: ${label} по предмету «${subject}» — ${mark.value}.`,
      };
  const link = `diary:marks:${mark.studentId}:${mark.academicYearId}`;
  for (const recipient of await studentAndGuardians(ctx, mark.studentId)) {
    tell(ctx, 'period_mark', recipient, mark.studentId, { ...text, link });
  }
}

// --- Attendance -----------------------------------------------------------------------------------

/** Students marked absent now (changed to "absent"), to their guardians. */
async function absences(
  ctx: Context,
  lesson: RecordLesson,
  changed: { studentId: string; kind: string }[],
): Promise<void> {
  const absent = sortedIds(changed.filter((a) => a.kind === 'absent').map((a) => a.studentId));
  if (absent.length === 0) return;
  const subject = await subjectName(ctx, lesson.subjectId, lesson.subjectKey);
  for (const studentId of absent) {
    const name = await studentName(ctx, studentId);
    const student = await read(ctx.copies, 'students', studentId);
    const text = {
      title: 'Отсутствие на уроке',
      body: `${name} отсутствовал(а) на уроке «${subject}» ${formatDate(lesson.date)}${lessonNumberText(lesson.lessonNumber)}.`,
      link: diaryWeek(studentId, lesson.date),
    };
    for (const guardianId of guardiansOf(student)) tell(ctx, 'absence', guardianId, studentId, text);
  }
}

/**
 * An absence found unexcused: when the student has REPEATED_ABSENCE_COUNT or more unexcused
 * absences (lessons) in the REPEATED_ABSENCE_DAYS days ending today, and this one is among them,
 * the class teacher and the school's deputies are told (R7.2). Each further unexcused absence in
 * the window tells them again, with the new count; an old absence found unexcused late does not.
 */
async function repeatedAbsence(
  ctx: Context,
  lesson: RecordLesson,
  attendance: { studentId: string; kind: string; reason: string },
): Promise<void> {
  if (attendance.kind !== 'absent' || attendance.reason !== 'unexcused') return;
  const from = addDays(ctx.today, -(REPEATED_ABSENCE_DAYS - 1));
  if (lesson.date < from || lesson.date > ctx.today) return;
  const copy = await read(ctx.copies, 'absences', attendance.studentId);
  const count = (copy?.lessons ?? []).filter(
    (l) => l.unexcused && l.date >= from && l.date <= ctx.today,
  ).length;
  if (count < REPEATED_ABSENCE_COUNT) return;

  const schoolClass = await read(ctx.copies, 'classes', lesson.classId);
  const recipients = [schoolClass?.classTeacherId ?? '', ...(await deputiesOf(ctx))];
  const name = await studentName(ctx, attendance.studentId);
  const inClass = schoolClass?.name ? ` (${schoolClass.name})` : '';
  const text = {
    title: 'Пропуски уроков без уважительной причины',
    body: `${name}${inClass}: ${absencesText(count)} уроков без уважительной причины с ${formatDate(from)} по ${formatDate(ctx.today)}.`,
    link: `journal:attendance:${lesson.classId}:${attendance.studentId}`,
  };
  for (const recipient of sortedIds(recipients)) {
    tell(ctx, 'repeated_absence', recipient, attendance.studentId, text);
  }
}

/** The school's deputies now (active positions of kind "deputy"). */
async function deputiesOf(ctx: Context): Promise<string[]> {
  const ids: string[] = [];
  for (const positionId of ctx.school.staffPositionIds) {
    const position = await read(ctx.copies, 'staff', positionId);
    if (position?.kind === 'deputy' && position.status === 'active') ids.push(position.personId);
  }
  return sortedIds(ids);
}

// --- Homework -------------------------------------------------------------------------------------

/**
 * Homework due tomorrow (in the school's zone): the general one to the lesson's students (the
 * subgroup's when known) and their guardians, an individual one to its student and their guardians
 * only. Homework without a due date, or due another day, tells nobody.
 */
async function homeworkTomorrow(
  ctx: Context,
  lesson: RecordLesson,
  homework: { text: string; dueDate: string; studentId: string }[],
): Promise<void> {
  const due = homework.filter((h) => h.dueDate === ctx.tomorrow && h.text.trim() !== '');
  if (due.length === 0) return;
  const texts = new Map<string, string[]>();
  const add = (studentId: string, text: string): void => {
    texts.set(studentId, [...(texts.get(studentId) ?? []), text]);
  };
  for (const h of due) {
    if (h.studentId) add(h.studentId, h.text);
    else for (const s of await studentsOfLesson(ctx, lesson, ctx.tomorrow)) add(s._id, h.text);
  }
  const subject = await subjectName(ctx, lesson.subjectId, lesson.subjectKey);
  for (const studentId of sortedIds(texts.keys())) {
    const name = await studentName(ctx, studentId);
    const tasks = (texts.get(studentId) ?? []).map((t) => cut(t, HOMEWORK_TEXT_LIMIT)).join(' ');
    const text = {
      title: `Домашнее задание на ${formatDate(ctx.tomorrow)}`,
      body: `${name}, «${subject}»: ${tasks}`,
      link: diaryWeek(studentId, ctx.tomorrow),
    };
    for (const recipient of await studentAndGuardians(ctx, studentId)) {
      tell(ctx, 'homework_tomorrow', recipient, studentId, text);
    }
  }
}

// --- Timetable ------------------------------------------------------------------------------------

const CHANGE_NAMES: Record<string, string> = {
  date: 'день',
  time: 'время',
  teacher: 'учитель',
  room: 'кабинет',
  subject: 'предмет',
};

/**
 * A lesson cancelled, rescheduled or given a substitute, when it is (or was moved from) today or
 * tomorrow in the school's zone: to the lesson's students (the subgroup's when known) and their
 * guardians. Changes further ahead are read in the diary, not told.
 */
async function timetableChanged(
  ctx: Context,
  change: 'cancelled' | 'rescheduled' | 'substituted',
  lesson: ScheduleLesson,
  changed: string[],
): Promise<void> {
  const soon = (day: string): boolean => day === ctx.today || day === ctx.tomorrow;
  if (!soon(lesson.date) && !(lesson.movedFromDate && soon(lesson.movedFromDate))) return;
  const subject = lesson.subjectName || (await subjectName(ctx, lesson.subjectId, lesson.subjectKey));
  const date = formatDate(lesson.date);
  const number = lessonNumberText(lesson.lessonNumber);
  const time = lesson.startsAt ? `, ${lesson.startsAt}${lesson.endsAt ? `–${lesson.endsAt}` : ''}` : '';
  const room = lesson.room ? `, кабинет ${lesson.room}` : '';
  let title: string;
  let body: string;
  if (change === 'cancelled') {
    title = 'Урок отменён';
    body = `Урок «${subject}» ${date}${number} отменён.`;
  } else if (change === 'substituted') {
    const teacher = await personName(ctx.copies, lesson.substituteTeacherId, '');
    title = 'Замена учителя';
    body = `Урок «${subject}» ${date}${number} проведёт ${teacher || 'другой учитель'}.`;
  } else {
    const what = sortedIds(changed.map((c) => CHANGE_NAMES[c] ?? '')).join(', ');
    const moved =
      lesson.movedFromDate && lesson.movedFromDate !== lesson.date
        ? ` перенесён с ${formatDate(lesson.movedFromDate)}`
        : ' изменён';
    title = 'Изменение в расписании';
    body = `Урок «${subject}»${moved}: ${date}${number}${time}${room}${what ? ` (изменено: ${what})` : ''}.`;
  }
  for (const student of await studentsOfLesson(ctx, lesson, lesson.date)) {
    const text = { title, body, link: diaryWeek(student._id, lesson.date) };
    for (const recipient of [student._id, ...guardiansOf(student)]) {
      tell(ctx, 'timetable_changed', recipient, student._id, text);
    }
  }
}

// --- School events --------------------------------------------------------------------------------

function eventWhen(e: { startsOn: string; endsOn: string; startsAt: string; endsAt: string }): string {
  const days =
    e.endsOn && e.endsOn !== e.startsOn
      ? `с ${formatDate(e.startsOn)} по ${formatDate(e.endsOn)}`
      : formatDate(e.startsOn);
  const time = e.startsAt ? `, ${e.startsAt}${e.endsAt ? `–${e.endsAt}` : ''}` : '';
  return `${days}${time}`;
}

/**
 * A school event scheduled, changed (its card; recorded results tell nobody) or cancelled, unless
 * it is over: to the students of its scope (the participants among them when it names some) and
 * their guardians, one intent per person (a guardian's names the first of their children there).
 */
async function schoolEvent(
  ctx: Context,
  action: 'scheduled' | 'changed' | 'cancelled',
  change: string,
  event: Extract<NotificationFact, { kind: 'schoolEvent' }>['event'],
): Promise<void> {
  if (action === 'changed' && change === 'results') return;
  if ((event.endsOn || event.startsOn) < ctx.today) return;
  const classIds = event.scope === 'school' ? ctx.school.classIds : sortedIds(event.classIds);
  const participants = new Set(event.participantIds);
  const students: string[] = [];
  const guardianChild = new Map<string, string>();
  for (const classId of classIds) {
    const schoolClass = await read(ctx.copies, 'classes', classId);
    if (!schoolClass || schoolClass.status === 'closed') continue;
    for (const student of await studentsOfClass(ctx, classId, ctx.today)) {
      if (participants.size > 0 && !participants.has(student._id)) continue;
      students.push(student._id);
      for (const guardianId of guardiansOf(student)) {
        const known = guardianChild.get(guardianId);
        if (!known || student._id < known) guardianChild.set(guardianId, student._id);
      }
    }
  }
  const what = [event.kindName, event.title].filter(Boolean).join(': ') || 'Событие';
  const place = event.place ? `, ${event.place}` : '';
  const reason = action === 'cancelled' && event.cancelReason ? ` Причина: ${event.cancelReason}.` : '';
  const text = {
    title:
      action === 'scheduled'
        ? `Событие: ${event.title || event.kindName}`
        : action === 'changed'
          ? `Изменено событие: ${event.title || event.kindName}`
          : `Отменено событие: ${event.title || event.kindName}`,
    body: `${what} — ${eventWhen(event)}${place}.${reason}`,
    link: `calendar:event:${event.eventId}`,
  };
  for (const studentId of sortedIds(students)) tell(ctx, 'school_event', studentId, studentId, text);
  for (const [guardianId, studentId] of guardianChild) tell(ctx, 'school_event', guardianId, studentId, text);
}
