import type { AcademicYear, OrderRef } from './academic-year';
import type { Enrolment, Movement } from './enrolment';
import type { SchoolClass } from './school-class';
import type { School } from './school';
import type { RolloverSummary } from './year-rollover';

/** Who acts: the verified actor from the gateway (structurally the @edu/grpc Actor). */
export interface Actor {
  accountId: string;
  personId?: string;
  schoolRoles: { schoolId: string; role: string }[];
  grants: string[];
}

/** Request context a use case needs besides its input. */
export interface RequestContext {
  actor: Actor;
  traceId: string;
}

/**
 * A fact to publish with the state change, in the same write (outbox). The school is the
 * aggregate: the event carries the card as it stands after the change.
 */
export interface DomainEvent {
  type: 'edu.roster.school.created' | 'edu.roster.school.updated';
  school: School;
}

/** Page position after the last school of the previous page (ordered by short name, then id). */
export interface SchoolCursor {
  shortName: string;
  id: string;
}

export interface SchoolRepository {
  /** Stores a new school and its events atomically; throws conflict when the INN is taken. */
  create(school: School, events: DomainEvent[], ctx: RequestContext): Promise<void>;
  /**
   * Replaces a card if still at `expectedVersion` (conflict `school.version_conflict` otherwise;
   * `school.inn_taken` when another school has the INN).
   */
  update(school: School, expectedVersion: number, events: DomainEvent[], ctx: RequestContext): Promise<void>;
  get(id: string): Promise<School | null>;
  /** Schools ordered by short name then id, after the cursor; only `ids` when given. */
  list(options: { limit: number; after?: SchoolCursor; ids?: string[] }): Promise<School[]>;
}

/** A fact about an academic year, carrying the year as it stands after the change. */
export type AcademicYearEvent =
  | { type: 'edu.roster.academic_year.opened'; academicYear: AcademicYear }
  | {
      type: 'edu.roster.academic_year.calendar_changed';
      academicYear: AcademicYear;
      order: OrderRef;
      summary: string[];
    }
  | {
      type: 'edu.roster.academic_year.closed';
      academicYear: AcademicYear;
      order: OrderRef;
      /** The day it was closed in the school's time zone. */
      closedOn: string;
    }
  | {
      /** Carried by the old year, after everything the rollover created was written. */
      type: 'edu.roster.academic_year.rolled_over';
      academicYear: AcademicYear;
      rollover: RolloverSummary;
    }
  | {
      /**
       * A graduate's enrolment ended at a rollover: written in the old year's outbox with
       * rolled_over (the enrolments change in bulk, without events of their own); the envelope's
       * aggregate is still the enrolment.
       */
      type: 'edu.roster.student.graduated';
      enrolment: Enrolment;
      movement: Movement;
    };

export interface AcademicYearRepository {
  /** Stores a new year and its events atomically; throws conflict when the school has it already. */
  create(year: AcademicYear, events: AcademicYearEvent[], ctx: RequestContext): Promise<void>;
  /**
   * Replaces a stored year with `year` and adds its events, if it is still at `expectedVersion`;
   * throws conflict when someone changed it meanwhile.
   */
  update(
    year: AcademicYear,
    expectedVersion: number,
    events: AcademicYearEvent[],
    ctx: RequestContext,
  ): Promise<void>;
  get(id: string): Promise<AcademicYear | null>;
  /** The school's years, the latest first. */
  listBySchool(schoolId: string): Promise<AcademicYear[]>;
}

/** Refuses (PERMISSION_DENIED) and records a security event when `allowed` is false. */
export type Authorize = (actor: Actor, allowed: boolean, what: { action: string; object: string }) => void;

// People (R3.1, R3.2) and the access log of their cards (R11.1).
type Person = import('./person').Person;
type PersonKind = import('./person').PersonKind;

/** A fact about a person, carrying the person as they stand after the change. */
export interface PersonEvent {
  type: 'edu.roster.person.registered' | 'edu.roster.person.updated';
  person: Person;
}

/** Page position after the last person of the previous page (sort name, then id). */
export interface PersonCursor {
  sortName: string;
  id: string;
}

export interface PersonRepository {
  /**
   * Stores a new person and their events atomically; throws conflict `person.snils_taken` when
   * another person of the school has the СНИЛС.
   */
  create(person: Person, events: PersonEvent[], ctx: RequestContext): Promise<void>;
  /** Stores many new people at once (an import), each with its events. */
  createMany(items: { person: Person; events: PersonEvent[] }[], ctx: RequestContext): Promise<void>;
  /**
   * Replaces a stored person with `person` and adds the events, if still at `expectedVersion`;
   * throws conflict `person.version_conflict` when someone changed it meanwhile.
   */
  update(person: Person, expectedVersion: number, events: PersonEvent[], ctx: RequestContext): Promise<void>;
  get(id: string): Promise<Person | null>;
  /** The people with these ids that exist, in no particular order (one query: a class list). */
  getMany(ids: string[]): Promise<Person[]>;
  /**
   * Active people of any school with this СНИЛС, or this birth certificate number and birth date,
   * or this birth date (the caller compares names); one criterion per call.
   */
  findActive(
    criterion:
      { snils: string } | { birthCertificateNumber: string; birthDate: string } | { birthDate: string },
  ): Promise<Person[]>;
  /** A school's people ordered by sort name then id, after the cursor. */
  list(options: {
    schoolId: string;
    kind?: PersonKind;
    includeArchived: boolean;
    limit: number;
    after?: PersonCursor;
  }): Promise<Person[]>;
}

/**
 * One read of a person's full card by someone else (R11.1): who, whose card, when, why. Ids
 * only, never the card's content.
 */
export interface AccessLogEntry {
  /** The reader's account. */
  accountId: string;
  /** The reader's person id (`''` when the account has none, e.g. a service account). */
  actorPersonId: string;
  /** Whose card was read. */
  personId: string;
  /** The school the card belongs to. */
  schoolId: string;
  /** `card.read`: a full card read; `person.match`: identity matched an ESIA account to the person. */
  purpose: 'card.read' | 'person.match';
  at: Date;
  traceId: string;
}

/** The access log of personal data (append-only). */
export interface AccessLog {
  record(entry: AccessLogEntry): Promise<void>;
}

/** A fact about a class, carrying the class as it stands after the change. */
export type SchoolClassEvent =
  | { type: 'edu.roster.class.opened'; schoolClass: SchoolClass }
  | { type: 'edu.roster.class.renamed'; schoolClass: SchoolClass; previousName: string }
  | { type: 'edu.roster.class.teacher_assigned'; schoolClass: SchoolClass; previousClassTeacherId: string }
  | { type: 'edu.roster.class.closed'; schoolClass: SchoolClass };

export interface SchoolClassRepository {
  /** Stores a new class and its events; throws conflict when the year has a class of that name. */
  create(schoolClass: SchoolClass, events: SchoolClassEvent[], ctx: RequestContext): Promise<void>;
  /** Replaces a class if still at `expectedVersion` (conflict otherwise, or on a taken name). */
  update(
    schoolClass: SchoolClass,
    expectedVersion: number,
    events: SchoolClassEvent[],
    ctx: RequestContext,
  ): Promise<void>;
  get(id: string): Promise<SchoolClass | null>;
  /** The classes of a year by grade, then letter. */
  listByYear(academicYearId: string): Promise<SchoolClass[]>;
}

/** A fact about a student's place in a year, with the movement it reports. */
export interface EnrolmentEvent {
  type:
    | 'edu.roster.student.enrolled'
    | 'edu.roster.student.transferred'
    | 'edu.roster.student.withdrawn'
    | 'edu.roster.student.promoted';
  enrolment: Enrolment;
  movement: Movement;
}

export interface EnrolmentRepository {
  /** Stores a first enrolment of the student in the year; conflict if one exists meanwhile. */
  create(enrolment: Enrolment, events: EnrolmentEvent[], ctx: RequestContext): Promise<void>;
  /** Stores many first enrolments at once (an import, a rollover), each with its events. */
  createMany(items: { enrolment: Enrolment; events: EnrolmentEvent[] }[], ctx: RequestContext): Promise<void>;
  /**
   * Ends those of the enrolments that are still active, each with its movement (the graduates at
   * a rollover): `status`, no class, the movement appended, version + 1; all in a few bulk
   * commands, as FerretDB 1.24 scans the whole collection for every update statement (one per
   * student would take minutes for a big school). Writes no events: the caller writes them with
   * the aggregate that completes the work (the old year at a rollover). Returns how many changed.
   */
  endMany(items: { id: string; movement: Movement }[], status: 'graduated'): Promise<number>;
  /** Replaces the enrolment if still at `expectedVersion` (conflict otherwise). */
  update(
    enrolment: Enrolment,
    expectedVersion: number,
    events: EnrolmentEvent[],
    ctx: RequestContext,
  ): Promise<void>;
  get(id: string): Promise<Enrolment | null>;
  /** Active enrolments in a class. */
  listActiveInClass(classId: string): Promise<Enrolment[]>;
  /** How many are active in a class (capacity). */
  countActiveInClass(classId: string): Promise<number>;
  /** How many are active in each class of a year: class id → count (classes with none left out). */
  countActiveByClass(academicYearId: string): Promise<Map<string, number>>;
  /** Every enrolment of a year (an import compares a file with them). */
  listByYear(academicYearId: string): Promise<Enrolment[]>;
  /** Every enrolment of a student, the latest year first. */
  listByStudent(studentId: string): Promise<Enrolment[]>;
}

// Staff positions (R3.1, R1.7).
type StaffPosition = import('./staff-position').StaffPosition;
type StaffChange = import('./staff-position').StaffChange;

/** A fact about a position, carrying the position after the change and the step (with its order). */
export type StaffPositionEvent =
  | { type: 'edu.roster.staff.hired'; position: StaffPosition; change: StaffChange }
  | {
      type: 'edu.roster.staff.position_changed';
      position: StaffPosition;
      change: StaffChange;
      /** '' when only the rate changed. */
      previousTitle: string;
    }
  | { type: 'edu.roster.staff.dismissed'; position: StaffPosition; change: StaffChange };

export interface StaffPositionRepository {
  /**
   * Stores a new position and its events atomically. Throws conflict `staff.director_taken` when
   * the school got an active director meanwhile, `staff.position_held` when the person got the
   * same post (kind and title) meanwhile (unique indexes: the rules hold under concurrent writes).
   */
  create(position: StaffPosition, events: StaffPositionEvent[], ctx: RequestContext): Promise<void>;
  /**
   * Replaces a position if still at `expectedVersion` (conflict `staff.version_conflict`
   * otherwise; `staff.position_held` when a new title makes it another active post of the person).
   */
  update(
    position: StaffPosition,
    expectedVersion: number,
    events: StaffPositionEvent[],
    ctx: RequestContext,
  ): Promise<void>;
  get(id: string): Promise<StaffPosition | null>;
  /** A school's positions (active only unless `includeDismissed`), in no particular order. */
  listBySchool(schoolId: string, options: { includeDismissed: boolean }): Promise<StaffPosition[]>;
  /** Every position of a person, in no particular order. */
  listByPerson(personId: string): Promise<StaffPosition[]>;
}

// Subgroups of classes per subject (R2.3).
type Subgroup = import('./subgroup').Subgroup;

/** A fact about a subgroup, carrying the subgroup as it stands after the change. */
export type SubgroupEvent =
  | { type: 'edu.roster.subgroup.formed'; subgroup: Subgroup }
  | { type: 'edu.roster.subgroup.members_changed'; subgroup: Subgroup; added: string[]; removed: string[] }
  | {
      type: 'edu.roster.subgroup.changed';
      subgroup: Subgroup;
      previousName: string;
      previousTeacherId: string;
    }
  | { type: 'edu.roster.subgroup.disbanded'; subgroup: Subgroup };

export interface SubgroupRepository {
  /** Stores a new subgroup and its events atomically. */
  create(subgroup: Subgroup, events: SubgroupEvent[], ctx: RequestContext): Promise<void>;
  /** Replaces a subgroup if still at `expectedVersion` (conflict `subgroup.version_conflict` otherwise). */
  update(
    subgroup: Subgroup,
    expectedVersion: number,
    events: SubgroupEvent[],
    ctx: RequestContext,
  ): Promise<void>;
  get(id: string): Promise<Subgroup | null>;
  /** The subgroups of a class (open only unless `includeClosed`), by subject key, then name. */
  listByClass(classId: string, options: { includeClosed: boolean }): Promise<Subgroup[]>;
  /** Every subgroup of a year, open and disbanded (the register of orders), in no particular order. */
  listByYear(academicYearId: string): Promise<Subgroup[]>;
  /**
   * Runs `work` while no other writer changes the subgroups of the class: a rule across the
   * class's subgroups (one open subgroup per student and subject, unique names) is checked and
   * relied on by one write. There are no multi-document transactions, and FerretDB 1.24 enforces
   * no unique index over array elements, so this serialises the writers of one process.
   */
  exclusive<T>(classId: string, work: () => Promise<T>): Promise<T>;
}

// Guardianship and consents (R1.9, R3.2).
type Guardianship = import('./guardianship').Guardianship;

/** A fact about a guardian's link to a student, carrying the link as it stands after the change. */
export interface GuardianshipEvent {
  type:
    | 'edu.roster.guardian.linked'
    | 'edu.roster.guardian.unlinked'
    | 'edu.roster.consent.recorded'
    | 'edu.roster.consent.revoked';
  guardianship: Guardianship;
}

/** What the people use cases ask about guardians: may a guardian read a child's card. */
export interface GuardianRelations {
  /** True when `guardianId` has an active link to `studentId` with a written consent in effect. */
  isGuardianOf(guardianId: string, studentId: string): Promise<boolean>;
}

export interface GuardianshipRepository extends GuardianRelations {
  /**
   * Stores a new link and its events atomically; throws conflict `guardianship.already_linked`
   * when the guardian and the student have an active link already (also one written meanwhile).
   */
  create(link: Guardianship, events: GuardianshipEvent[], ctx: RequestContext): Promise<void>;
  /** Stores many new links at once (an import), each with its events. */
  createMany(
    items: { link: Guardianship; events: GuardianshipEvent[] }[],
    ctx: RequestContext,
  ): Promise<void>;
  /**
   * Replaces a stored link with `link` and adds the events, if still at `expectedVersion`;
   * throws conflict `guardianship.version_conflict` when someone changed it meanwhile.
   */
  update(
    link: Guardianship,
    expectedVersion: number,
    events: GuardianshipEvent[],
    ctx: RequestContext,
  ): Promise<void>;
  get(id: string): Promise<Guardianship | null>;
  /** The active link of a guardian and a student, if any. */
  findActive(guardianId: string, studentId: string): Promise<Guardianship | null>;
  /** Every link of a student, active and ended, in the order linked. */
  listByStudent(studentId: string): Promise<Guardianship[]>;
  /** The active links of these students, in no particular order (one query: a class list). */
  listActiveByStudents(studentIds: string[]): Promise<Guardianship[]>;
  /** The active links of a school's students (an import compares a file with them). */
  listActiveBySchool(schoolId: string): Promise<Guardianship[]>;
  /** A guardian's active links, in every school, in the order linked. */
  listActiveByGuardian(guardianId: string): Promise<Guardianship[]>;
}

// Teaching assignments: roster's copy of schedule's (from edu.schedule.v1).
type TeachingCopy = import('./teaching').TeachingCopy;

export interface TeachingCopyRepository {
  /** Stores the copy unless one of the same or a newer version is stored; true when stored. */
  apply(copy: TeachingCopy): Promise<boolean>;
  /** The teacher's assignments for a class (active and ended). */
  listForTeacherInClass(teacherId: string, classId: string): Promise<TeachingCopy[]>;
}
