import { daysBetween, type FieldError } from '@edu/kit';
import { formatDate, isDate } from './teaching-assignment';

// The events calendar (R4.2, R4.4): school and class events with their days, place, classes,
// participants and results. Never deleted: a cancelled event stays with its reason.

/** Kinds of event, each with its Russian name (a fixed list: the diary groups and filters by it). */
export const SCHOOL_EVENT_KINDS: Record<string, string> = {
  olympiad: 'Олимпиада',
  contest: 'Конкурс',
  parent_meeting: 'Родительское собрание',
  excursion: 'Экскурсия',
  celebration: 'Праздник',
  other: 'Другое',
};

export type SchoolEventScope = 'school' | 'classes';
export type SchoolEventStatus = 'scheduled' | 'cancelled';

/** What a manager writes: the whole card (Change replaces it as a whole). */
export interface SchoolEventCard {
  kind: string;
  title: string;
  description: string;
  /** YYYY-MM-DD. */
  startsOn: string;
  /** YYYY-MM-DD; the first day when one day. */
  endsOn: string;
  /** HH:MM in the school's local time; '' all day. */
  startsAt: string;
  /** HH:MM; '' not given. */
  endsAt: string;
  place: string;
  scope: SchoolEventScope;
  /** Classes of the year for scope "classes"; empty for "school". */
  classIds: string[];
  /** Roster person ids (students or staff); empty when everyone of the scope takes part. */
  participantIds: string[];
  /** A staff person of the school. */
  responsibleId: string;
}

export interface ParticipantResult {
  personId: string;
  result: string;
}

/** A warning an event was accepted with (not a refusal). */
export interface SchoolEventWarning {
  code: string;
  message: string;
}

export interface SchoolEvent extends SchoolEventCard {
  id: string;
  schoolId: string;
  academicYearId: string;
  status: SchoolEventStatus;
  cancelReason: string;
  resultsSummary: string;
  participantResults: ParticipantResult[];
  /** ISO instant; '' never recorded. */
  resultsRecordedAt: string;
  /** Entered later than the regulations' lead time. */
  lateNotice: boolean;
  warnings: SchoolEventWarning[];
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Account id. */
  updatedBy: string;
}

export const EVENT_LIMITS = {
  title: 200,
  description: 2_000,
  place: 200,
  classes: 50,
  participants: 500,
  reason: 300,
  resultsSummary: 4_000,
  result: 200,
};

/**
 * Lead time of the regulations, in calendar days before the first day: a school-wide event is
 * entered at least 2 weeks ahead, a class event 1 week ahead. Later is accepted with a warning.
 */
export const LEAD_TIME_DAYS: Record<SchoolEventScope, number> = { school: 14, classes: 7 };

/** Transfers of days (a weekend working as a weekday) are announced 3 working days ahead. */
export const TRANSFER_NOTICE_WORKING_DAYS = 3;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
// Control characters; a newline, carriage return and tab are allowed in the description and the
// results summary only.
const CONTROL_IN_LINE = /\p{Cc}/u;
const CONTROL = { test: (text: string) => CONTROL_IN_LINE.test(text.replace(/[\n\r\t]/g, '')) };

/** Whitespace collapsed and trimmed: what a one-line field is stored as. */
export function oneLine(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

export { daysBetween };

/** "1 день", "3 дня", "5 дней" (Russian plural of day). */
export function daysText(n: number): string {
  const abs = Math.abs(n);
  const lastTwo = abs % 100;
  const last = abs % 10;
  const word =
    lastTwo >= 11 && lastTwo <= 14 ? 'дней' : last === 1 ? 'день' : last >= 2 && last <= 4 ? 'дня' : 'дней';
  return `${n} ${word}`;
}

/**
 * The lead-time warning of an event entered (or moved) on `today` (the school's day), none when
 * it is early enough: a school-wide event 14 days before its first day, a class event 7.
 */
export function leadTimeWarning(
  scope: SchoolEventScope,
  startsOn: string,
  today: string,
): SchoolEventWarning | undefined {
  const required = LEAD_TIME_DAYS[scope];
  const ahead = daysBetween(today, startsOn);
  if (ahead >= required) return undefined;
  const who = scope === 'school' ? 'Общешкольное мероприятие' : 'Мероприятие класса';
  const rule = scope === 'school' ? '2 недели (14 дней)' : '1 неделю (7 дней)';
  const actual =
    ahead > 0
      ? `внесено за ${daysText(ahead)} до начала (${formatDate(startsOn)})`
      : ahead === 0
        ? `внесено в день начала (${formatDate(startsOn)})`
        : `внесено после начала (${formatDate(startsOn)}, ${daysText(-ahead)} назад)`;
  return {
    code: 'event.late_notice',
    message: `${who} по положению вносится не позднее чем за ${rule} до начала, а ${actual}: оно принято с отметкой о позднем внесении`,
  };
}

/** Whether a day is a working day: Monday–Friday outside the holidays (both ends included). */
export function isWorkingDay(date: string, holidays: { startsOn: string; endsOn: string }[]): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !holidays.some((h) => h.startsOn <= date && date <= h.endsOn);
}

/**
 * Working days strictly between the day of an announcement and the day announced (neither
 * counted): a Monday's announcement of a Saturday leaves Tuesday–Friday, 4. Zero when the day is
 * the next one or already past.
 */
export function workingDaysBetween(
  announcedOn: string,
  day: string,
  holidays: { startsOn: string; endsOn: string }[],
): number {
  let count = 0;
  for (let d = nextDay(announcedOn); d < day; d = nextDay(d)) {
    if (isWorkingDay(d, holidays)) count += 1;
  }
  return count;
}

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

/**
 * The form of a card, every problem at once (field names as in the API): kind, title, dates,
 * times, scope and classes, participants, responsible. Returns the card normalised (one-line
 * fields collapsed, the last day defaulting to the first, ids deduplicated) when it has no errors.
 */
export function cardFormErrors(input: SchoolEventCard): { card: SchoolEventCard; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const card: SchoolEventCard = {
    ...input,
    kind: input.kind.trim(),
    title: oneLine(input.title),
    description: input.description.trim(),
    place: oneLine(input.place),
    startsOn: input.startsOn.trim(),
    endsOn: input.endsOn.trim() || input.startsOn.trim(),
    startsAt: input.startsAt.trim(),
    endsAt: input.endsAt.trim(),
    classIds: [...new Set(input.classIds.map((id) => id.trim()))],
    participantIds: [...new Set(input.participantIds.map((id) => id.trim()))],
    responsibleId: input.responsibleId.trim(),
  };
  if (!SCHOOL_EVENT_KINDS[card.kind]) {
    errors.push({
      field: 'kind',
      message: `Выберите вид мероприятия: ${Object.values(SCHOOL_EVENT_KINDS).join(', ')}`,
    });
  }
  if (card.title.length === 0 || card.title.length > EVENT_LIMITS.title) {
    errors.push({ field: 'title', message: `Название — от 1 до ${EVENT_LIMITS.title} символов` });
  } else if (CONTROL_IN_LINE.test(card.title)) {
    errors.push({ field: 'title', message: 'Название содержит недопустимые символы' });
  }
  if (card.description.length > EVENT_LIMITS.description) {
    errors.push({
      field: 'description',
      message: `Описание — не длиннее ${EVENT_LIMITS.description} символов`,
    });
  } else if (CONTROL.test(card.description)) {
    errors.push({ field: 'description', message: 'Описание содержит недопустимые символы' });
  }
  if (card.place.length > EVENT_LIMITS.place) {
    errors.push({ field: 'place', message: `Место — не длиннее ${EVENT_LIMITS.place} символов` });
  } else if (CONTROL_IN_LINE.test(card.place)) {
    errors.push({ field: 'place', message: 'Место содержит недопустимые символы' });
  }
  let datesOk = true;
  for (const field of ['startsOn', 'endsOn'] as const) {
    if (!isDate(card[field])) {
      errors.push({ field, message: 'Укажите дату в виде ГГГГ-ММ-ДД' });
      datesOk = false;
    }
  }
  if (datesOk && card.endsOn < card.startsOn) {
    errors.push({ field: 'endsOn', message: 'Последний день раньше первого' });
  }
  for (const field of ['startsAt', 'endsAt'] as const) {
    if (card[field] && !TIME.test(card[field])) {
      errors.push({ field, message: 'Укажите время в виде ЧЧ:ММ' });
    }
  }
  if (card.endsAt && !card.startsAt) {
    errors.push({ field: 'startsAt', message: 'Укажите время начала, если указано время окончания' });
  } else if (
    card.startsAt &&
    card.endsAt &&
    TIME.test(card.startsAt) &&
    TIME.test(card.endsAt) &&
    card.startsOn === card.endsOn &&
    card.endsAt <= card.startsAt
  ) {
    errors.push({ field: 'endsAt', message: 'Окончание должно быть позже начала' });
  }
  if (card.scope !== 'school' && card.scope !== 'classes') {
    errors.push({ field: 'scope', message: 'Укажите охват: «school» (вся школа) или «classes» (классы)' });
  } else if (card.scope === 'school' && card.classIds.length > 0) {
    errors.push({ field: 'classIds', message: 'Для общешкольного мероприятия классы не указывают' });
  } else if (card.scope === 'classes' && card.classIds.length === 0) {
    errors.push({ field: 'classIds', message: 'Укажите хотя бы один класс' });
  }
  if (card.classIds.length > EVENT_LIMITS.classes) {
    errors.push({ field: 'classIds', message: `Не больше ${EVENT_LIMITS.classes} классов` });
  }
  if (card.classIds.some((id) => !id))
    errors.push({ field: 'classIds', message: 'Пустой идентификатор класса' });
  if (card.participantIds.length > EVENT_LIMITS.participants) {
    errors.push({ field: 'participantIds', message: `Не больше ${EVENT_LIMITS.participants} участников` });
  }
  if (card.participantIds.some((id) => !id)) {
    errors.push({ field: 'participantIds', message: 'Пустой идентификатор участника' });
  }
  if (!card.responsibleId) errors.push({ field: 'responsibleId', message: 'Укажите ответственного' });
  return { card, errors };
}

/** A cancellation's reason: 1..300 characters of one line. */
export function cancelReasonErrors(reason: string): FieldError[] {
  if (reason.length === 0 || reason.length > EVENT_LIMITS.reason) {
    return [{ field: 'reason', message: `Причина отмены — от 1 до ${EVENT_LIMITS.reason} символов` }];
  }
  return CONTROL_IN_LINE.test(reason)
    ? [{ field: 'reason', message: 'Причина содержит недопустимые символы' }]
    : [];
}

/** Results: the summary ≤ 4000, each result 1..200 of a participant of the event, once. */
export function resultsErrors(
  summary: string,
  results: ParticipantResult[],
  participantIds: string[],
): FieldError[] {
  const errors: FieldError[] = [];
  if (summary.length > EVENT_LIMITS.resultsSummary) {
    errors.push({
      field: 'resultsSummary',
      message: `Итоги — не длиннее ${EVENT_LIMITS.resultsSummary} символов`,
    });
  } else if (CONTROL.test(summary)) {
    errors.push({ field: 'resultsSummary', message: 'Итоги содержат недопустимые символы' });
  }
  const participants = new Set(participantIds);
  const seen = new Set<string>();
  results.forEach((r, i) => {
    if (!participants.has(r.personId)) {
      errors.push({ field: `participantResults[${i}].personId`, message: 'Не участник мероприятия' });
    } else if (seen.has(r.personId)) {
      errors.push({
        field: `participantResults[${i}].personId`,
        message: 'Результат участника указан дважды',
      });
    }
    seen.add(r.personId);
    if (r.result.length === 0 || r.result.length > EVENT_LIMITS.result) {
      errors.push({
        field: `participantResults[${i}].result`,
        message: `Результат — от 1 до ${EVENT_LIMITS.result} символов`,
      });
    } else if (CONTROL_IN_LINE.test(r.result)) {
      errors.push({
        field: `participantResults[${i}].result`,
        message: 'Результат содержит недопустимые символы',
      });
    }
  });
  return errors;
}

/**
 * Who reads an event, as the policy sees them: their school role (if any) and relations — the
 * classes they teach or lead; for a student or a guardian with a consent in effect, the students
 * they read for (themself or their children) and those students' classes.
 */
export interface EventViewer {
  /** Director, deputy, school admin of the school: every event. */
  manages: boolean;
  /** Any role in the school: the school-wide events. */
  hasRole: boolean;
  /** The actor's person id ('' none): events naming them as participant or responsible. */
  personId: string;
  /** Classes the actor teaches or leads (class events of those). */
  staffClassIds: Set<string>;
  /** Students the actor reads for (themself as a student; children with consent). */
  studentIds: Set<string>;
  /** Those students' classes in the event's year. */
  studentClassIds: Set<string>;
}

/**
 * Scope visibility (R4.2): managers see everything; with a role in the school, school-wide events
 * and class events of classes one teaches or leads, and events naming one as participant or
 * responsible; a student or guardian (for a student with consent), school-wide events, the
 * student's class's events and events naming the student as participant.
 */
export function canSeeEvent(
  viewer: EventViewer,
  event: Pick<SchoolEvent, 'scope' | 'classIds' | 'participantIds' | 'responsibleId'>,
): boolean {
  if (viewer.manages) return true;
  if (viewer.hasRole) {
    if (event.scope === 'school') return true;
    if (event.classIds.some((id) => viewer.staffClassIds.has(id))) return true;
    if (
      viewer.personId &&
      (event.responsibleId === viewer.personId || event.participantIds.includes(viewer.personId))
    ) {
      return true;
    }
  }
  if (viewer.studentIds.size > 0) {
    if (event.scope === 'school') return true;
    if (event.classIds.some((id) => viewer.studentClassIds.has(id))) return true;
    if (event.participantIds.some((id) => viewer.studentIds.has(id))) return true;
  }
  return false;
}

/** Calendar order: first day, all-day first then by start time, title, id. */
export function compareEvents(a: SchoolEvent, b: SchoolEvent): number {
  return (
    a.startsOn.localeCompare(b.startsOn) ||
    a.startsAt.localeCompare(b.startsAt) ||
    a.endsOn.localeCompare(b.endsOn) ||
    a.title.localeCompare(b.title, 'ru') ||
    a.id.localeCompare(b.id)
  );
}
