import type { AcademicYearState } from '@edu/proto/dist/generated/edu/events/v1/AcademicYearState';
import type { ClassState } from '@edu/proto/dist/generated/edu/events/v1/ClassState';
import type { DateRange } from '@edu/proto/dist/generated/edu/events/v1/DateRange';
import type { EnrolmentState } from '@edu/proto/dist/generated/edu/events/v1/EnrolmentState';
import type { GuardianshipState } from '@edu/proto/dist/generated/edu/events/v1/GuardianshipState';
import type { MovementFact } from '@edu/proto/dist/generated/edu/events/v1/MovementFact';
import type { PersonState } from '@edu/proto/dist/generated/edu/events/v1/PersonState';
import type { SchoolCard } from '@edu/proto/dist/generated/edu/events/v1/SchoolCard';
import type { StaffPositionState } from '@edu/proto/dist/generated/edu/events/v1/StaffPositionState';
import type { SubgroupState } from '@edu/proto/dist/generated/edu/events/v1/SubgroupState';
import { rosterEventParts, type RosterEnvelope } from './events';

// Roster's event states as plain camelCase records: the one translation of roster's contract,
// so that consumers differ only in what they keep, never in how a field is read. Absent fields
// read as '' / 0 / [] (proto3 defaults); an empty id falls back to the envelope's aggregate or
// school, and every record carries the envelope's aggregate version for idempotent copies.

/** A range of days, both ends included, YYYY-MM-DD. */
export interface RosterDays {
  startsOn: string;
  endsOn: string;
}

/** A school card: what consumers use of it (its time zone makes "today"). */
export interface RosterSchool {
  id: string;
  shortName: string;
  /** IANA time zone, e.g. "Asia/Krasnoyarsk". */
  timeZone: string;
  version: number;
}

/** School holidays (whole school). */
export interface RosterHoliday extends RosterDays {
  name: string;
}

/** Study periods of some grades: "quarter", "trimester" or "half_year", in date order. */
export interface RosterPeriodScheme {
  grades: number[];
  kind: string;
  periods: ({ number: number } & RosterDays)[];
}

/** Days without lessons for some grades (quarantine and the like); no grades: the whole school. */
export interface RosterClosure extends RosterDays {
  reason: string;
  grades: number[];
}

/** A weekend day that works by a weekday's timetable (`worksAs`: 1 = Monday … 6 = Saturday). */
export interface RosterTransfer {
  date: string;
  worksAs: number;
}

/** An academic year with its whole calendar. */
export interface RosterAcademicYear extends RosterDays {
  id: string;
  schoolId: string;
  /** E.g. "2026/2027". */
  name: string;
  status: 'open' | 'closed';
  holidays: RosterHoliday[];
  periodSchemes: RosterPeriodScheme[];
  closures: RosterClosure[];
  transfers: RosterTransfer[];
  version: number;
}

/** A class of a year. */
export interface RosterClass {
  id: string;
  schoolId: string;
  academicYearId: string;
  grade: number;
  /** Letter or label, e.g. "А". */
  letter: string;
  /** E.g. "5А". */
  name: string;
  /** Person id of the class teacher; '' when none. */
  classTeacherId: string;
  status: 'open' | 'closed';
  version: number;
}

/** A subgroup of a class for one subject (by key), with its members now. */
export interface RosterSubgroup {
  id: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  /** The subject's key, e.g. "english". */
  subjectKey: string;
  name: string;
  /** Roster's teacher of the subgroup; '' when none. */
  teacherId: string;
  /** Student person ids. */
  memberIds: string[];
  status: 'open' | 'closed';
  version: number;
}

/** A staff position: whether a person works in the school now, and as what. */
export interface RosterStaffPosition {
  id: string;
  schoolId: string;
  personId: string;
  /** "director", "deputy", "teacher", "hr", "secretary" or "other". */
  kind: string;
  title: string;
  status: 'active' | 'dismissed';
  version: number;
}

/** A person as events carry them: no personal data beyond the display name. */
export interface RosterPerson {
  id: string;
  schoolId: string;
  /** "staff", "student" or "guardian". */
  kind: string;
  /** Last, first and middle name. */
  displayName: string;
  status: string;
  version: number;
}

/** A student's place in one academic year (roster's enrolment "<year id>:<student id>"). */
export interface RosterEnrolment {
  id: string;
  schoolId: string;
  academicYearId: string;
  studentId: string;
  /** The class now; '' after a withdrawal or graduation. */
  classId: string;
  /** "active", "withdrawn" or "graduated". */
  status: string;
  version: number;
}

/** The student events' actions, each a kind of movement. */
export const MOVEMENT_KINDS = ['enrolled', 'transferred', 'withdrawn', 'promoted', 'graduated'] as const;

export type RosterMovementKind = (typeof MOVEMENT_KINDS)[number];

/** The movement a student event reports; its kind is the event's action. */
export interface RosterMovement {
  kind: RosterMovementKind;
  /** The class left ('' for an enrolment). */
  fromClassId: string;
  /** The class joined ('' for a withdrawal or graduation). */
  toClassId: string;
  /** YYYY-MM-DD: the day it takes effect (for a graduation the old year's last day). */
  effectiveOn: string;
}

/** A guardian's link to a student and whether the guardian's consent is in effect. */
export interface RosterGuardianship {
  id: string;
  schoolId: string;
  guardianId: string;
  studentId: string;
  /** "mother", "father" or "legal_representative". */
  kind: string;
  /** "active" or "ended". */
  status: string;
  /** True only while the link is active and a written consent is in effect. */
  consentActive: boolean;
  version: number;
}

function daysFrom(days: DateRange | null | undefined): RosterDays {
  return { startsOn: days?.starts_on ?? '', endsOn: days?.ends_on ?? '' };
}

/** A copy of a repeated int32 field as plain numbers, never the decoded message's own array. */
function numbers(values: readonly number[] | null | undefined): number[] {
  return [...(values ?? [])].map(Number);
}

export function schoolFrom(card: SchoolCard, event: RosterEnvelope): RosterSchool {
  return {
    id: card.school_id || event.aggregateId,
    shortName: card.short_name ?? '',
    timeZone: card.time_zone ?? '',
    version: event.aggregateVersion,
  };
}

export function academicYearFrom(year: AcademicYearState, event: RosterEnvelope): RosterAcademicYear {
  return {
    id: year.academic_year_id || event.aggregateId,
    schoolId: year.school_id || event.schoolId,
    name: year.name ?? '',
    ...daysFrom(year.days),
    status: year.status === 'closed' ? 'closed' : 'open',
    holidays: (year.holidays ?? []).map((h) => ({ name: h.name ?? '', ...daysFrom(h.days) })),
    periodSchemes: (year.period_schemes ?? []).map((scheme) => ({
      grades: numbers(scheme.grades),
      kind: scheme.kind ?? '',
      periods: (scheme.periods ?? []).map((period) => ({
        number: Number(period.number ?? 0),
        ...daysFrom(period.days),
      })),
    })),
    closures: (year.closures ?? []).map((c) => ({
      reason: c.reason ?? '',
      ...daysFrom(c.days),
      grades: numbers(c.grades),
    })),
    transfers: (year.transfers ?? []).map((t) => ({ date: t.date ?? '', worksAs: Number(t.works_as ?? 0) })),
    version: event.aggregateVersion,
  };
}

export function classFrom(c: ClassState, event: RosterEnvelope): RosterClass {
  return {
    id: c.class_id || event.aggregateId,
    schoolId: c.school_id || event.schoolId,
    academicYearId: c.academic_year_id ?? '',
    grade: Number(c.grade ?? 0),
    letter: c.letter ?? '',
    name: c.name ?? '',
    classTeacherId: c.class_teacher_id ?? '',
    status: c.status === 'closed' ? 'closed' : 'open',
    version: event.aggregateVersion,
  };
}

export function subgroupFrom(s: SubgroupState, event: RosterEnvelope): RosterSubgroup {
  return {
    id: s.subgroup_id || event.aggregateId,
    schoolId: s.school_id || event.schoolId,
    academicYearId: s.academic_year_id ?? '',
    classId: s.class_id ?? '',
    subjectKey: s.subject_key ?? '',
    name: s.name ?? '',
    teacherId: s.teacher_id ?? '',
    memberIds: [...(s.member_ids ?? [])],
    status: s.status === 'closed' ? 'closed' : 'open',
    version: event.aggregateVersion,
  };
}

export function staffPositionFrom(position: StaffPositionState, event: RosterEnvelope): RosterStaffPosition {
  return {
    id: position.position_id || event.aggregateId,
    schoolId: position.school_id || event.schoolId,
    personId: position.person_id ?? '',
    kind: position.kind ?? '',
    title: position.title ?? '',
    // Anything but an active position grants nothing: read it as dismissed.
    status: position.status === 'active' ? 'active' : 'dismissed',
    version: event.aggregateVersion,
  };
}

export function personFrom(person: PersonState, event: RosterEnvelope): RosterPerson {
  return {
    id: person.person_id || event.aggregateId,
    schoolId: person.school_id || event.schoolId,
    kind: person.kind ?? '',
    displayName: person.display_name ?? '',
    status: person.status ?? '',
    version: event.aggregateVersion,
  };
}

export function enrolmentFrom(enrolment: EnrolmentState, event: RosterEnvelope): RosterEnrolment {
  return {
    id: enrolment.enrolment_id || event.aggregateId,
    schoolId: enrolment.school_id || event.schoolId,
    academicYearId: enrolment.academic_year_id ?? '',
    studentId: enrolment.student_id ?? '',
    classId: enrolment.class_id ?? '',
    status: enrolment.status ?? '',
    version: event.aggregateVersion,
  };
}

/** The movement of a student event; throws for any other type (nothing to move by). */
export function movementFrom(movement: MovementFact, event: RosterEnvelope): RosterMovement {
  const { entity, action } = rosterEventParts(event.type);
  const kind = MOVEMENT_KINDS.find((k) => k === action);
  if (entity !== 'student' || !kind) throw new Error(`${event.type} ${event.id}: not a student movement`);
  return {
    kind,
    fromClassId: movement.from_class_id ?? '',
    toClassId: movement.to_class_id ?? '',
    effectiveOn: movement.effective_on ?? '',
  };
}

export function guardianshipFrom(g: GuardianshipState, event: RosterEnvelope): RosterGuardianship {
  return {
    id: g.guardianship_id || event.aggregateId,
    schoolId: g.school_id || event.schoolId,
    guardianId: g.guardian_id ?? '',
    studentId: g.student_id ?? '',
    kind: g.kind ?? '',
    status: g.status ?? '',
    // An ended link gives no consent, whatever the flag says.
    consentActive: !!g.consent_active && g.status === 'active',
    version: event.aggregateVersion,
  };
}
