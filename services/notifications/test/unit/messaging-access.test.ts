import {
  announcementRecipients,
  announcerRole,
  conversationParticipants,
  isAdministration,
  isStaff,
  parseAudience,
  schoolScope,
  studentScope,
  threadAccess,
  type ConversationScope,
  type SchoolScope,
} from '../../src/domain/messaging-access';
import type { ClassCopy, ThreadDoc } from '../../src/domain/model';
import type { MemoryDocs } from './memory-copies';
import {
  ANNA,
  ART,
  CLASS_A,
  CLASS_B,
  CLASS_CLOSED,
  DEP,
  DIR,
  GLEB,
  IVAN,
  MATH,
  OLGA,
  OTHER,
  S1,
  S2,
  SASHA,
  SEC,
  T_A,
  T_B,
  VERA,
  actors,
  seededDocs,
} from './messaging-fixtures';

const TODAY = '2026-11-24';

describe('messaging access', () => {
  let docs: MemoryDocs;
  let school: SchoolScope;

  beforeEach(async () => {
    docs = seededDocs();
    school = await schoolScope(docs, S1);
  });

  async function scopeFor(
    studentId: string,
    children: string[],
    studentsMayWrite = false,
  ): Promise<ConversationScope> {
    return {
      school,
      student: studentId ? await studentScope(docs, studentId, S1, TODAY) : null,
      children,
      studentsMayWrite,
    };
  }

  describe('who is who in a school', () => {
    it('takes the administration and the staff from the active positions', () => {
      expect(school).toEqual({
        schoolId: S1,
        administration: [DEP, DIR].sort(),
        staff: [ART, DEP, DIR, MATH, SEC, T_A, T_B].sort(),
      });
    });

    it('counts an actor as administration by role or by position, staff by any staff role', () => {
      expect(isAdministration(actors.schoolAdmin, school)).toBe(true);
      expect(isAdministration({ ...actors.dir, schoolRoles: [] }, school)).toBe(true);
      expect(isAdministration(actors.tA, school)).toBe(false);
      expect(
        isAdministration(
          { ...actors.dir, schoolRoles: [{ schoolId: S1, role: 'teacher' }], personId: 'p-x' },
          school,
        ),
      ).toBe(false);
      expect(isStaff(actors.sec, school)).toBe(true);
      expect(isStaff(actors.other, school)).toBe(false);
      expect(isStaff(actors.anna, school)).toBe(false);
      // A role the platform does not know as staff gives nothing.
      expect(
        isStaff(
          { accountId: 'a', personId: 'p-y', schoolRoles: [{ schoolId: S1, role: 'guest' }], grants: [] },
          school,
        ),
      ).toBe(false);
    });

    it('knows a student in the school only by the class on the day', async () => {
      expect(await studentScope(docs, IVAN, S1, TODAY)).toMatchObject({
        studentId: IVAN,
        guardians: [ANNA],
        schoolClass: { _id: CLASS_A },
      });
      // Sasha left 5А on 01.11 and is in no class: still of the school, without teachers.
      expect((await studentScope(docs, SASHA, S1, TODAY))?.schoolClass).toBeNull();
      expect((await studentScope(docs, SASHA, S1, '2026-10-15'))?.schoolClass?._id).toBe(CLASS_A);
      expect(await studentScope(docs, IVAN, S2, TODAY)).toBeNull();
      expect(await studentScope(docs, 'p-nobody', S1, TODAY)).toBeNull();
    });
  });

  describe('conversations', () => {
    it('lets a guardian reach the teachers of their child’s class and the administration', async () => {
      const scope = await scopeFor(IVAN, [IVAN]);
      expect(conversationParticipants(actors.anna, scope, [T_A, MATH, DEP])).toEqual([
        { personId: ANNA, role: 'guardian' },
        { personId: T_A, role: 'class_teacher' },
        { personId: MATH, role: 'teacher' },
        { personId: DEP, role: 'administration' },
      ]);
      expect(conversationParticipants(actors.anna, scope, [ART])).toBeNull();
      expect(conversationParticipants(actors.anna, scope, [SEC])).toBeNull();
    });

    it('refuses a guardian about a child that is not theirs', async () => {
      expect(conversationParticipants(actors.anna, await scopeFor(OLGA, [IVAN]), [T_B])).toBeNull();
      expect(conversationParticipants(actors.anna, await scopeFor('', [IVAN]), [T_A])).toBeNull();
    });

    it('lets a student reach only their teachers, and only when allowed', async () => {
      expect(conversationParticipants(actors.ivan, await scopeFor(IVAN, [], false), [MATH])).toBeNull();
      const allowed = await scopeFor(IVAN, [], true);
      expect(conversationParticipants(actors.ivan, allowed, [MATH])).toEqual([
        { personId: IVAN, role: 'student' },
        { personId: MATH, role: 'teacher' },
      ]);
      expect(conversationParticipants(actors.ivan, allowed, [DIR])).toBeNull();
      // Another student's thread is not theirs to start.
      expect(conversationParticipants({ ...actors.ivan, personId: OLGA }, allowed, [MATH])).toBeNull();
    });

    it('lets a teacher reach the guardians of a student they teach and staff together', async () => {
      const scope = await scopeFor(IVAN, []);
      expect(conversationParticipants(actors.math, scope, [ANNA, DIR])).toEqual([
        { personId: MATH, role: 'teacher' },
        { personId: ANNA, role: 'guardian' },
        { personId: DIR, role: 'administration' },
      ]);
      expect(conversationParticipants(actors.art, scope, [ANNA])).toBeNull();
      expect(conversationParticipants(actors.tB, await scopeFor(OLGA, []), [VERA])).toEqual([
        { personId: T_B, role: 'class_teacher' },
        { personId: VERA, role: 'guardian' },
      ]);
    });

    it('lets staff reach only staff of their school', async () => {
      const scope = await scopeFor('', []);
      expect(conversationParticipants(actors.schoolAdmin, scope, [T_A])).toEqual([
        { personId: 'p-admin', role: 'administration' },
        { personId: T_A, role: 'teacher' },
      ]);
      expect(conversationParticipants(actors.tA, scope, [OTHER])).toBeNull();
      expect(conversationParticipants(actors.tA, scope, [ANNA])).toBeNull();
      expect(conversationParticipants(actors.other, scope, [T_A])).toBeNull();
    });

    it('refuses an actor without a person and a conversation with nobody', async () => {
      const scope = await scopeFor(IVAN, [IVAN]);
      expect(conversationParticipants({ ...actors.anna, personId: undefined }, scope, [T_A])).toBeNull();
      expect(conversationParticipants(actors.anna, scope, [])).toBeNull();
    });
  });

  describe('announcements', () => {
    it('reads only the two audience forms', () => {
      expect(parseAudience('class:c-1')).toEqual({ kind: 'class', classId: 'c-1' });
      expect(parseAudience(' school:s-1 ')).toEqual({ kind: 'school', schoolId: 's-1' });
      for (const text of ['', 'class:', 'grade:5', 'class:a b', 'school'])
        expect(parseAudience(text)).toBeNull();
    });

    it('lets the class teacher and the administration announce to an open class of the school', async () => {
      const classA = (await docs.get('classes', CLASS_A)) as ClassCopy;
      const closed = (await docs.get('classes', CLASS_CLOSED)) as ClassCopy;
      const audience = { kind: 'class' as const, classId: CLASS_A };
      expect(announcerRole(actors.tA, audience, school, classA)).toBe('class_teacher');
      expect(announcerRole(actors.dep, audience, school, classA)).toBe('administration');
      expect(announcerRole(actors.math, audience, school, classA)).toBeNull();
      expect(announcerRole(actors.tB, { kind: 'class', classId: CLASS_CLOSED }, school, closed)).toBeNull();
      expect(announcerRole(actors.tA, audience, school, null)).toBeNull();
      // The class teacher of a class in another school's scope is refused.
      expect(announcerRole(actors.tA, audience, { ...school, schoolId: S2 }, classA)).toBeNull();
    });

    it('lets only the administration announce to its school', () => {
      expect(announcerRole(actors.dir, { kind: 'school', schoolId: S1 }, school, null)).toBe(
        'administration',
      );
      expect(announcerRole(actors.tA, { kind: 'school', schoolId: S1 }, school, null)).toBeNull();
      expect(announcerRole(actors.dir, { kind: 'school', schoolId: S2 }, school, null)).toBeNull();
    });

    it('reaches a class’s active guardians, and for the school its staff too', async () => {
      expect(await announcementRecipients(docs, { kind: 'class', classId: CLASS_B }, school, TODAY)).toEqual([
        { personId: VERA, role: 'guardian' },
      ]);
      const all = await announcementRecipients(docs, { kind: 'school', schoolId: S1 }, school, TODAY);
      expect(all.filter((p) => p.role === 'guardian').map((p) => p.personId)).toEqual(
        [ANNA, GLEB, VERA].sort(),
      );
      expect(all.filter((p) => p.role === 'administration').map((p) => p.personId)).toEqual(
        [DEP, DIR].sort(),
      );
      expect(all.filter((p) => p.role === 'teacher').map((p) => p.personId)).toEqual(
        [ART, MATH, SEC, T_A, T_B].sort(),
      );
    });
  });

  describe('threads', () => {
    const thread = (reported: boolean): ThreadDoc => ({
      _id: 't-1',
      schoolId: S1,
      kind: 'conversation',
      subject: 'Тема',
      studentId: IVAN,
      audience: '',
      participants: [
        { personId: ANNA, role: 'guardian' },
        { personId: T_A, role: 'class_teacher' },
      ],
      messages: [],
      createdAt: '',
      lastMessageAt: '',
      reported,
      reportedAt: '',
      reportedBy: '',
      reportReason: '',
    });

    it('lets participants in, and the administration only into a reported thread', () => {
      expect(threadAccess(actors.anna, thread(false), false)).toBe('participant');
      expect(threadAccess(actors.dir, thread(false), true)).toBeNull();
      expect(threadAccess(actors.dir, thread(true), true)).toBe('reviewer');
      expect(threadAccess(actors.vera, thread(true), false)).toBeNull();
      expect(threadAccess(actors.anna, null, true)).toBeNull();
    });
  });
});
