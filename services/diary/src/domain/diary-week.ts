import { addDays } from '@edu/kit';
import {
  inDays,
  lessonView,
  shortName,
  studentHomework,
  studentMarks,
  type ClassLesson,
  type HomeworkView,
  type LessonView,
  type MarkView,
  type StudentCardView,
  type ViewOptions,
} from './diary-queries';
import type { CalendarDoc, SchoolEventDoc, StudentDoc } from './model';

// A student's week as the diary shows it, pure: the seven days with their lessons and events,
// homework due on a day and the newest marks (the home page), and the extract's file name.

export const WEEKDAY_NAMES = [
  'Понедельник',
  'Вторник',
  'Среда',
  'Четверг',
  'Пятница',
  'Суббота',
  'Воскресенье',
];

export interface EventView {
  eventId: string;
  kindName: string;
  title: string;
  description: string;
  startsOn: string;
  endsOn: string;
  startsAt: string;
  endsAt: string;
  place: string;
  /** "school" or "class". */
  scope: string;
  status: string;
}

export interface DayView {
  date: string;
  weekday: number;
  weekdayName: string;
  lessons: LessonView[];
  events: EventView[];
}

export interface WeekView {
  student: StudentCardView;
  startsOn: string;
  endsOn: string;
  days: DayView[];
}

// --- Events -------------------------------------------------------------------------------------

export function eventView(event: SchoolEventDoc): EventView {
  return {
    eventId: event.eventId,
    kindName: event.kindName,
    title: event.title,
    description: event.description,
    startsOn: event.startsOn,
    endsOn: event.endsOn || event.startsOn,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    place: event.place,
    scope: event.scope === 'school' ? 'school' : 'class',
    status: event.status,
  };
}

/** The events of a day the student takes part in: the school's, their class's, theirs. */
export function eventsOn(date: string, calendars: CalendarDoc[], student: StudentDoc): EventView[] {
  const classId = student.classStints.find((s) => inDays(date, s))?.classId ?? '';
  const seen = new Set<string>();
  const events: SchoolEventDoc[] = [];
  for (const calendar of calendars) {
    for (const event of calendar.events) {
      if (seen.has(event.eventId)) continue;
      if (date < event.startsOn || date > (event.endsOn || event.startsOn)) continue;
      const inScope = event.scope === 'school' || (classId !== '' && event.classIds.includes(classId));
      const takesPart = event.participantIds.length === 0 || event.participantIds.includes(student._id);
      if (!inScope || !takesPart) continue;
      seen.add(event.eventId);
      events.push(event);
    }
  }
  return events
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.title.localeCompare(b.title, 'ru'))
    .map(eventView);
}

// --- The week ------------------------------------------------------------------------------------

/**
 * A student's week, Monday to Sunday: per day their lessons in order and the events. `lessons` are
 * the student's lessons of the week; `pool` every loaded lesson (due dates look ahead into it).
 */
export function weekView(input: {
  monday: string;
  card: StudentCardView;
  student: StudentDoc;
  lessons: ClassLesson[];
  pool: ClassLesson[];
  calendars: CalendarDoc[];
  options: ViewOptions;
}): WeekView {
  const days: DayView[] = [];
  for (let i = 0; i < 7; i += 1) {
    const date = addDays(input.monday, i);
    days.push({
      date,
      weekday: i + 1,
      weekdayName: WEEKDAY_NAMES[i] ?? '',
      lessons: input.lessons
        .filter((l) => l.lesson.date === date)
        .map((l) => lessonView(l, input.pool, input.options)),
      events: eventsOn(date, input.calendars, input.student),
    });
  }
  return { student: input.card, startsOn: input.monday, endsOn: addDays(input.monday, 6), days };
}

/** Homework due on a day, from the student's lessons (due dates computed against `pool`). */
export function homeworkDue(
  date: string,
  lessons: ClassLesson[],
  pool: ClassLesson[],
  studentId: string,
): HomeworkView[] {
  return lessons
    .flatMap((l) => studentHomework(l.lesson, l.classId, studentId, pool))
    .filter((h) => h.dueDate === date);
}

/** The newest active marks posted since `since` (ISO instant), newest first, at most `limit`. */
export function newestMarks(
  lessons: ClassLesson[],
  studentId: string,
  since: string,
  limit: number,
  showCorrectionReasons: boolean,
): MarkView[] {
  return lessons
    .flatMap((l) => studentMarks(l.lesson, studentId, showCorrectionReasons))
    .filter((m) => m.status === 'active' && m.postedAt >= since)
    .sort((a, b) => b.postedAt.localeCompare(a.postedAt) || b.date.localeCompare(a.date))
    .slice(0, limit);
}

/** ASCII file name of a week extract: `dnevnik-ivanova-a-p-2026-11-23.pdf`. */
export function extractFileName(displayName: string, monday: string): string {
  const slug = transliterate(shortName(displayName).toLowerCase())
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug ? `dnevnik-${slug}-${monday}.pdf` : `dnevnik-${monday}.pdf`;
}

const TRANSLIT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
};

/** Russian letters in Latin (ICAO 9303, as in the foreign passport). */
export function transliterate(text: string): string {
  return [...text].map((c) => TRANSLIT[c] ?? c).join('');
}
