import type { RosterCopyWriter } from './ports';

// Schedule's own copy of what it needs from roster (docs/architecture.md: no service reads another's store),
// kept from roster's events. Only what the schedule's rules and answers use: no students, no
// guardians, no personal data beyond the display names of staff. Every record carries roster's
// aggregate version, so that applying an event is idempotent and an older one never wins.

/** A school: its time zone makes "today" for dates that default to it. */
export interface CopiedSchool {
  id: string;
  shortName: string;
  /** IANA time zone, e.g. "Asia/Krasnoyarsk". */
  timeZone: string;
  version: number;
}

export type CopiedYearStatus = 'open' | 'closed';

/** A range of days, both ends included, YYYY-MM-DD. */
export interface CopiedDays {
  startsOn: string;
  endsOn: string;
}

/** Study periods of some grades: "quarter", "trimester" or "half_year", in date order. */
export interface CopiedPeriodScheme {
  grades: number[];
  kind: string;
  periods: ({ number: number } & CopiedDays)[];
}

/** Days without lessons for some grades (quarantine and the like); no grades: the whole school. */
export interface CopiedClosure extends CopiedDays {
  reason: string;
  grades: number[];
}

/** A weekend day that works by a weekday's timetable (`worksAs`: 1 = Monday … 6 = Saturday). */
export interface CopiedTransfer {
  date: string;
  worksAs: number;
}

/**
 * A year's calendar: holidays (whole school) and the period schemes by grade, which the
 * curriculum counts weeks with; closures and transfers, which dated lessons follow (the plan of
 * hours does not). Closures and transfers are absent in records stored before schedule kept them
 * (read as none until roster's next event of the year).
 */
export interface CopiedCalendar {
  holidays: ({ name: string } & CopiedDays)[];
  periodSchemes: CopiedPeriodScheme[];
  closures?: CopiedClosure[];
  transfers?: CopiedTransfer[];
}

/** An academic year: assignments lie inside its days and are made in an open year only. */
export interface CopiedYear {
  id: string;
  schoolId: string;
  /** E.g. "2026/2027". */
  name: string;
  /** First day, YYYY-MM-DD. */
  startsOn: string;
  /** Last day, YYYY-MM-DD. */
  endsOn: string;
  status: CopiedYearStatus;
  /**
   * Holidays and periods as roster last published them; absent in a record stored before schedule
   * kept calendars (until roster's next event of the year): the curriculum then uses defaults.
   */
  calendar?: CopiedCalendar;
  version: number;
}

/** A class of a year. */
export interface CopiedClass {
  id: string;
  schoolId: string;
  academicYearId: string;
  grade: number;
  letter: string;
  /** E.g. "5А". */
  name: string;
  /** Person id of the class teacher; '' when none. */
  classTeacherId: string;
  status: 'open' | 'closed';
  version: number;
}

/** A subgroup of a class for one subject (by key). */
export interface CopiedSubgroup {
  id: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  /** The subject's key, e.g. "english". */
  subjectKey: string;
  name: string;
  /** Roster's teacher of the subgroup, '' when none (informative: assignments decide who teaches). */
  teacherId: string;
  /** Student person ids (no names). */
  memberIds: string[];
  status: 'open' | 'closed';
  version: number;
}

/** A staff position: whether a person works in the school now, and as what. */
export interface CopiedStaffPosition {
  id: string;
  schoolId: string;
  personId: string;
  /** "director", "deputy", "teacher", "hr", "secretary" or "other". */
  kind: string;
  title: string;
  status: 'active' | 'dismissed';
  version: number;
}

/** A staff person's display name, for answers that show who teaches. */
export interface CopiedPerson {
  id: string;
  schoolId: string;
  /** Last, first and middle name. */
  displayName: string;
  status: string;
  version: number;
}

/** One fact from roster, already mapped into schedule's own types at the edge. */
export type RosterFact =
  | { kind: 'school'; school: CopiedSchool }
  | { kind: 'year'; year: CopiedYear }
  | { kind: 'class'; schoolClass: CopiedClass }
  | { kind: 'subgroup'; subgroup: CopiedSubgroup }
  | { kind: 'staffPosition'; position: CopiedStaffPosition }
  /** Every person event comes here; only staff are kept. */
  | { kind: 'person'; person: CopiedPerson; personKind: string };

/** What applying a fact did: stored, already as new or newer, or not kept by design. */
export type ApplyOutcome = 'applied' | 'stale' | 'not_kept';

/**
 * Applies a roster fact to the copy. People other than staff (students, guardians) are not kept:
 * schedule shows only who teaches, and keeps no personal data it does not need (152-ФЗ).
 */
export async function applyRosterFact(copy: RosterCopyWriter, fact: RosterFact): Promise<ApplyOutcome> {
  let applied: boolean;
  switch (fact.kind) {
    case 'school':
      applied = await copy.putSchool(fact.school);
      break;
    case 'year':
      applied = await copy.putYear(fact.year);
      break;
    case 'class':
      applied = await copy.putClass(fact.schoolClass);
      break;
    case 'subgroup':
      applied = await copy.putSubgroup(fact.subgroup);
      break;
    case 'staffPosition':
      applied = await copy.putStaffPosition(fact.position);
      break;
    case 'person':
      if (fact.personKind !== 'staff') return 'not_kept';
      applied = await copy.putPerson(fact.person);
      break;
  }
  return applied ? 'applied' : 'stale';
}
