import { classOn, guardiansOf, read, sortedIds } from './copies';
import type { ClassCopy, MessagingSettingsDoc, ParticipantRole, ThreadDoc } from './model';
import type { Actor, DocReader } from './ports';

// Who may write to whom (R7.1). Deny by default: only the relations below, all from the copies
// (guardianship with consent, a child's class on the day, the class's teachers, the school's staff
// positions) and the signed actor's school roles, let a thread start. An unknown person, student
// or class is refused exactly like a forbidden one. Guardians and students hold no school role:
// they are known only by their person id and the copies.
//
//   guardian → a teacher or the class teacher of their own child, or the administration of the
//              child's school (the thread names the child);
//   student  → their teachers, when the school's setting allows;
//   staff    → staff of the same school; and guardians of a student whose class they teach
//              (the thread names the student);
//   class teacher or administration → an announcement to a class's guardians;
//   administration → an announcement to the whole school.
// The administration (director, deputies, school admins) reads a thread they are not in only once
// a participant has reported it.

/** The signed caller, as the use cases see it. */
export type MessagingActor = Actor;

/** School roles of the administration. */
export const ADMINISTRATION_ROLES: readonly string[] = ['director', 'deputy', 'schoolAdmin'];
/** School roles of staff. */
export const STAFF_ROLES: readonly string[] = [
  'director',
  'deputy',
  'schoolAdmin',
  'teacher',
  'hr',
  'secretary',
];
/** Staff position kinds that make the administration. */
const ADMINISTRATION_KINDS: readonly string[] = ['director', 'deputy'];

export interface Participant {
  personId: string;
  role: ParticipantRole;
}

// --- What the decisions read ------------------------------------------------------------------------

/** A school's people as the staff positions tell them. */
export interface SchoolScope {
  schoolId: string;
  /** People of active director and deputy positions, sorted. */
  administration: string[];
  /** People of every active position, sorted. */
  staff: string[];
}

/** A student of a school on a day: their guardians and their class then. */
export interface StudentScope {
  studentId: string;
  /** Active guardians with consent, sorted. */
  guardians: string[];
  /** The class on the day (null when in none). */
  schoolClass: ClassCopy | null;
}

export async function schoolScope(reader: DocReader, schoolId: string): Promise<SchoolScope> {
  const school = await read(reader, 'schools', schoolId);
  const administration: string[] = [];
  const staff: string[] = [];
  for (const positionId of school?.staffPositionIds ?? []) {
    const position = await read(reader, 'staff', positionId);
    if (!position || position.status !== 'active' || position.schoolId !== schoolId) continue;
    staff.push(position.personId);
    if (ADMINISTRATION_KINDS.includes(position.kind)) administration.push(position.personId);
  }
  return { schoolId, administration: sortedIds(administration), staff: sortedIds(staff) };
}

/** The student in the school on the day; null when unknown or in another school. */
export async function studentScope(
  reader: DocReader,
  studentId: string,
  schoolId: string,
  day: string,
): Promise<StudentScope | null> {
  const student = await read(reader, 'students', studentId);
  if (!student) return null;
  const schoolClass = await read(reader, 'classes', classOn(student, day));
  const studentsSchool = schoolClass ? schoolClass.schoolId : student.schoolId;
  if (studentsSchool !== schoolId) return null;
  return { studentId, guardians: guardiansOf(student), schoolClass };
}

/** A guardian's children (active links with consent). */
export async function childrenOf(reader: DocReader, guardianId: string): Promise<string[]> {
  return (await read(reader, 'guardians', guardianId))?.studentIds ?? [];
}

/** The school's settings, or the defaults (students may not write) while none are stored. */
export async function settingsOf(reader: DocReader, schoolId: string): Promise<MessagingSettingsDoc> {
  const stored = schoolId ? await reader.get('messagingSettings', schoolId) : null;
  return stored ?? { _id: schoolId, studentsMayWrite: false, version: 0 };
}

// --- Who the actor is in a school ------------------------------------------------------------------

function holdsRole(actor: MessagingActor, schoolId: string, roles: readonly string[]): boolean {
  return actor.schoolRoles.some((r) => r.schoolId === schoolId && roles.includes(r.role));
}

/** The director, a deputy or a school admin of the school (by role or by staff position). */
export function isAdministration(actor: MessagingActor, school: SchoolScope): boolean {
  if (holdsRole(actor, school.schoolId, ADMINISTRATION_ROLES)) return true;
  return !!actor.personId && school.administration.includes(actor.personId);
}

/** Staff of the school (by role or by an active staff position). */
export function isStaff(actor: MessagingActor, school: SchoolScope): boolean {
  if (holdsRole(actor, school.schoolId, STAFF_ROLES)) return true;
  return !!actor.personId && school.staff.includes(actor.personId);
}

/** The class teacher or a teacher of the student's class. */
export function teachesStudent(personId: string, student: StudentScope | null): boolean {
  const schoolClass = student?.schoolClass;
  if (!schoolClass || !personId) return false;
  return schoolClass.classTeacherId === personId || schoolClass.teacherIds.includes(personId);
}

/** How a member of staff shows in a thread about the student (if any). */
function staffRole(personId: string, school: SchoolScope, student: StudentScope | null): ParticipantRole {
  if (student?.schoolClass?.classTeacherId === personId) return 'class_teacher';
  if (student?.schoolClass?.teacherIds.includes(personId)) return 'teacher';
  if (school.administration.includes(personId)) return 'administration';
  return 'teacher';
}

// --- Conversations ----------------------------------------------------------------------------------

/** What deciding a conversation reads. */
export interface ConversationScope {
  school: SchoolScope;
  /** The student the conversation is about (null when none is named). */
  student: StudentScope | null;
  /** The actor's children (active links with consent). */
  children: string[];
  studentsMayWrite: boolean;
}

/** One way the actor may write: as whom, and the role each person they may write to takes. */
interface Standing {
  role: ParticipantRole;
  roleOf: (personId: string) => ParticipantRole | null;
}

function asGuardian(scope: ConversationScope): Standing | null {
  const { student, school } = scope;
  if (!student || !scope.children.includes(student.studentId)) return null;
  return {
    role: 'guardian',
    roleOf: (id) => {
      if (teachesStudent(id, student)) return staffRole(id, school, student);
      if (school.administration.includes(id)) return 'administration';
      return null;
    },
  };
}

function asStudent(actorId: string, scope: ConversationScope): Standing | null {
  const { student, school } = scope;
  if (!scope.studentsMayWrite || student?.studentId !== actorId) return null;
  return {
    role: 'student',
    roleOf: (id) => (teachesStudent(id, student) ? staffRole(id, school, student) : null),
  };
}

function asStaff(actor: MessagingActor, actorId: string, scope: ConversationScope): Standing | null {
  const { student, school } = scope;
  if (!isStaff(actor, school)) return null;
  const teaches = teachesStudent(actorId, student);
  const ownRole = staffRole(actorId, school, student);
  return {
    role: ownRole === 'teacher' && isAdministration(actor, school) ? 'administration' : ownRole,
    roleOf: (id) => {
      if (school.staff.includes(id)) return staffRole(id, school, student);
      if (teaches && student?.guardians.includes(id)) return 'guardian';
      return null;
    },
  };
}

/**
 * The participants of a conversation the actor starts with `otherIds` (the actor first, each with
 * their role), or null when no standing of the actor admits every one of them.
 */
export function conversationParticipants(
  actor: MessagingActor,
  scope: ConversationScope,
  otherIds: string[],
): Participant[] | null {
  const actorId = actor.personId;
  if (!actorId || otherIds.length === 0) return null;
  const standings = [asGuardian(scope), asStudent(actorId, scope), asStaff(actor, actorId, scope)];
  for (const standing of standings) {
    if (!standing) continue;
    const others = otherIds.map((personId) => ({ personId, role: standing.roleOf(personId) }));
    if (others.every((o) => o.role !== null)) {
      return [{ personId: actorId, role: standing.role }, ...(others as Participant[])];
    }
  }
  return null;
}

// --- Announcements ------------------------------------------------------------------------------------

export type Audience = { kind: 'class'; classId: string } | { kind: 'school'; schoolId: string };

/** "class:<id>" or "school:<id>"; null for anything else. */
export function parseAudience(text: string): Audience | null {
  const match = /^(class|school):(\S+)$/.exec(text.trim());
  if (!match) return null;
  return match[1] === 'class'
    ? { kind: 'class', classId: match[2]! }
    : { kind: 'school', schoolId: match[2]! };
}

/**
 * The role the actor announces as, or null when they may not: to a class, its class teacher or
 * the administration (an open class of the school); to the school, its administration.
 */
export function announcerRole(
  actor: MessagingActor,
  audience: Audience,
  school: SchoolScope,
  schoolClass: ClassCopy | null,
): ParticipantRole | null {
  if (!actor.personId) return null;
  if (audience.kind === 'school') {
    return audience.schoolId === school.schoolId && isAdministration(actor, school) ? 'administration' : null;
  }
  if (!schoolClass || schoolClass.schoolId !== school.schoolId || schoolClass.status !== 'open') return null;
  if (schoolClass.classTeacherId === actor.personId && isStaff(actor, school)) return 'class_teacher';
  return isAdministration(actor, school) ? 'administration' : null;
}

/** The guardians of the class's students on the day, sorted. */
async function guardiansOfClass(reader: DocReader, schoolClass: ClassCopy, day: string): Promise<string[]> {
  const guardians: string[] = [];
  for (const studentId of schoolClass.studentIds) {
    const student = await read(reader, 'students', studentId);
    if (student && classOn(student, day) === schoolClass._id) guardians.push(...guardiansOf(student));
  }
  return sortedIds(guardians);
}

/**
 * Whom an announcement reaches besides its author: a class's guardians; for the school, the
 * guardians of every open class and its staff.
 */
export async function announcementRecipients(
  reader: DocReader,
  audience: Audience,
  school: SchoolScope,
  day: string,
): Promise<Participant[]> {
  const recipients = new Map<string, ParticipantRole>();
  const classIds =
    audience.kind === 'class'
      ? [audience.classId]
      : ((await read(reader, 'schools', school.schoolId))?.classIds ?? []);
  for (const classId of classIds) {
    const schoolClass = await read(reader, 'classes', classId);
    if (!schoolClass || schoolClass.status !== 'open' || schoolClass.schoolId !== school.schoolId) continue;
    for (const id of await guardiansOfClass(reader, schoolClass, day)) recipients.set(id, 'guardian');
  }
  if (audience.kind === 'school') {
    for (const id of school.staff) {
      if (!recipients.has(id))
        recipients.set(id, school.administration.includes(id) ? 'administration' : 'teacher');
    }
  }
  return [...recipients].map(([personId, role]) => ({ personId, role }));
}

// --- Threads ----------------------------------------------------------------------------------------

/** 'participant', 'reviewer' (the administration of a reported thread: reads only), or null. */
export type ThreadAccess = 'participant' | 'reviewer' | null;

export function isParticipant(thread: ThreadDoc, personId: string | undefined): boolean {
  return !!personId && thread.participants.some((p) => p.personId === personId);
}

/** How the actor may see the thread; `administers`: the actor is the administration of its school. */
export function threadAccess(
  actor: MessagingActor,
  thread: ThreadDoc | null,
  administers: boolean,
): ThreadAccess {
  if (!thread) return null;
  if (isParticipant(thread, actor.personId)) return 'participant';
  return thread.reported && administers ? 'reviewer' : null;
}

/** Any staff of the school reads its messaging settings. */
export function readsSettings(actor: MessagingActor, school: SchoolScope): boolean {
  return isStaff(actor, school);
}

/** The administration changes them. */
export function managesSettings(actor: MessagingActor, school: SchoolScope): boolean {
  return isAdministration(actor, school);
}
