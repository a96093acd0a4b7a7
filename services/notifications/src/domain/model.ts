// The notifications service's own documents: copies of the relations it decides with (from
// roster's, schedule's and gradebook's events) and what it tells people. Each copy is read by an id
// the service can compute (FerretDB 1.24 uses only the `_id` index) and guarded by its source's
// version, so repeats and cross-topic order change nothing.

/** Triggers: what a person may be told about (R7.2, R6.4, R7.1). */
export const TRIGGERS = [
  'mark_posted',
  'mark_corrected',
  'low_mark',
  'absence',
  'repeated_absence',
  'homework_tomorrow',
  'period_mark',
  'timetable_changed',
  'school_event',
  'message_received',
  'progress_report',
] as const;

export type Trigger = (typeof TRIGGERS)[number];

/** Channels besides the in-app inbox, which always gets a notification. */
export const CHANNELS = ['email', 'sms', 'push'] as const;

export type Channel = (typeof CHANNELS)[number];

// --- Copies ---------------------------------------------------------------------------------------

/** A school: its name for templates, its zone for quiet hours and "tomorrow". */
export interface SchoolCopy {
  _id: string;
  name: string;
  timeZone: string;
  /** From gradebook's policy: a mark at or below it is low (default 2). */
  lowMarkThreshold: number;
  version: number;
  policyVersion: number;
  /** Every class of the school roster has told (open or closed), sorted: a school event's fan-out. */
  classIds: string[];
  /** Every staff position of the school (StaffCopy ids, dismissed ones too), sorted: its deputies. */
  staffPositionIds: string[];
}

export interface ClassCopy {
  _id: string;
  schoolId: string;
  academicYearId: string;
  name: string;
  classTeacherId: string;
  /** 'closed' once roster closed it (a school event no longer fans out to it). */
  status: 'open' | 'closed';
  /**
   * Every student ever moved into the class (some may have left, some arrive later), sorted: the
   * students on a day are those whose `classOn(student, day)` is this class.
   */
  studentIds: string[];
  /** Teachers of the class (active teaching assignments), sorted. */
  teacherIds: string[];
  /** Schedule's teaching assignments of the class, each by its version (`teacherIds` from them). */
  assignments: { assignmentId: string; teacherId: string; active: boolean; version: number }[];
  /** Roster's version of the class (0 while only schedule or a movement has told of it). */
  version: number;
}

/** A person's name and kind; guardians too (messaging shows who writes). */
export interface PersonCopy {
  _id: string;
  schoolId: string;
  /** "student", "guardian" or "staff". */
  kind: string;
  displayName: string;
  version: number;
}

/**
 * A move of a student (one roster student event): from `from` on the student is in `toClassId`
 * ('' = in no class). A graduation's `from` is the day after its last day.
 */
export interface StudentMove {
  enrolmentId: string;
  version: number;
  from: string;
  toClassId: string;
}

/** A student: the class (by dated moves), the guardians who may be told (active guardianship with consent). */
export interface StudentCopy {
  _id: string;
  schoolId: string;
  /**
   * The class of the move with the latest effective day ('' when in no class); it may lie ahead
   * (a promotion told in June): the class on a day is `classOn(student, day)` over `moves`.
   */
  classId: string;
  /** Every move applied, by effective day (then moves out before moves in, enrolment, version). */
  moves: StudentMove[];
  /** Every link, ended ones too; `active`: the link is active and the guardian's consent in effect. */
  guardians: { guardianshipId: string; guardianId: string; active: boolean; version: number }[];
  /** Newest enrolment version applied per enrolment id. */
  applied: Record<string, number>;
}

/** A guardian's children (active guardianships with consent). */
export interface GuardianCopy {
  _id: string;
  /** The children of the active links, sorted. */
  studentIds: string[];
  /** Every link of the guardian, each by its version (`studentIds` from them). */
  links: { guardianshipId: string; studentId: string; active: boolean; version: number }[];
}

/** A school's heads and admins (roster's staff positions): the administration in messaging. */
export interface StaffCopy {
  /** The position id. */
  _id: string;
  schoolId: string;
  personId: string;
  /** Roster's staff position kind, e.g. "director", "deputy", "teacher". */
  kind: string;
  status: 'active' | 'dismissed';
  version: number;
}

/**
 * A subject's name for texts (gradebook's records carry only its id and key): from schedule's
 * catalogue (`subject.created`), else from a teaching assignment or a lesson that named it.
 */
export interface SubjectCopy {
  /** The subject id. */
  _id: string;
  key: string;
  name: string;
  /** "catalogue" (schedule's subject event: final) or "mention" (named by an assignment or a lesson). */
  source: 'catalogue' | 'mention';
}

/** A subgroup of a class with its members now (roster's), so that a subgroup's lesson tells only them. */
export interface SubgroupCopy {
  _id: string;
  schoolId: string;
  classId: string;
  /** Sorted; [] once disbanded. */
  memberIds: string[];
  status: 'open' | 'closed';
  version: number;
}

/**
 * A student's recent absences with whether each is unexcused (R7.2: repeated unexcused absences
 * are told to the class teacher and the deputies). One entry per lesson, by the lesson record's
 * version; an entry no longer absent or unexcused stays (unexcused false), so that an older event
 * cannot bring it back. Entries more than ABSENCE_MEMORY_DAYS before the newest are dropped.
 */
export interface AbsenceCopy {
  /** The student id. */
  _id: string;
  schoolId: string;
  /** Sorted by date, then lesson id. */
  lessons: { lessonId: string; classId: string; date: string; unexcused: boolean; version: number }[];
}

/** Days of absences an AbsenceCopy keeps before its newest one. */
export const ABSENCE_MEMORY_DAYS = 60;

/** The copies' collections and their documents (the CopyTx port reads and writes by these). */
export interface CopyDocs {
  schools: SchoolCopy;
  classes: ClassCopy;
  people: PersonCopy;
  students: StudentCopy;
  guardians: GuardianCopy;
  staff: StaffCopy;
  subjects: SubjectCopy;
  subgroups: SubgroupCopy;
  absences: AbsenceCopy;
}

export type CopyCollection = keyof CopyDocs;

export const COPY_COLLECTIONS = [
  'schools',
  'classes',
  'people',
  'students',
  'guardians',
  'staff',
  'subjects',
  'subgroups',
  'absences',
] as const satisfies readonly CopyCollection[];

// --- What people are told -------------------------------------------------------------------------

/**
 * What a trigger decided: tell this person this, about this event. The delivery engine turns it
 * into an inbox item (always) and deliveries per channel the person's preferences allow.
 */
export interface NotificationIntent {
  /**
   * The source event's id: with the trigger, the recipient and the student, the notification's
   * identity (one event may tell a guardian of two children twice, once per child).
   */
  eventId: string;
  trigger: Trigger;
  recipientId: string;
  /** The student it is about ('' when none). */
  studentId: string;
  schoolId: string;
  /** The school's name and zone (templates, quiet hours). */
  schoolName: string;
  timeZone: string;
  /** In Russian; no other child's data, ever. */
  title: string;
  body: string;
  /** What to open, e.g. `diary:week:<student>:<date>`. */
  link: string;
  /** The source event's instant (RFC 3339): delivery latency is measured from it. */
  occurredAt: string;
}
