import { classOn, guardiansOf } from '../../src/domain/copies';
import { MemoryCopies } from './memory-copies';
import {
  ANNA,
  BORIS,
  CLASS_A,
  CLASS_B,
  DEPUTY,
  IVAN,
  MATH,
  OLGA,
  PETR,
  SCHOOL,
  VERA,
  absenceReasonSet,
  attendanceRecorded,
  classEvent,
  guardianEvent,
  handle,
  handleAll,
  movementEvent,
  personEvent,
  policyEvent,
  schoolEvent,
  seededCopies,
  staffEvent,
  subjectEvent,
  teachingEvent,
} from './source-fixtures';

describe('copies', () => {
  it('keeps the school, its classes and staff, the classes, people, students and guardians', async () => {
    const copies = await seededCopies();
    const school = await copies.get('schools', SCHOOL);
    expect(school).toMatchObject({
      name: 'Школа № 1',
      timeZone: 'Europe/Moscow',
      lowMarkThreshold: 2,
      classIds: [CLASS_A, CLASS_B],
      staffPositionIds: ['pos-deputy', 'pos-deputy-old', 'pos-director', 'pos-teacher-a'],
    });
    expect(await copies.get('classes', CLASS_A)).toMatchObject({
      name: '5А',
      classTeacherId: 'teacher-a',
      status: 'open',
      studentIds: [IVAN, OLGA],
    });
    expect(await copies.get('people', ANNA)).toMatchObject({ kind: 'guardian', displayName: 'Иванова Анна' });
    const ivan = await copies.get('students', IVAN);
    expect(ivan?.classId).toBe(CLASS_A);
    // Boris is linked without consent: kept, never told.
    expect(guardiansOf(ivan)).toEqual([ANNA]);
    expect(ivan?.guardians.map((g) => [g.guardianId, g.active])).toEqual([
      [ANNA, true],
      [BORIS, false],
    ]);
    expect((await copies.get('guardians', ANNA))?.studentIds).toEqual([IVAN, PETR]);
    expect((await copies.get('guardians', BORIS))?.studentIds).toEqual([]);
    expect((await copies.get('guardians', VERA))?.studentIds).toEqual([OLGA]);
    expect(await copies.get('staff', 'pos-deputy')).toMatchObject({
      personId: DEPUTY,
      kind: 'deputy',
      status: 'active',
    });
    expect(await copies.get('staff', 'pos-deputy-old')).toMatchObject({ status: 'dismissed' });
    expect(await copies.get('subjects', MATH)).toMatchObject({ name: 'Математика', source: 'catalogue' });
  });

  it('changes nothing when an event comes again', async () => {
    const copies = await seededCopies();
    const before = copies.snapshot();
    const events = [
      schoolEvent(1),
      classEvent(CLASS_A, 1, '5А', 'teacher-a'),
      movementEvent('enrolled', IVAN, 1, { to: CLASS_A, on: '2026-09-01' }),
      guardianEvent('link-anna-ivan', ANNA, IVAN, 2, { consent: true }),
      staffEvent('pos-deputy', DEPUTY, 'deputy', 1),
      policyEvent(0, 0),
    ];
    copies.puts = 0;
    await handleAll(copies, events);
    expect(copies.puts).toBe(0);
    expect(copies.snapshot()).toEqual(before);
  });

  it('ends in the same copies whatever the order of the events', async () => {
    const events = [
      schoolEvent(1),
      schoolEvent(2, 'Средняя школа № 1', 'Asia/Krasnoyarsk'),
      classEvent(CLASS_A, 1, '5А', 'teacher-a'),
      classEvent(CLASS_A, 2, '5А', 'teacher-z'),
      personEvent(IVAN, 'student', 'Иванов Иван'),
      personEvent(IVAN, 'student', 'Иванов Иван Сергеевич', 2),
      movementEvent('enrolled', IVAN, 1, { to: CLASS_A, on: '2026-09-01' }),
      guardianEvent('link-anna-ivan', ANNA, IVAN, 1, { consent: false }),
      guardianEvent('link-anna-ivan', ANNA, IVAN, 2, { consent: true }),
      guardianEvent('link-anna-ivan', ANNA, IVAN, 3, { consent: false }),
      teachingEvent('assign-1', CLASS_A, 'teacher-phys', 1),
      teachingEvent('assign-1', CLASS_A, 'teacher-phys', 2, 'ended'),
      staffEvent('pos-deputy', DEPUTY, 'deputy', 1),
      staffEvent('pos-deputy', DEPUTY, 'deputy', 2, 'dismissed'),
      policyEvent(3, 1),
      policyEvent(1, 2),
    ];
    const forward = new MemoryCopies();
    await handleAll(forward, events);
    const backward = new MemoryCopies();
    await handleAll(backward, [...events].reverse());
    const shuffled = new MemoryCopies();
    await handleAll(shuffled, [
      ...events.filter((_, i) => i % 2 === 1),
      ...events.filter((_, i) => i % 2 === 0),
    ]);
    expect(backward.snapshot()).toEqual(forward.snapshot());
    expect(shuffled.snapshot()).toEqual(forward.snapshot());
    expect(await forward.get('schools', SCHOOL)).toMatchObject({
      name: 'Средняя школа № 1',
      timeZone: 'Asia/Krasnoyarsk',
      lowMarkThreshold: 1,
    });
    expect(guardiansOf(await forward.get('students', IVAN))).toEqual([]);
    expect((await forward.get('classes', CLASS_A))?.teacherIds).toEqual([]);
    expect((await forward.get('classes', CLASS_A))?.classTeacherId).toBe('teacher-z');
  });

  it('keeps a student in the class of the latest move effective on the day asked', async () => {
    const copies = await seededCopies();
    await handleAll(copies, [
      movementEvent('transferred', OLGA, 2, { from: CLASS_A, to: CLASS_B, on: '2026-12-01' }),
      movementEvent('graduated', PETR, 2, { from: CLASS_B, on: '2027-05-31' }),
      movementEvent('withdrawn', IVAN, 2, { from: CLASS_A, on: '2026-11-25' }),
    ]);
    const olga = (await copies.get('students', OLGA))!;
    expect(classOn(olga, '2026-08-31')).toBe('');
    expect(classOn(olga, '2026-11-30')).toBe(CLASS_A);
    expect(classOn(olga, '2026-12-01')).toBe(CLASS_B);
    expect(olga.classId).toBe(CLASS_B);
    const petr = (await copies.get('students', PETR))!;
    expect(classOn(petr, '2027-05-31')).toBe(CLASS_B);
    expect(classOn(petr, '2027-06-01')).toBe('');
    const ivan = (await copies.get('students', IVAN))!;
    expect(classOn(ivan, '2026-11-24')).toBe(CLASS_A);
    expect(classOn(ivan, '2026-11-25')).toBe('');
    // The class lists every student moved into it; readers ask classOn.
    expect((await copies.get('classes', CLASS_B))?.studentIds).toEqual([OLGA, PETR]);
  });

  it('takes the low-mark threshold from the newest policy, 2 by default', async () => {
    const copies = await seededCopies();
    expect((await copies.get('schools', SCHOOL))?.lowMarkThreshold).toBe(2);
    await handle(copies, policyEvent(3, 2));
    expect((await copies.get('schools', SCHOOL))?.lowMarkThreshold).toBe(3);
    await handle(copies, policyEvent(1, 1));
    expect((await copies.get('schools', SCHOOL))?.lowMarkThreshold).toBe(3);
    await handle(copies, policyEvent(0, 3));
    expect(await copies.get('schools', SCHOOL)).toMatchObject({ lowMarkThreshold: 2, policyVersion: 3 });
    // A later card keeps the policy.
    await handle(copies, schoolEvent(2, 'Школа № 1 им. Пушкина'));
    expect(await copies.get('schools', SCHOOL)).toMatchObject({
      lowMarkThreshold: 2,
      name: 'Школа № 1 им. Пушкина',
    });
  });

  it('keeps the teachers of a class from the active assignments, and subject names', async () => {
    const copies = await seededCopies();
    await handleAll(copies, [
      teachingEvent('assign-1', CLASS_A, 'teacher-phys', 1),
      teachingEvent('assign-2', CLASS_A, 'teacher-chem', 1),
      teachingEvent('assign-2', CLASS_A, 'teacher-chem', 2, 'ended'),
    ]);
    expect((await copies.get('classes', CLASS_A))?.teacherIds).toEqual(['teacher-phys']);
    expect(await copies.get('subjects', 'subj-physics')).toMatchObject({ name: 'Физика', source: 'mention' });
    await handle(copies, subjectEvent('subj-physics', 'physics', 'Физика (углублённый уровень)'));
    expect(await copies.get('subjects', 'subj-physics')).toMatchObject({
      name: 'Физика (углублённый уровень)',
      source: 'catalogue',
    });
    await handle(copies, teachingEvent('assign-3', CLASS_B, 'teacher-phys', 1));
    expect((await copies.get('subjects', 'subj-physics'))?.name).toBe('Физика (углублённый уровень)');
  });

  it('keeps absences per lesson (unexcused or not) by the record version, never brought back by an older event', async () => {
    const copies = await seededCopies();
    // Present or late: nothing to remember.
    await handle(copies, attendanceRecorded([{ studentId: IVAN, kind: 'late' }], [], { version: 1 }));
    expect(await copies.get('absences', IVAN)).toBeNull();
    await handle(copies, attendanceRecorded([{ studentId: IVAN, kind: 'absent' }], [], { version: 2 }));
    // Absent without a reason yet: an absence, not (yet) an unexcused one.
    expect((await copies.get('absences', IVAN))?.lessons).toEqual([
      {
        lessonId: 'lesson-rec-1',
        classId: CLASS_A,
        date: '2026-11-24',
        absent: true,
        unexcused: false,
        version: 2,
      },
    ]);
    await handle(copies, absenceReasonSet(IVAN, 'unexcused', { version: 3 }));
    expect((await copies.get('absences', IVAN))?.lessons[0]).toMatchObject({ absent: true, unexcused: true });
    await handle(copies, absenceReasonSet(IVAN, 'illness', { version: 5 }));
    await handle(copies, absenceReasonSet(IVAN, 'unexcused', { version: 4 }));
    expect((await copies.get('absences', IVAN))?.lessons[0]).toMatchObject({
      absent: true,
      unexcused: false,
      version: 5,
    });
    await handle(copies, absenceReasonSet(IVAN, 'unexcused', { version: 6 }));
    await handle(copies, attendanceRecorded([], [IVAN], { version: 7 }));
    expect((await copies.get('absences', IVAN))?.lessons[0]).toMatchObject({
      absent: false,
      unexcused: false,
      version: 7,
    });
  });

  it('forgets absences long before the newest', async () => {
    const copies = await seededCopies();
    await handle(copies, absenceReasonSet(IVAN, 'unexcused', { lessonId: 'old', date: '2026-09-10' }));
    await handle(copies, absenceReasonSet(IVAN, 'unexcused', { lessonId: 'new', date: '2026-11-24' }));
    expect((await copies.get('absences', IVAN))?.lessons.map((l) => l.lessonId)).toEqual(['new']);
  });
});
