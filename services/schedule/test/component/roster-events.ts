import { randomUUID } from 'node:crypto';
import { newEvent, type EventEnvelope } from '@edu/events';

// Roster's events as roster writes them (the same envelope and payload messages of
// proto/edu/events/v1/roster.proto), so that the tests play roster on its real topic.

const actor = { accountId: 'acc-roster-test', personId: '' };

function rosterEvent<P>(
  type: string,
  schoolId: string,
  aggregateId: string,
  aggregateVersion: number,
  payload: P,
): EventEnvelope<P> {
  return newEvent({
    type,
    schoolId,
    aggregateId,
    aggregateVersion,
    actor,
    traceId: randomUUID().replaceAll('-', ''),
    payload,
  });
}

export function schoolCreated(schoolId: string, options: { timeZone?: string; version?: number } = {}) {
  return rosterEvent(
    options.version && options.version > 1 ? 'edu.roster.school.updated' : 'edu.roster.school.created',
    schoolId,
    schoolId,
    options.version ?? 1,
    {
      school: {
        school_id: schoolId,
        full_name: 'Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»',
        short_name: 'МБОУ СШ № 7',
        inn: '2466000000',
        ogrn: '1022402648000',
        address: '660000, г. Красноярск, ул. Ленина, д. 1',
        time_zone: options.timeZone ?? 'Asia/Krasnoyarsk',
        municipality_id: 'krasnoyarsk',
      },
    },
  );
}

export function yearOpened(
  schoolId: string,
  yearId: string,
  options: {
    status?: 'open' | 'closed';
    version?: number;
    name?: string;
    startsOn?: string;
    endsOn?: string;
    /** Holidays as roster's `Holiday` messages (default: the autumn holidays only). */
    holidays?: { name: string; days: { starts_on: string; ends_on: string } }[];
    /** Period schemes as roster's `PeriodScheme` messages (default: none). */
    periodSchemes?: {
      grades: number[];
      kind: string;
      periods: { number: number; days: { starts_on: string; ends_on: string } }[];
    }[];
    /** `calendar_changed` instead of `opened` (an open year). */
    calendarChanged?: boolean;
    /** Day transfers as roster's `DayTransfer` messages (default: none). */
    transfers?: { date: string; works_as: number }[];
  } = {},
) {
  const type =
    options.status === 'closed'
      ? 'edu.roster.academic_year.closed'
      : options.calendarChanged
        ? 'edu.roster.academic_year.calendar_changed'
        : 'edu.roster.academic_year.opened';
  return rosterEvent(type, schoolId, yearId, options.version ?? 1, {
    academic_year: {
      academic_year_id: yearId,
      school_id: schoolId,
      name: options.name ?? '2026/2027',
      days: { starts_on: options.startsOn ?? '2026-09-01', ends_on: options.endsOn ?? '2027-05-31' },
      holidays: options.holidays ?? [
        { name: 'Осенние каникулы', days: { starts_on: '2026-10-26', ends_on: '2026-11-03' } },
      ],
      period_schemes: options.periodSchemes ?? [],
      status: options.status ?? 'open',
      transfers: options.transfers ?? [],
    },
    ...(options.calendarChanged
      ? {
          order: { number: '21-о', date: '2026-09-10', title: 'Об изменении календарного графика' },
          summary: ['Изменены учебные периоды'],
        }
      : {}),
    ...(options.status === 'closed'
      ? {
          order: { number: '15-о', date: '2027-06-01', title: 'О завершении учебного года' },
          closed_on: '2027-06-01',
        }
      : {}),
  });
}

export function classEvent(
  schoolId: string,
  yearId: string,
  classId: string,
  options: {
    grade?: number;
    letter?: string;
    classTeacherId?: string;
    status?: 'open' | 'closed';
    version?: number;
    type?: 'opened' | 'renamed' | 'teacher_assigned' | 'closed';
  } = {},
) {
  const grade = options.grade ?? 5;
  const letter = options.letter ?? 'А';
  return rosterEvent(
    `edu.roster.class.${options.type ?? 'opened'}`,
    schoolId,
    classId,
    options.version ?? 1,
    {
      school_class: {
        class_id: classId,
        school_id: schoolId,
        academic_year_id: yearId,
        grade,
        letter,
        name: `${grade}${letter}`,
        class_teacher_id: options.classTeacherId ?? '',
        status: options.status ?? 'open',
      },
    },
  );
}

export function subgroupEvent(
  schoolId: string,
  yearId: string,
  classId: string,
  subgroupId: string,
  options: {
    subjectKey?: string;
    name?: string;
    memberIds?: string[];
    status?: 'open' | 'closed';
    version?: number;
    type?: 'formed' | 'members_changed' | 'changed' | 'disbanded';
  } = {},
) {
  return rosterEvent(
    `edu.roster.subgroup.${options.type ?? 'formed'}`,
    schoolId,
    subgroupId,
    options.version ?? 1,
    {
      subgroup: {
        subgroup_id: subgroupId,
        school_id: schoolId,
        academic_year_id: yearId,
        class_id: classId,
        subject_key: options.subjectKey ?? 'english',
        name: options.name ?? 'Английский язык, группа 1',
        teacher_id: '',
        member_ids: options.memberIds ?? [],
        status: options.status ?? 'open',
      },
    },
  );
}

export function staffEvent(
  schoolId: string,
  positionId: string,
  personId: string,
  options: {
    kind?: string;
    version?: number;
    type?: 'hired' | 'position_changed' | 'dismissed';
    /** The day of the hiring, or the last day of a dismissal (default 2026-08-25). */
    effectiveOn?: string;
  } = {},
) {
  const type = options.type ?? 'hired';
  return rosterEvent(`edu.roster.staff.${type}`, schoolId, positionId, options.version ?? 1, {
    position: {
      position_id: positionId,
      school_id: schoolId,
      person_id: personId,
      kind: options.kind ?? 'teacher',
      title: 'Учитель',
      status: type === 'dismissed' ? 'dismissed' : 'active',
    },
    effective_on: options.effectiveOn ?? '2026-08-25',
    order: { number: '7-к', date: '2026-08-25', title: 'О приёме на работу' },
  });
}

export function personEvent(
  schoolId: string,
  personId: string,
  options: { kind?: 'staff' | 'student' | 'guardian'; displayName?: string; version?: number } = {},
) {
  return rosterEvent(
    options.version && options.version > 1 ? 'edu.roster.person.updated' : 'edu.roster.person.registered',
    schoolId,
    personId,
    options.version ?? 1,
    {
      person: {
        person_id: personId,
        school_id: schoolId,
        kind: options.kind ?? 'staff',
        display_name: options.displayName ?? 'Иванова Анна Петровна',
        status: 'active',
      },
    },
  );
}

/** A student's enrolment in a year after a movement (`edu.roster.student.*`). */
export function enrolmentEvent(
  schoolId: string,
  yearId: string,
  studentId: string,
  classId: string,
  options: { version?: number; type?: 'enrolled' | 'transferred' | 'withdrawn'; fromClassId?: string } = {},
) {
  const type = options.type ?? 'enrolled';
  const enrolmentId = `${yearId}:${studentId}`;
  return rosterEvent(`edu.roster.student.${type}`, schoolId, enrolmentId, options.version ?? 1, {
    enrolment: {
      enrolment_id: enrolmentId,
      school_id: schoolId,
      academic_year_id: yearId,
      student_id: studentId,
      class_id: type === 'withdrawn' ? '' : classId,
      status: type === 'withdrawn' ? 'withdrawn' : 'active',
    },
    movement: {
      from_class_id: options.fromClassId ?? '',
      to_class_id: type === 'withdrawn' ? '' : classId,
      effective_on: '2026-09-01',
      order: { number: '12-у', date: '2026-08-30', title: 'О зачислении' },
    },
  });
}

/** A guardian's link to a student (`guardian.linked`/`unlinked`, `consent.recorded`/`revoked`). */
export function guardianshipEvent(
  schoolId: string,
  linkId: string,
  guardianId: string,
  studentId: string,
  options: {
    version?: number;
    type?: 'guardian.linked' | 'guardian.unlinked' | 'consent.recorded' | 'consent.revoked';
  } = {},
) {
  const type = options.type ?? 'guardian.linked';
  return rosterEvent(`edu.roster.${type}`, schoolId, linkId, options.version ?? 1, {
    guardianship: {
      guardianship_id: linkId,
      school_id: schoolId,
      guardian_id: guardianId,
      student_id: studentId,
      kind: 'mother',
      status: type === 'guardian.unlinked' ? 'ended' : 'active',
      consent_active: type === 'consent.recorded',
    },
  });
}
