import { fulfilmentOf, isHeld } from '../../src/domain/fulfilment';
import {
  changeReasonErrors,
  slotConflicts,
  teacherInCharge,
  type LessonSlot,
} from '../../src/domain/lesson-change';
import type { Lesson } from '../../src/domain/lesson';
import type { StudyWeeks } from '../../src/domain/curriculum';

// Pure rules of single-lesson changes (conflicts at a slot, reasons, who is in charge) and of
// curriculum fulfilment (planned vs scheduled vs held).

const lesson = (fields: Partial<Lesson>): Lesson => ({
  id: 'lesson-1',
  schoolId: 'school-1',
  academicYearId: 'year-1',
  period: 1,
  classId: 'class-5a',
  className: '5А',
  subgroupId: '',
  subgroupName: '',
  subjectId: 'math',
  subjectKey: 'mathematics',
  subjectName: 'Математика',
  subjectShortName: 'Матем.',
  teacherId: 'teacher-1',
  date: '2026-10-12',
  lessonNumber: 2,
  startsAt: '08:55',
  endsAt: '09:40',
  room: '214',
  status: 'scheduled',
  origin: 'timetable',
  cancellationReason: '',
  substituteTeacherId: '',
  substitutionReason: '',
  substitutionApprovedBy: '',
  movedFromDate: '',
  movedFromLessonNumber: 0,
  changeReason: '',
  hasJournalContent: false,
  journalVersion: 0,
  needsDecision: false,
  version: 1,
  createdAt: '2026-09-01T00:00:00.000Z',
  updatedAt: '2026-09-01T00:00:00.000Z',
  ...fields,
});

const slot = (fields: Partial<LessonSlot>): LessonSlot => ({
  id: 'moved',
  classId: 'class-6b',
  subgroupId: '',
  teacherId: 'teacher-9',
  room: '',
  date: '2026-10-12',
  startsAt: '08:55',
  endsAt: '09:40',
  ...fields,
});

const noMembers = () => undefined;

describe('slotConflicts', () => {
  it('finds the teacher busy at the same time, also as a substitute elsewhere', () => {
    const teaching = lesson({ id: 'a', teacherId: 'teacher-9' });
    const substituting = lesson({
      id: 'b',
      classId: 'class-7v',
      teacherId: 'teacher-2',
      substituteTeacherId: 'teacher-9',
    });
    const codes = slotConflicts(slot({}), [teaching, substituting], noMembers).map((c) => [
      c.code,
      c.lessonId,
    ]);
    expect(codes).toEqual([
      ['lesson.teacher_busy', 'a'],
      ['lesson.teacher_busy', 'b'],
    ]);
  });

  it('ignores the lesson itself, cancelled lessons, other days and times that only touch', () => {
    const others = [
      lesson({ id: 'moved', teacherId: 'teacher-9' }),
      lesson({ id: 'c', teacherId: 'teacher-9', status: 'cancelled' }),
      lesson({ id: 'd', teacherId: 'teacher-9', date: '2026-10-13' }),
      lesson({ id: 'e', teacherId: 'teacher-9', startsAt: '09:40', endsAt: '10:25' }),
    ];
    expect(slotConflicts(slot({}), others, noMembers)).toEqual([]);
  });

  it('finds the room taken whatever the spacing and case, never an empty room', () => {
    const other = lesson({ id: 'a', room: '2 14' });
    expect(slotConflicts(slot({ room: '214' }), [other], noMembers).map((c) => c.code)).toEqual([
      'lesson.room_busy',
    ]);
    expect(slotConflicts(slot({ room: '' }), [other], noMembers)).toEqual([]);
  });

  it('finds the class busy: whole class, same subgroup, or subgroups sharing a student', () => {
    const members: Record<string, string[]> = { g1: ['s1', 's2'], g2: ['s3'], g3: ['s2'] };
    const membersOf = (id: string) => members[id];
    const whole = lesson({ id: 'w', classId: 'class-6b', teacherId: 'x', room: '' });
    const group1 = lesson({ id: 'g', classId: 'class-6b', subgroupId: 'g1', teacherId: 'x', room: '' });
    const codes = (s: LessonSlot, others: Lesson[]) => slotConflicts(s, others, membersOf).map((c) => c.code);
    expect(codes(slot({ subgroupId: 'g2' }), [whole])).toEqual(['lesson.class_busy']);
    expect(codes(slot({}), [group1])).toEqual(['lesson.class_busy']);
    expect(codes(slot({ subgroupId: 'g1' }), [group1])).toEqual(['lesson.class_busy']);
    expect(codes(slot({ subgroupId: 'g3' }), [group1])).toEqual(['lesson.class_busy']);
    expect(codes(slot({ subgroupId: 'g2' }), [group1])).toEqual([]);
  });

  it('names the lesson in the way in Russian', () => {
    const [conflict] = slotConflicts(slot({}), [lesson({ id: 'a', teacherId: 'teacher-9' })], noMembers);
    expect(conflict?.message).toBe(
      'Учитель в это время ведёт другой урок: 5А, Математика, 2-й урок 12.10.2026',
    );
  });
});

describe('reasons and who is in charge', () => {
  it('asks for a reason of at most 300 characters', () => {
    expect(changeReasonErrors('')).toEqual([{ field: 'reason', message: 'Укажите причину' }]);
    expect(changeReasonErrors('x'.repeat(301))).toHaveLength(1);
    expect(changeReasonErrors('Болезнь учителя')).toEqual([]);
  });

  it('puts the substitute in charge while there is one', () => {
    expect(teacherInCharge(lesson({}))).toBe('teacher-1');
    expect(teacherInCharge(lesson({ substituteTeacherId: 'teacher-2' }))).toBe('teacher-2');
  });
});

describe('fulfilmentOf', () => {
  const weeks: StudyWeeks = {
    source: 'calendar',
    periodKind: 'quarter',
    periods: [
      { number: 1, name: '1-я четверть', startsOn: '2026-09-01', endsOn: '2026-10-24', weeks: 8 },
      { number: 2, name: '2-я четверть', startsOn: '2026-11-05', endsOn: '2026-12-28', weeks: 8 },
    ],
    perYear: 16,
  };
  const line = (subjectId: string, hoursPerWeek: number) => ({
    subjectId,
    subjectKey: subjectId,
    subjectName: subjectId === 'math' ? 'Математика' : 'Английский',
    educationArea: 'mathematics_informatics' as never,
    component: 'mandatory' as const,
    hoursPerWeek,
    periodHours: subjectId === 'math' ? [{ period: 2, hoursPerWeek: 4 }] : [],
  });
  const now = { date: '2026-10-12', time: '09:00' };

  it('counts planned hours by period, scheduled and held lessons per subject and subgroup', () => {
    const lessons = [
      lesson({ id: '1', date: '2026-10-05' }),
      lesson({ id: '2', date: '2026-10-12', endsAt: '08:45' }),
      lesson({ id: '3', date: '2026-10-12', endsAt: '09:40' }),
      lesson({ id: '4', date: '2026-10-06', status: 'cancelled' }),
      lesson({
        id: '5',
        subjectId: 'english',
        subjectName: 'Английский',
        subgroupId: 'g1',
        subgroupName: 'Группа 1',
      }),
    ];
    const rows = fulfilmentOf({ lines: [line('math', 5), line('english', 3)] }, weeks, lessons, now);
    expect(
      rows.map((r) => [r.period, r.subjectId, r.subgroupId, r.planned, r.scheduled, r.held, r.cancelled]),
    ).toEqual([
      [1, 'math', '', 40, 3, 2, 1],
      [1, 'english', 'g1', 24, 1, 0, 0],
      [2, 'math', '', 32, 0, 0, 0],
      [2, 'english', '', 24, 0, 0, 0],
    ]);
  });

  it('lists a subject with lessons but no line of the plan with nothing planned', () => {
    const rows = fulfilmentOf(null, weeks, [lesson({ date: '2026-09-01' })], now);
    expect(rows).toEqual([expect.objectContaining({ subjectId: 'math', planned: 0, scheduled: 1, held: 1 })]);
  });

  it('holds a lesson only once it has ended and unless cancelled', () => {
    expect(isHeld(lesson({ date: '2026-10-12', endsAt: '09:00' }), now)).toBe(true);
    expect(isHeld(lesson({ date: '2026-10-12', endsAt: '09:01' }), now)).toBe(false);
    expect(isHeld(lesson({ date: '2026-10-11', status: 'cancelled' }), now)).toBe(false);
  });
});
