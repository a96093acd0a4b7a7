import { DomainError, forbidden } from '@edu/kit';
import type {
  Actor,
  AssignmentEvent,
  AssignmentRepository,
  Authorize,
  BellScheduleEvent,
  BellScheduleRepository,
  CurriculumEvent,
  CurriculumRepository,
  RequestContext,
  RosterCopyReader,
  SubjectEvent,
  SubjectRepository,
} from '../../src/domain/ports';
import type {
  CopiedCalendar,
  CopiedClass,
  CopiedPerson,
  CopiedSchool,
  CopiedStaffPosition,
  CopiedSubgroup,
  CopiedYear,
} from '../../src/domain/roster-copy';
import type { BellSchedule } from '../../src/domain/bell-schedule';
import { bellsVersionConflict } from '../../src/domain/bell-schedule.use-cases';
import type { Curriculum } from '../../src/domain/curriculum';
import { curriculumVersionConflict } from '../../src/domain/curriculum.use-cases';
import type { Subject } from '../../src/domain/subject';
import { catalogueSubjects } from '../../src/domain/subject-catalogue';
import { assignmentVersionConflict } from '../../src/domain/teaching-assignment.use-cases';
import type { TeachingAssignment } from '../../src/domain/teaching-assignment';

// Port fakes for the use cases: in-memory repositories, a copy of roster and the deny-by-default
// policy port that records denials as the real one logs them.

/** The request context of a use case called by `actor`. */
export const as = (actor: Actor): RequestContext => ({ actor, traceId: 'trace-1' });

/** Someone with `role` in a school (the account and person ids name the role). */
export const inSchool = (role: string, schoolId = 'school-1', personId = `person-${role}`): Actor => ({
  accountId: `acc-${role}`,
  personId,
  schoolRoles: [{ schoolId, role }],
  grants: [],
});

/** A guardian: a person without any school role or grant. */
export const guardian: Actor = {
  accountId: 'acc-guardian',
  personId: 'person-guardian',
  schoolRoles: [],
  grants: [],
};

/** The DomainError a use case must fail with. */
export async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('it succeeded');
}

export const school = (overrides: Partial<CopiedSchool> = {}): CopiedSchool => ({
  id: 'school-1',
  shortName: 'МБОУ СШ № 1',
  timeZone: 'Asia/Krasnoyarsk',
  version: 1,
  ...overrides,
});

/** 2026/2027 in quarters, with autumn, winter and spring holidays (as roster would publish it). */
export const quarterCalendar: CopiedCalendar = {
  holidays: [
    { name: 'Осенние каникулы', startsOn: '2026-10-26', endsOn: '2026-11-03' },
    { name: 'Зимние каникулы', startsOn: '2026-12-28', endsOn: '2027-01-10' },
    { name: 'Весенние каникулы', startsOn: '2027-03-22', endsOn: '2027-03-31' },
  ],
  periodSchemes: [
    {
      grades: [2, 3, 4, 5, 6, 7, 8, 9],
      kind: 'quarter',
      periods: [
        { number: 1, startsOn: '2026-09-01', endsOn: '2026-10-25' },
        { number: 2, startsOn: '2026-11-04', endsOn: '2026-12-27' },
        { number: 3, startsOn: '2027-01-11', endsOn: '2027-03-21' },
        { number: 4, startsOn: '2027-04-01', endsOn: '2027-05-31' },
      ],
    },
    {
      grades: [10, 11],
      kind: 'half_year',
      periods: [
        { number: 1, startsOn: '2026-09-01', endsOn: '2026-12-27' },
        { number: 2, startsOn: '2027-01-11', endsOn: '2027-05-31' },
      ],
    },
  ],
};

export const year = (overrides: Partial<CopiedYear> = {}): CopiedYear => ({
  id: 'year-1',
  schoolId: 'school-1',
  name: '2026/2027',
  startsOn: '2026-09-01',
  endsOn: '2027-05-31',
  status: 'open',
  version: 1,
  ...overrides,
});

export const schoolClass = (id: string, name: string, overrides: Partial<CopiedClass> = {}): CopiedClass => ({
  id,
  schoolId: 'school-1',
  academicYearId: 'year-1',
  grade: Number(/^\d+/.exec(name)?.[0] ?? 5),
  letter: name.replace(/^\d+/, ''),
  name,
  classTeacherId: '',
  status: 'open',
  version: 1,
  ...overrides,
});

export const subgroup = (
  id: string,
  classId: string,
  subjectKey: string,
  name: string,
  overrides: Partial<CopiedSubgroup> = {},
): CopiedSubgroup => ({
  id,
  schoolId: 'school-1',
  academicYearId: 'year-1',
  classId,
  subjectKey,
  name,
  teacherId: '',
  memberIds: [],
  status: 'open',
  version: 1,
  ...overrides,
});

export const position = (
  personId: string,
  kind = 'teacher',
  overrides: Partial<CopiedStaffPosition> = {},
): CopiedStaffPosition => ({
  id: `position-${personId}-${kind}`,
  schoolId: 'school-1',
  personId,
  kind,
  title: 'Учитель',
  status: 'active',
  version: 1,
  ...overrides,
});

export const person = (id: string, displayName: string): CopiedPerson => ({
  id,
  schoolId: 'school-1',
  displayName,
  status: 'active',
  version: 1,
});

/** A subject of the catalogue by key. */
export function catalogue(key: string): Subject {
  const subject = catalogueSubjects(new Date('2026-08-01T00:00:00Z')).find((s) => s.key === key);
  if (!subject) throw new Error(`no catalogue subject ${key}`);
  return subject;
}

/** In-memory subjects (seeded with the catalogue when `seeded`), recording their events. */
export function subjectsInMemory(seeded = true) {
  const stored: Subject[] = seeded ? catalogueSubjects(new Date('2026-08-01T00:00:00Z')) : [];
  const events: SubjectEvent[] = [];
  const repository: SubjectRepository = {
    async create(subject, evs) {
      stored.push(subject);
      events.push(...evs);
    },
    async seedCatalogue(items) {
      let added = 0;
      for (const { subject, events: evs } of items) {
        if (stored.some((s) => s.id === subject.id)) continue;
        stored.push(subject);
        events.push(...evs);
        added += 1;
      }
      return added;
    },
    get: async (id) => stored.find((s) => s.id === id) ?? null,
    listForSchool: async (schoolId) => stored.filter((s) => s.schoolId === '' || s.schoolId === schoolId),
  };
  return { repository, stored, events };
}

/** In-memory assignments with the version check of the real repository, recording events. */
export function assignmentsInMemory() {
  const stored = new Map<string, TeachingAssignment>();
  const events: AssignmentEvent[] = [];
  const repository: AssignmentRepository = {
    async create(assignment, evs) {
      stored.set(assignment.id, structuredClone(assignment));
      events.push(...evs);
    },
    async update(assignment, expectedVersion, evs) {
      if (stored.get(assignment.id)?.version !== expectedVersion) throw assignmentVersionConflict();
      stored.set(assignment.id, structuredClone(assignment));
      events.push(...evs);
    },
    get: async (id) => structuredClone(stored.get(id) ?? null),
    listByYear: async (schoolId, yearId) =>
      [...stored.values()].filter((a) => a.schoolId === schoolId && a.academicYearId === yearId),
    listByClass: async (classId) => [...stored.values()].filter((a) => a.classId === classId),
    listByTeacher: async (teacherId, yearId) =>
      [...stored.values()].filter((a) => a.teacherId === teacherId && a.academicYearId === yearId),
    exclusive: (_classId, _subjectId, work) => work(),
  };
  return { repository, stored, events };
}

/**
 * The store's rule of versioned saves: an insert finds none (version 0), a replacement finds the
 * version it was based on; otherwise the repository's conflict.
 */
function versionedInMemory<T extends { id: string; version: number }, E>(conflict: () => Error) {
  const stored = new Map<string, T>();
  const events: E[] = [];
  return {
    stored,
    events,
    async save(item: T, expectedVersion: number, evs: E[]) {
      if ((stored.get(item.id)?.version ?? 0) !== expectedVersion) throw conflict();
      stored.set(item.id, structuredClone(item));
      events.push(...evs);
    },
    get: async (id: string) => structuredClone(stored.get(id) ?? null),
  };
}

/** In-memory bell schedules with the version rule of the real repository, recording events. */
export function bellSchedulesInMemory() {
  const { stored, events, save, get } = versionedInMemory<BellSchedule, BellScheduleEvent>(
    bellsVersionConflict,
  );
  const repository: BellScheduleRepository = {
    save,
    get,
    listBySchool: async (schoolId) => [...stored.values()].filter((b) => b.schoolId === schoolId),
  };
  return { repository, stored, events };
}

/** In-memory curricula with the version rule of the real repository, recording events. */
export function curriculaInMemory() {
  const { stored, events, save, get } = versionedInMemory<Curriculum, CurriculumEvent>(
    curriculumVersionConflict,
  );
  const repository: CurriculumRepository = {
    save,
    get,
    listByYear: async (schoolId, yearId) =>
      [...stored.values()].filter((c) => c.schoolId === schoolId && c.academicYearId === yearId),
  };
  return { repository, stored, events };
}

/** An in-memory copy of roster. */
export function rosterInMemory(initial: {
  schools?: CopiedSchool[];
  years?: CopiedYear[];
  classes?: CopiedClass[];
  subgroups?: CopiedSubgroup[];
  positions?: CopiedStaffPosition[];
  people?: CopiedPerson[];
}) {
  const data = {
    schools: [...(initial.schools ?? [])],
    years: [...(initial.years ?? [])],
    classes: [...(initial.classes ?? [])],
    subgroups: [...(initial.subgroups ?? [])],
    positions: [...(initial.positions ?? [])],
    people: [...(initial.people ?? [])],
  };
  const reader: RosterCopyReader = {
    school: async (id) => data.schools.find((s) => s.id === id) ?? null,
    year: async (id) => data.years.find((y) => y.id === id) ?? null,
    schoolClass: async (id) => data.classes.find((c) => c.id === id) ?? null,
    classes: async (ids) => data.classes.filter((c) => ids.includes(c.id)),
    subgroup: async (id) => data.subgroups.find((s) => s.id === id) ?? null,
    subgroups: async (ids) => data.subgroups.filter((s) => ids.includes(s.id)),
    openSubgroupsOfClass: async (classId) =>
      data.subgroups.filter((s) => s.classId === classId && s.status === 'open'),
    positionsOf: async (schoolId, personId) =>
      data.positions.filter((p) => p.schoolId === schoolId && p.personId === personId),
    people: async (ids) => data.people.filter((p) => ids.includes(p.id)),
  };
  return { reader, data };
}

/** The policy port as the gRPC edge binds it: refuses and records the denial. */
export function recordingAuthorize() {
  const denials: { accountId: string; action: string; object: string }[] = [];
  const authorize: Authorize = (actor, allowed, what) => {
    if (allowed) return;
    denials.push({ accountId: actor.accountId, ...what });
    throw forbidden('access.denied', 'Недостаточно прав для этого действия');
  };
  return { authorize, denials };
}
