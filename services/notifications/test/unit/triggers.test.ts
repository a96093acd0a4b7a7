import type { NotificationIntent } from '../../src/domain/model';
import type { MemoryCopies } from './memory-copies';
import {
  ANNA,
  BORIS,
  CLASS_A,
  CLASS_B,
  DEPUTY,
  IVAN,
  OLGA,
  PETR,
  SCHOOL,
  TEACHER_A,
  TEACHER_B,
  TODAY,
  TOMORROW,
  VERA,
  absenceReasonSet,
  attendanceRecorded,
  calendarEvent,
  classEvent,
  guardianEvent,
  handle,
  homeworkAssigned,
  lessonEvent,
  mark,
  markCorrected,
  marksPosted,
  movementEvent,
  periodMarkEvent,
  policyEvent,
  recipients,
  seededCopies,
  subgroupEvent,
} from './source-fixtures';

/** Ids in order, as `recipients` gives them. */
function sorted(ids: string[]): string[] {
  return [...ids].sort();
}

/** Everything told to one person, as text: what a leak test reads. */
function toldTo(intents: NotificationIntent[], recipientId: string): string {
  return JSON.stringify(intents.filter((i) => i.recipientId === recipientId));
}

/** Asserts that nothing told to the person names another child than theirs. */
function expectOnlyAbout(intents: NotificationIntent[], recipientId: string, own: string[]): void {
  const text = toldTo(intents, recipientId);
  const others: Record<string, string> = {
    [IVAN]: 'Иванов Иван',
    [OLGA]: 'Смирнова Ольга',
    [PETR]: 'Петров Пётр',
  };
  for (const [id, name] of Object.entries(others)) {
    if (own.includes(id)) continue;
    expect(text).not.toContain(id);
    expect(text).not.toContain(name);
  }
}

describe('triggers', () => {
  let copies: MemoryCopies;

  beforeEach(async () => {
    copies = await seededCopies();
  });

  describe('mark_posted and low_mark', () => {
    it('tells each student of their new marks, with their guardians with consent', async () => {
      const event = marksPosted([mark(IVAN, '5'), mark(OLGA, '4')]);
      const intents = await handle(copies, event);
      expect(recipients(intents, 'mark_posted')).toEqual(sorted([ANNA, IVAN, OLGA, VERA]));
      expect(recipients(intents, 'low_mark')).toEqual(sorted([]));
      const anna = intents.find((i) => i.recipientId === ANNA)!;
      expect(anna).toEqual({
        eventId: event.id,
        trigger: 'mark_posted',
        recipientId: ANNA,
        studentId: IVAN,
        schoolId: SCHOOL,
        schoolName: 'Школа № 1',
        timeZone: 'Europe/Moscow',
        title: 'Новая отметка: 5',
        body: 'Иванов Иван: 5 (контрольная работа) по предмету «Математика» за урок 24.11.2026.',
        link: `diary:week:${IVAN}:${TODAY}`,
        occurredAt: event.occurredAt,
      });
      // Boris has no consent; no other child's mark reaches a guardian.
      expect(toldTo(intents, BORIS)).toBe('[]');
      expectOnlyAbout(intents, ANNA, [IVAN]);
      expectOnlyAbout(intents, VERA, [OLGA]);
      expectOnlyAbout(intents, IVAN, [IVAN]);
    });

    it('tells two marks of one student in one save once', async () => {
      const intents = await handle(copies, marksPosted([mark(IVAN, '5', 'm1'), mark(IVAN, '4', 'm2')]));
      const ivan = intents.filter((i) => i.recipientId === IVAN);
      expect(ivan).toHaveLength(1);
      expect(ivan[0]!.title).toBe('Новые отметки: 5, 4');
    });

    it('tells a low mark also to the class teacher, by the school threshold', async () => {
      const intents = await handle(copies, marksPosted([mark(IVAN, '2'), mark(OLGA, '3')]));
      expect(recipients(intents, 'low_mark')).toEqual(sorted([ANNA, IVAN, TEACHER_A]));
      const teacher = intents.find((i) => i.recipientId === TEACHER_A)!;
      expect(teacher).toMatchObject({
        trigger: 'low_mark',
        studentId: IVAN,
        title: 'Низкая отметка: 2',
        body: 'Иванов Иван (5А): 2 (контрольная работа) по предмету «Математика» за урок 24.11.2026.',
        link: 'journal:lesson:lesson-rec-1',
      });
      expectOnlyAbout(intents, TEACHER_A, [IVAN]);

      await handle(copies, policyEvent(3, 1));
      const after = await handle(copies, marksPosted([mark(OLGA, '3'), mark(IVAN, 'зачёт')]));
      expect(recipients(after, 'low_mark')).toEqual(sorted([OLGA, TEACHER_A, VERA]));
      expectOnlyAbout(after, TEACHER_A, [OLGA]);
    });

    it('tells a correction old → new without the reason', async () => {
      const intents = await handle(copies, markCorrected(IVAN, '3', '4'));
      expect(recipients(intents, 'mark_corrected')).toEqual(sorted([ANNA, IVAN]));
      const text = toldTo(intents, ANNA);
      expect(intents[0]!.title).toBe('Отметка исправлена: 3 → 4');
      expect(text).toContain('исправлена с 3 на 4');
      expect(text).not.toContain('перепутаны');
    });
  });

  describe('absence and repeated_absence', () => {
    it('tells the guardians of a student marked absent now, not of a late one', async () => {
      const intents = await handle(
        copies,
        attendanceRecorded([
          { studentId: IVAN, kind: 'absent' },
          { studentId: OLGA, kind: 'late' },
        ]),
      );
      expect(recipients(intents)).toEqual(sorted([ANNA]));
      expect(intents[0]).toMatchObject({
        trigger: 'absence',
        studentId: IVAN,
        title: 'Отсутствие на уроке',
        body: 'Иванов Иван отсутствовал(а) на уроке «Математика» 24.11.2026, 2-й урок.',
      });
    });

    it('tells the class teacher and the deputies of the third unexcused absence in 14 days', async () => {
      const first = await handle(
        copies,
        absenceReasonSet(IVAN, 'unexcused', { lessonId: 'l1', date: '2026-11-12' }),
      );
      const second = await handle(
        copies,
        absenceReasonSet(IVAN, 'unexcused', { lessonId: 'l2', date: '2026-11-20' }),
      );
      // An excused one and one outside the 14 days do not count.
      await handle(copies, absenceReasonSet(IVAN, 'illness', { lessonId: 'l3', date: '2026-11-21' }));
      await handle(copies, absenceReasonSet(IVAN, 'unexcused', { lessonId: 'l0', date: '2026-11-10' }));
      expect([...first, ...second]).toEqual([]);
      const third = await handle(
        copies,
        absenceReasonSet(IVAN, 'unexcused', { lessonId: 'l4', date: TODAY }),
      );
      // The dismissed deputy and the director are not told.
      expect(recipients(third)).toEqual(sorted([DEPUTY, TEACHER_A]));
      expect(third[0]).toMatchObject({
        trigger: 'repeated_absence',
        studentId: IVAN,
        title: 'Пропуски уроков без уважительной причины',
        body: 'Иванов Иван (5А): 3 пропуска уроков без уважительной причины с 11.11.2026 по 24.11.2026.',
        link: `journal:attendance:${CLASS_A}:${IVAN}`,
      });
      // A fourth tells again with the new count.
      const fourth = await handle(
        copies,
        absenceReasonSet(IVAN, 'unexcused', { lessonId: 'l5', date: TODAY }),
      );
      expect(fourth[0]!.body).toContain('4 пропуска');
      // Another student's absences are counted apart.
      expect(
        await handle(copies, absenceReasonSet(OLGA, 'unexcused', { lessonId: 'l4', date: TODAY })),
      ).toEqual([]);
    });

    it('does not tell an old absence found unexcused late', async () => {
      for (const [id, date] of [
        ['l1', '2026-10-01'],
        ['l2', '2026-10-02'],
      ]) {
        await handle(copies, absenceReasonSet(IVAN, 'unexcused', { lessonId: id, date }));
      }
      expect(
        await handle(copies, absenceReasonSet(IVAN, 'unexcused', { lessonId: 'l3', date: '2026-10-03' })),
      ).toEqual([]);
    });
  });

  describe('homework_tomorrow', () => {
    it('tells the class homework due tomorrow to the students and their guardians', async () => {
      const intents = await handle(copies, homeworkAssigned([{ text: '№ 125, 126', dueDate: TOMORROW }]));
      expect(recipients(intents, 'homework_tomorrow')).toEqual(sorted([ANNA, IVAN, OLGA, VERA]));
      expect(intents.find((i) => i.recipientId === VERA)).toMatchObject({
        studentId: OLGA,
        title: 'Домашнее задание на 25.11.2026',
        body: 'Смирнова Ольга, «Математика»: № 125, 126',
        link: `diary:week:${OLGA}:${TOMORROW}`,
      });
      expectOnlyAbout(intents, VERA, [OLGA]);
      expectOnlyAbout(intents, ANNA, [IVAN]);
    });

    it('tells nobody of homework due another day or without a due date', async () => {
      expect(await handle(copies, homeworkAssigned([{ text: 'Читать', dueDate: '2026-11-26' }]))).toEqual([]);
      expect(
        await handle(copies, homeworkAssigned([{ text: 'Читать', dueDate: '' }], {}, 'changed')),
      ).toEqual([]);
    });

    it('tells individual homework to its student only', async () => {
      const intents = await handle(
        copies,
        homeworkAssigned([{ text: 'Исправить ошибки в работе', dueDate: TOMORROW, studentId: IVAN }]),
      );
      expect(recipients(intents)).toEqual(sorted([ANNA, IVAN]));
      expect(JSON.stringify(intents)).not.toContain(OLGA);
    });

    it("tells a subgroup's homework to its members", async () => {
      await handle(copies, subgroupEvent('sg-1', CLASS_A, [OLGA], 1));
      const intents = await handle(
        copies,
        homeworkAssigned([{ text: 'Слова', dueDate: TOMORROW }], { subgroupId: 'sg-1' }),
      );
      expect(recipients(intents)).toEqual(sorted([OLGA, VERA]));
    });

    it('tells the students in the class on the due day', async () => {
      await handle(
        copies,
        movementEvent('transferred', OLGA, 2, { from: CLASS_A, to: CLASS_B, on: TOMORROW }),
      );
      const intents = await handle(copies, homeworkAssigned([{ text: '№ 1', dueDate: TOMORROW }]));
      expect(recipients(intents)).toEqual(sorted([ANNA, IVAN]));
    });
  });

  describe('period_mark', () => {
    it('tells a period, year, exam or final mark to the student and their guardians', async () => {
      const year = await handle(copies, periodMarkEvent(IVAN, 'year', '5', 1));
      expect(recipients(year)).toEqual(sorted([ANNA, IVAN]));
      expect(year[0]).toMatchObject({
        trigger: 'period_mark',
        title: 'Годовая отметка: 5',
        body: 'Иванов Иван: годовая отметка по предмету «Математика» — 5.',
        link: `diary:marks:${IVAN}:year-1`,
      });
      const period = await handle(copies, periodMarkEvent(OLGA, 'period', '4', 1));
      expect(recipients(period)).toEqual(sorted([OLGA, VERA]));
      expect(period[0]!.title).toBe('Отметка за 2-й учебный период: 4');
      const corrected = await handle(copies, periodMarkEvent(IVAN, 'final', '5', 2, '4'));
      expect(corrected[0]!.title).toBe('Итоговая отметка исправлена: 4 → 5');
      expect(corrected[0]!.body).not.toContain('Пересчёт');
    });
  });

  describe('timetable_changed', () => {
    it('tells a change of a lesson today or tomorrow to the class and the guardians', async () => {
      const cancelled = await handle(copies, lessonEvent('cancelled', { date: TOMORROW }));
      expect(recipients(cancelled)).toEqual(sorted([ANNA, IVAN, OLGA, VERA]));
      expect(cancelled[0]).toMatchObject({
        trigger: 'timetable_changed',
        title: 'Урок отменён',
        body: 'Урок «Математика» 25.11.2026, 3-й урок отменён.',
      });
      expectOnlyAbout(cancelled, ANNA, [IVAN]);
      const today = await handle(
        copies,
        lessonEvent('rescheduled', { date: TODAY, changed: ['room', 'time'] }),
      );
      expect(recipients(today)).toEqual(sorted([ANNA, IVAN, OLGA, VERA]));
      expect(today[0]!.body).toBe(
        'Урок «Математика» изменён: 24.11.2026, 3-й урок, 10:00–10:45, кабинет 214 (изменено: время, кабинет).',
      );
    });

    it('tells nobody of a change further ahead or in the past', async () => {
      expect(await handle(copies, lessonEvent('cancelled', { date: '2026-11-26' }))).toEqual([]);
      expect(await handle(copies, lessonEvent('cancelled', { date: '2026-11-23' }))).toEqual([]);
    });

    it('tells a lesson moved away from tomorrow', async () => {
      const intents = await handle(
        copies,
        lessonEvent('rescheduled', { date: '2026-12-02', movedFromDate: TOMORROW, changed: ['date'] }),
      );
      expect(recipients(intents)).toEqual(sorted([ANNA, IVAN, OLGA, VERA]));
      expect(intents[0]!.body).toContain('перенесён с 25.11.2026: 02.12.2026');
    });

    it("tells a substitution with the substitute's name, and a subgroup's lesson to its members", async () => {
      await handle(copies, subgroupEvent('sg-1', CLASS_A, [IVAN], 1));
      const intents = await handle(
        copies,
        lessonEvent('substitution', { date: TODAY, subgroupId: 'sg-1', substituteTeacherId: 'teacher-sub' }),
      );
      expect(recipients(intents)).toEqual(sorted([ANNA, IVAN]));
      expect(intents[0]).toMatchObject({
        title: 'Замена учителя',
        body: 'Урок «Математика» 24.11.2026, 3-й урок проведёт Соколов Андрей Ильич.',
      });
    });

    it('takes "today" in the school zone', async () => {
      // 22:30 UTC on the 24th is already the 25th in Moscow: the 26th is tomorrow.
      const late = new Date('2026-11-24T22:30:00.000Z');
      expect(
        recipients(await handle(copies, lessonEvent('cancelled', { date: '2026-11-26' }), late)),
      ).toHaveLength(4);
    });
  });

  describe('school_event', () => {
    it('tells an event of some classes to their students and guardians', async () => {
      const event = calendarEvent('scheduled', { scope: 'classes', classIds: [CLASS_B] });
      const intents = await handle(copies, event);
      expect(recipients(intents)).toEqual(sorted([ANNA, PETR]));
      expect(intents[0]).toMatchObject({
        trigger: 'school_event',
        title: 'Событие: Итоги четверти',
        body: 'Родительское собрание: Итоги четверти — 27.11.2026, 18:00, Актовый зал.',
        link: 'calendar:event:event-1',
      });
      expect(intents.find((i) => i.recipientId === ANNA)!.studentId).toBe(PETR);
    });

    it('tells a school event to every class, a guardian of two children once', async () => {
      const intents = await handle(copies, calendarEvent('scheduled', { scope: 'school' }));
      expect(recipients(intents)).toEqual(sorted([ANNA, IVAN, OLGA, PETR, VERA]));
      expect(intents.find((i) => i.recipientId === ANNA)!.studentId).toBe(IVAN);
      // Closed classes are not told.
      await handle(copies, classEvent(CLASS_B, 2, '5Б', TEACHER_B, 'closed'));
      expect(recipients(await handle(copies, calendarEvent('changed', { scope: 'school' })))).toEqual(
        sorted([ANNA, IVAN, OLGA, VERA]),
      );
    });

    it('tells only the participants when it names some', async () => {
      const intents = await handle(
        copies,
        calendarEvent('scheduled', { scope: 'school', participantIds: [OLGA, TEACHER_A] }),
      );
      expect(recipients(intents)).toEqual(sorted([OLGA, VERA]));
    });

    it('tells a cancellation with its reason; not recorded results, nor an event that is over', async () => {
      const cancelled = await handle(
        copies,
        calendarEvent('cancelled', { scope: 'classes', classIds: [CLASS_A] }),
      );
      expect(cancelled[0]).toMatchObject({ title: 'Отменено событие: Итоги четверти' });
      expect(cancelled[0]!.body).toContain('Причина: Карантин.');
      expect(await handle(copies, calendarEvent('changed', { scope: 'school', change: 'results' }))).toEqual(
        [],
      );
      expect(
        await handle(copies, calendarEvent('scheduled', { scope: 'school', startsOn: '2026-11-20' })),
      ).toEqual([]);
    });
  });

  describe('consent and duplicates', () => {
    it('tells a guardian nothing once consent is revoked or the link ended', async () => {
      await handle(copies, guardianEvent('link-anna-ivan', ANNA, IVAN, 3, { consent: false }));
      await handle(
        copies,
        guardianEvent('link-vera-olga', VERA, OLGA, 3, { status: 'ended', consent: false }),
      );
      const intents = [
        ...(await handle(copies, marksPosted([mark(IVAN, '2'), mark(OLGA, '5')]))),
        ...(await handle(copies, attendanceRecorded([{ studentId: IVAN, kind: 'absent' }]))),
        ...(await handle(copies, homeworkAssigned([{ text: '№ 1', dueDate: TOMORROW }]))),
        ...(await handle(copies, lessonEvent('cancelled', { date: TOMORROW }))),
        ...(await handle(copies, periodMarkEvent(IVAN, 'year', '5', 1))),
        ...(await handle(copies, calendarEvent('scheduled', { scope: 'classes', classIds: [CLASS_A] }))),
      ];
      expect(intents.length).toBeGreaterThan(0);
      expect(toldTo(intents, ANNA)).toBe('[]');
      expect(toldTo(intents, VERA)).toBe('[]');
      expect(toldTo(intents, BORIS)).toBe('[]');
    });

    it('gives the same intents when an event comes again, and changes the copies once', async () => {
      const events = [
        marksPosted([mark(IVAN, '2'), mark(OLGA, '5')]),
        markCorrected(OLGA, '5', '4'),
        attendanceRecorded([{ studentId: IVAN, kind: 'absent', reason: 'unexcused' }], [], {
          lessonId: 'a1',
        }),
        absenceReasonSet(IVAN, 'unexcused', { lessonId: 'a2', version: 2 }),
        absenceReasonSet(IVAN, 'unexcused', { lessonId: 'a3', version: 2 }),
        homeworkAssigned([{ text: '№ 1', dueDate: TOMORROW }]),
        periodMarkEvent(IVAN, 'year', '5', 1),
        lessonEvent('rescheduled', { date: TOMORROW, changed: ['teacher'] }),
        calendarEvent('scheduled', { scope: 'school' }),
      ];
      for (const event of events) {
        const first = await handle(copies, event);
        const snapshot = copies.snapshot();
        copies.puts = 0;
        const again = await handle(copies, event);
        expect(again).toEqual(first);
        expect(copies.puts).toBe(0);
        expect(copies.snapshot()).toEqual(snapshot);
      }
    });

    it('names the school and falls back to the subject key while the subject is unknown', async () => {
      const intents = await handle(
        copies,
        marksPosted([mark(IVAN, '5')], { lessonId: 'x', subjectId: 'subj-unknown', subjectKey: 'astronomy' }),
      );
      expect(intents.every((i) => i.schoolName === 'Школа № 1' && i.timeZone === 'Europe/Moscow')).toBe(true);
      expect(intents[0]!.body).toContain('по предмету «astronomy»');
    });
  });
});
