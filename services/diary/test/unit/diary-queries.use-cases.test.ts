import { DomainError } from '@edu/kit';
import {
  getForecast,
  getHome,
  getSubject,
  getSummary,
  getWeek,
} from '../../src/domain/diary-queries.use-cases';
import { getSettings, setSettings } from '../../src/domain/settings.use-cases';
import type { Actor } from '../../src/domain/ports';
import {
  actors,
  ANN,
  annDoc,
  as,
  BORIS,
  CLASS_A,
  CLASS_B,
  MONDAY,
  SCHOOL,
  schoolModel,
  setup,
} from './diary-queries.fixtures';

// The diary's queries against the in-memory model: who reads a student's diary, and that what
// they read is this student's only.

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const annWeek = { studentId: ANN, date: MONDAY };

describe('who reads a student’s diary', () => {
  const allowed: [string, Actor][] = [
    ['the student', actors.ann],
    ['an active guardian', actors.mother],
    ['the class teacher of the former class', actors.classTeacherA],
    ['the class teacher of the new class', actors.classTeacherB],
    ['a teacher of the class', actors.mathTeacher],
    ['the director', actors.director],
    ['a deputy', actors.deputy],
    ['the school admin', actors.schoolAdmin],
  ];
  it.each(allowed)('%s reads the week', async (_who, actor) => {
    const { deps, denials } = setup();
    const week = await getWeek(deps, as(actor), annWeek);
    expect(week.student.studentId).toBe(ANN);
    expect(denials).toEqual([]);
  });

  const refused: [string, Actor][] = [
    ['a guardian without consent', actors.father],
    ['a guardian of another child of the class', actors.borisGuardian],
    ['a teacher of the class without a role in the school', actors.englishTeacherWithoutRole],
    ['a teacher of another class', actors.teacherOfOtherClass],
    ['a secretary', actors.secretary],
    ['a director of another school', actors.otherDirector],
    ['a stranger', actors.stranger],
    ['another student', { accountId: 'acc-boris', personId: BORIS, schoolRoles: [], grants: [] }],
  ];
  it.each(refused)('%s is refused every view', async (_who, actor) => {
    const { deps, denials } = setup();
    for (const attempt of [
      getWeek(deps, as(actor), annWeek),
      getSubject(deps, as(actor), { studentId: ANN, subjectId: 'math', period: 0 }),
      getForecast(deps, as(actor), { studentId: ANN, period: 0 }),
      getSummary(deps, as(actor), { studentId: ANN, period: 0 }),
    ]) {
      const error = await refusal(attempt);
      expect(error.kind).toBe('forbidden');
      expect(error.code).toBe('access.denied');
    }
    expect(denials).toHaveLength(4);
    expect(denials[0]).toEqual({ action: 'diary.read', object: `student:${ANN}` });
  });

  it('refuses an unknown student exactly like a foreign one, even to the director', async () => {
    const { deps, denials } = setup();
    const unknown = await refusal(getWeek(deps, as(actors.director), { studentId: 's-ghost', date: '' }));
    const foreign = await refusal(getWeek(deps, as(actors.stranger), annWeek));
    expect(unknown.toJSON()).toEqual(foreign.toJSON());
    expect(unknown.kind).toBe('forbidden');
    expect(denials.map((d) => d.object)).toEqual(['student:s-ghost', `student:${ANN}`]);
  });
});

describe('bad input', () => {
  it('names the fields', async () => {
    const { deps } = setup();
    const week = await refusal(getWeek(deps, as(actors.ann), { studentId: ' ', date: '2026-02-30' }));
    expect(week.code).toBe('diary.query_invalid');
    expect(week.kind).toBe('invalid');
    expect(week.errors?.map((e) => e.field)).toEqual(['student_id', 'date']);
    const subject = await refusal(
      getSubject(deps, as(actors.ann), { studentId: ANN, subjectId: '', period: -1 }),
    );
    expect(subject.errors?.map((e) => e.field)).toEqual(['subject_id', 'period']);
    const summary = await refusal(getSummary(deps, as(actors.ann), { studentId: ANN, period: 1.5 }));
    expect(summary.errors?.map((e) => e.field)).toEqual(['period']);
  });

  it('refuses a period the year does not have', async () => {
    const { deps } = setup();
    const error = await refusal(getForecast(deps, as(actors.ann), { studentId: ANN, period: 7 }));
    expect(error.code).toBe('diary.query_invalid');
    expect(error.errors?.[0]).toEqual({
      field: 'period',
      message: 'в учебном году класса 5Б нет периода № 7',
    });
  });
});

describe('getWeek', () => {
  it('assembles Monday to Sunday across the class change, with only this student’s lessons', async () => {
    const { deps } = setup();
    const week = await getWeek(deps, as(actors.mother), annWeek);
    expect(week).toMatchObject({ startsOn: '2026-11-23', endsOn: '2026-11-29' });
    expect(week.days.map((d) => [d.weekday, d.weekdayName, d.date])).toEqual([
      [1, 'Понедельник', '2026-11-23'],
      [2, 'Вторник', '2026-11-24'],
      [3, 'Среда', '2026-11-25'],
      [4, 'Четверг', '2026-11-26'],
      [5, 'Пятница', '2026-11-27'],
      [6, 'Суббота', '2026-11-28'],
      [7, 'Воскресенье', '2026-11-29'],
    ]);
    // 5А until Tuesday (her English group only), 5Б from Wednesday.
    expect(week.days.map((d) => d.lessons.map((l) => l.lessonId))).toEqual([
      ['l1', 'l2'],
      ['l3', 'l4'],
      ['b1', 'b2'],
      ['b4'],
      [],
      [],
      [],
    ]);
    // The card of the asked day: still 5А on Monday.
    expect(week.student).toEqual({
      studentId: ANN,
      displayName: 'Смирнова Анна Сергеевна',
      schoolId: SCHOOL,
      schoolName: 'Школа № 1',
      classId: CLASS_A,
      className: '5А',
      academicYearId: 'year-1',
      timeZone: 'Asia/Yekaterinburg',
    });
  });

  it('takes the current week in the school’s zone and the card of today', async () => {
    // 2026-11-29T20:00Z is Monday 2026-11-30 01:00 in Yekaterinburg.
    const { deps } = setup({ now: '2026-11-29T20:00:00.000Z' });
    const week = await getWeek(deps, as(actors.ann), { studentId: ANN, date: '' });
    expect(week.startsOn).toBe('2026-11-30');
    expect(week.student.className).toBe('5Б');
    expect(week.days.every((d) => d.lessons.length === 0)).toBe(true);
  });

  it('shows a lesson with teacher, content, this student’s marks, attendance and homework', async () => {
    const { deps } = setup();
    const week = await getWeek(deps, as(actors.ann), annWeek);
    const [l1, l2] = week.days[0]!.lessons;
    expect(l1).toMatchObject({
      lessonNumber: 1,
      startsAt: '08:30',
      subjectName: 'Математика',
      subgroupName: '',
      teacherId: 't-math',
      teacherName: 'Иванова А. П.',
      substituteTeacherName: '',
      room: '214',
      status: 'scheduled',
      notes: [],
      topic: 'Дроби',
      attendance: null,
    });
    expect(l1!.homework).toEqual([
      {
        text: '№ 12',
        // No due date from the teacher: the next maths lesson of 5А (Tuesday).
        dueDate: '2026-11-24',
        attachments: [],
        individual: false,
        subjectId: 'math',
        subjectName: 'Математика',
        lessonId: 'l1',
        lessonDate: '2026-11-23',
      },
      expect.objectContaining({ text: 'Карточка 3', dueDate: '2026-11-26', individual: true }),
    ]);
    expect(l1!.marks.map((m) => m.markId)).toEqual(['m1', 'm3']);
    expect(l1!.marks[0]).toEqual({
      markId: 'm1',
      value: '5',
      workType: 'test',
      workTypeName: 'Контрольная работа',
      weight: 2,
      comment: '',
      status: 'active',
      corrected: false,
      previousValues: [],
      correctionReason: '',
      lessonId: 'l1',
      date: '2026-11-23',
      subjectId: 'math',
      subjectName: 'Математика',
      lessonTopic: 'Дроби',
      postedAt: '2026-11-23T05:00:00.000Z',
    });
    // Corrected: old → new, no reason unless the school shows reasons.
    expect(l1!.marks[1]).toMatchObject({
      value: '4',
      corrected: true,
      previousValues: ['3'],
      correctionReason: '',
    });
    // Voided: struck out, the old value kept.
    expect(l2!.marks).toEqual([
      expect.objectContaining({
        markId: 'm4',
        value: '',
        status: 'voided',
        corrected: true,
        previousValues: ['2'],
      }),
    ]);
    expect(l2).toMatchObject({ subgroupName: 'Группа 1', teacherName: 'Кузнецов О. И.' });
    expect(l2!.attendance).toEqual({
      kind: 'late',
      lateMinutes: 5,
      reason: '',
      reasonName: 'причина не указана',
    });
  });

  it('shows substitutions, cancellations and moves in words', async () => {
    const { deps } = setup();
    const week = await getWeek(deps, as(actors.ann), annWeek);
    const [l3, l4] = week.days[1]!.lessons;
    expect(l3).toMatchObject({
      substituteTeacherId: 't-sub',
      substituteTeacherName: 'Петрова М. И.',
      notes: ['Замена: Петрова М. И.'],
      attendance: { kind: 'absent', lateMinutes: 0, reason: 'illness', reasonName: 'уважительная (болезнь)' },
    });
    // Homework of Tuesday is due at the next maths lesson of 5А, even though Anna has left by then.
    expect(l3!.homework[0]).toMatchObject({ text: 'Стр. 40', dueDate: '2026-11-25' });
    expect(l4).toMatchObject({
      status: 'cancelled',
      notes: ['Урок отменён', 'Причина: Болезнь учителя'],
      teacherName: 'Орлова О.',
    });
    const [b1] = week.days[2]!.lessons;
    expect(b1!.notes).toEqual(['Перенесён с 20.11']);
    // Due at the next maths lesson of 5Б (Thursday).
    expect(b1!.homework.map((h) => [h.text, h.dueDate, h.individual])).toEqual([
      ['Упр. 5', '2026-11-26', false],
      ['Карточка 7', '2026-11-26', true],
    ]);
  });

  it('never shows another student’s marks, attendance or homework', async () => {
    const { deps } = setup();
    const text = JSON.stringify(await getWeek(deps, as(actors.director), annWeek));
    for (const foreign of [
      BORIS,
      's-vera',
      'Карточка 5',
      'm2',
      'm5',
      'm6',
      'm7',
      'm9',
      'Без Анны',
      'Past Simple',
    ])
      expect(text).not.toContain(foreign);
    // Boris's week: his own only, his illness shown, none of Anna's.
    const boris = await getWeek(deps, as(actors.borisGuardian), { studentId: BORIS, date: MONDAY });
    const monday = boris.days[0]!.lessons;
    expect(monday.map((l) => l.lessonId)).toEqual(['l1', 'l2b']);
    expect(monday[0]!.marks.map((m) => m.markId)).toEqual(['m2']);
    expect(monday[0]!.homework.map((h) => h.text)).toEqual(['№ 12', 'Карточка 5']);
    expect(monday[0]!.attendance?.reasonName).toBe('уважительная (болезнь)');
    expect(JSON.stringify(boris)).not.toContain(ANN);
  });

  it('shows correction reasons when the school allows', async () => {
    const { deps, settings } = setup();
    await settings.put({ schoolId: SCHOOL, showCorrectionReasons: true, updatedBy: 'x', updatedAt: '' });
    const week = await getWeek(deps, as(actors.ann), annWeek);
    const [l1, l2] = week.days[0]!.lessons;
    expect(l1!.marks[1]!.correctionReason).toBe('Ошибка при вводе');
    expect(l2!.marks[0]!.correctionReason).toBe('Не тот ученик');
  });

  it('shows the events of the school, of the student’s class that day, and the student’s own', async () => {
    const { deps } = setup();
    const week = await getWeek(deps, as(actors.ann), annWeek);
    expect(week.days.map((d) => d.events.map((e) => e.eventId))).toEqual([
      [],
      [],
      [],
      ['e-5b'],
      ['e-school'],
      ['e-school'],
      [],
    ]);
    expect(week.days[4]!.events[0]).toEqual({
      eventId: 'e-school',
      kindName: 'Собрание',
      title: 'Родительское собрание',
      description: '',
      startsOn: '2026-11-27',
      endsOn: '2026-11-28',
      startsAt: '18:00',
      endsAt: '',
      place: '',
      scope: 'school',
      status: 'scheduled',
    });
    expect(week.days[3]!.events[0]!.scope).toBe('class');
  });

  it('falls back to Moscow time without the school’s zone', async () => {
    const model = schoolModel();
    const school = (await model.get('schools', SCHOOL))!;
    model.put('schools', { ...school, timeZone: '' });
    // 2026-11-29T22:00Z is Monday 01:00 in Moscow, still Sunday in UTC.
    const { deps } = setup({ model, now: '2026-11-29T22:00:00.000Z' });
    const week = await getWeek(deps, as(actors.ann), { studentId: ANN, date: '' });
    expect(week.startsOn).toBe('2026-11-30');
    expect(week.student.timeZone).toBe('Europe/Moscow');
  });
});

describe('getSubject', () => {
  it('lists the marks of the current period, oldest first, with averages and the forecast', async () => {
    const { deps } = setup();
    const view = await getSubject(deps, as(actors.ann), { studentId: ANN, subjectId: 'math', period: 0 });
    expect(view.period).toEqual({
      number: 2,
      startsOn: '2026-11-05',
      endsOn: '2026-12-28',
      name: '2 четверть',
    });
    expect(view.subjectName).toBe('Математика');
    expect(view.marks.map((m) => [m.markId, m.value, m.date])).toEqual([
      ['m1', '5', '2026-11-23'],
      ['m3', '4', '2026-11-23'],
      ['m8', '3', '2026-11-25'],
    ]);
    expect(view).toMatchObject({
      arithmeticAverage: 4,
      weightedAverage: 4.11,
      marksCount: 3,
      periodMark: null,
    });
    expect(view.forecast).toEqual({
      expected: '4',
      weightedAverage: 4.11,
      advice: [
        'Чтобы выйти на 5, нужны ещё две пятёрки за контрольную работу',
        'Чтобы выйти на 5, нужны ещё четыре пятёрки за ответ на уроке',
        'Одна двойка за контрольную работу опустит прогноз до 3',
      ],
    });
    expect(view.student.className).toBe('5Б');
  });

  it('shows a past period with its period mark, the name from the catalogue without lessons', async () => {
    const { deps, model } = setup();
    const view = await getSubject(deps, as(actors.ann), { studentId: ANN, subjectId: 'math', period: 1 });
    expect(view.period.name).toBe('1 четверть');
    expect(view.marks).toEqual([]);
    // Neither a lesson nor the catalogue names it: the subject's key.
    expect(view.periodMark).toMatchObject({ kind: 'period', period: 1, value: '5', subjectName: 'math' });
    model.put('subjects', { _id: 'math', key: 'math', name: 'Математика', shortName: 'Матем.' });
    const named = await getSubject(deps, as(actors.ann), { studentId: ANN, subjectId: 'math', period: 1 });
    expect(named.subjectName).toBe('Математика');
    expect(named.periodMark?.subjectName).toBe('Математика');
    expect(view.forecast.advice).toEqual(['Отметок пока нет — прогноз появится после первой отметки']);
  });

  it('keeps voided marks in the list but out of the averages', async () => {
    const { deps } = setup();
    const view = await getSubject(deps, as(actors.ann), { studentId: ANN, subjectId: 'english', period: 2 });
    expect(view.marks.map((m) => [m.markId, m.status])).toEqual([['m4', 'voided']]);
    expect(view).toMatchObject({ marksCount: 0, arithmeticAverage: 0, weightedAverage: 0 });
    expect(view.forecast.expected).toBe('');
  });

  it('picks the period between periods: the last that started, else the first', async () => {
    const between = setup({ now: '2026-10-30T12:00:00.000Z' });
    const a = await getSubject(between.deps, as(actors.ann), {
      studentId: ANN,
      subjectId: 'math',
      period: 0,
    });
    expect(a.period.number).toBe(1);
    const before = setup({ now: '2026-08-20T12:00:00.000Z' });
    const b = await getSubject(before.deps, as(actors.ann), { studentId: ANN, subjectId: 'math', period: 0 });
    expect(b.period.number).toBe(1);
  });
});

describe('getForecast', () => {
  it('forecasts every subject of the period, history only passed (зачёт)', async () => {
    const { deps } = setup();
    const view = await getForecast(deps, as(actors.classTeacherB), { studentId: ANN, period: 0 });
    expect(view.subjects.map((s) => [s.subjectName, s.marksCount, s.forecast.expected])).toEqual([
      ['Английский язык', 0, ''],
      ['История', 1, ''],
      ['Математика', 3, '4'],
      ['Русский язык', 1, '2'],
    ]);
    const history = view.subjects.find((s) => s.subjectId === 'history')!;
    expect(history.forecast.advice).toEqual([
      'По предмету стоят только отметки без баллов (зачёт) — прогноз не рассчитывается',
    ]);
    expect(history.periodMark).toMatchObject({ value: '4', corrected: true, previousValues: ['3'] });
    const russian = view.subjects.find((s) => s.subjectId === 'russian')!;
    // A dictation of 2 (weight 2): one test five gives (4 + 10) / 4 = 3.5.
    expect(russian.forecast.advice[0]).toBe('Чтобы выйти на 3, нужна ещё одна пятёрка за контрольную работу');
  });
});

describe('getSummary', () => {
  it('sums up every subject, attendance and the year’s final marks', async () => {
    const { deps } = setup();
    const summary = await getSummary(deps, as(actors.deputy), { studentId: ANN, period: 2 });
    expect(
      summary.subjects.map((s) => [s.subjectName, s.marksCount, s.weightedAverage, s.absences, s.latenesses]),
    ).toEqual([
      ['Английский язык', 0, 0, 0, 1],
      ['История', 1, 0, 0, 0],
      ['Математика', 3, 4.11, 1, 0],
      ['Русский язык', 1, 2, 1, 0],
    ]);
    expect(summary.subjects.find((s) => s.subjectId === 'history')!.periodMark?.value).toBe('4');
    expect(summary.attendance).toEqual({ absences: 2, excused: 1, unexcused: 1, latenesses: 1 });
    // This year's only; names from the catalogue when no lesson names the subject.
    expect(summary.finalMarks).toEqual([
      {
        subjectId: 'drawing',
        subjectName: 'Изобразительное искусство',
        kind: 'year',
        period: 0,
        value: '5',
        corrected: false,
        previousValues: [],
        setAt: '2026-11-20T09:00:00.000Z',
      },
    ]);
  });

  it('refuses when the class has no known study periods', async () => {
    const model = schoolModel();
    model.put('years', { ...(await model.get('years', 'year-1'))!, periodSchemes: [] });
    const { deps } = setup({ model });
    const error = await refusal(getSummary(deps, as(actors.ann), { studentId: ANN, period: 0 }));
    expect(error).toMatchObject({ kind: 'precondition', code: 'diary.periods_unknown' });
  });
});

describe('getHome', () => {
  it('shows a guardian’s children with consent: homework due today and tomorrow, newest marks', async () => {
    const { deps } = setup();
    const home = await getHome(deps, as(actors.mother));
    expect(home).toHaveLength(1);
    const [ann] = home;
    expect(ann).toMatchObject({ today: '2026-11-25', tomorrow: '2026-11-26' });
    expect(ann!.student).toMatchObject({ studentId: ANN, className: '5Б' });
    expect(ann!.homeworkToday.map((h) => [h.text, h.lessonId])).toEqual([['Стр. 40', 'l3']]);
    expect(ann!.homeworkTomorrow.map((h) => [h.text, h.lessonId])).toEqual([
      ['Карточка 3', 'l1'],
      ['Упр. 5', 'b1'],
      ['Карточка 7', 'b1'],
    ]);
    // Newest first, active only, the last 14 days (the dictation of 2026-11-09 is older).
    expect(ann!.newestMarks.map((m) => [m.markId, m.subjectName, m.lessonTopic])).toEqual([
      ['m10', 'История', 'Древний Египет'],
      ['m8', 'Математика', 'Десятичные дроби'],
      ['m3', 'Математика', 'Дроби'],
      ['m1', 'Математика', 'Дроби'],
    ]);
    expect(JSON.stringify(home)).not.toContain(BORIS);
  });

  it('keeps at most ten marks', async () => {
    const model = schoolModel();
    const week = (await model.get('weeks', `${CLASS_B}:${MONDAY}`))!;
    const b1 = week.lessons.find((l) => l.lessonId === 'b1')!;
    for (let i = 0; i < 12; i += 1) {
      b1.record!.marks.push({
        ...b1.record!.marks[0]!,
        markId: `x${i}`,
        postedAt: `2026-11-24T0${i % 10}:00:00.000Z`,
      });
    }
    model.put('weeks', week);
    const { deps } = setup({ model });
    const [ann] = await getHome(deps, as(actors.ann));
    expect(ann!.newestMarks).toHaveLength(10);
    expect(ann!.newestMarks[0]!.markId).toBe('m10');
  });

  it('shows a student their own diary', async () => {
    const { deps } = setup();
    const home = await getHome(deps, as(actors.ann));
    expect(home.map((c) => c.student.studentId)).toEqual([ANN]);
  });

  it('is empty, not an error, with nobody to show', async () => {
    const { deps } = setup();
    expect(await getHome(deps, as(actors.father))).toEqual([]);
    expect(await getHome(deps, as(actors.director))).toEqual([]);
    expect(await getHome(deps, as({ accountId: 'acc-x', schoolRoles: [], grants: [] }))).toEqual([]);
  });

  it('leaves out a child whose own record does not confirm the guardianship', async () => {
    const model = schoolModel();
    model.put('students', annDoc({ guardians: [] }));
    const { deps } = setup({ model });
    expect(await getHome(deps, as(actors.mother))).toEqual([]);
  });
});

describe('settings', () => {
  it('are read and written by the director, a deputy and the school admin', async () => {
    for (const actor of [actors.director, actors.deputy, actors.schoolAdmin]) {
      const { deps, settings } = setup();
      expect(await getSettings(deps, as(actor), { schoolId: SCHOOL })).toEqual({
        schoolId: SCHOOL,
        showCorrectionReasons: false,
        updatedBy: '',
        updatedAt: '',
      });
      const saved = await setSettings(deps, as(actor), {
        schoolId: ` ${SCHOOL} `,
        showCorrectionReasons: true,
      });
      expect(saved).toEqual({
        schoolId: SCHOOL,
        showCorrectionReasons: true,
        updatedBy: actor.accountId,
        updatedAt: '2026-11-25T12:00:00.000Z',
      });
      expect(settings.stored.get(SCHOOL)).toEqual(saved);
    }
  });

  it('are refused to teachers, guardians, students and other schools', async () => {
    for (const actor of [
      actors.mathTeacher,
      actors.classTeacherA,
      actors.mother,
      actors.ann,
      actors.otherDirector,
    ]) {
      const { deps, settings, denials } = setup();
      expect(await refusal(getSettings(deps, as(actor), { schoolId: SCHOOL }))).toMatchObject({
        kind: 'forbidden',
        code: 'access.denied',
      });
      expect(
        await refusal(setSettings(deps, as(actor), { schoolId: SCHOOL, showCorrectionReasons: true })),
      ).toMatchObject({ kind: 'forbidden', code: 'access.denied' });
      expect(settings.stored.size).toBe(0);
      expect(denials).toEqual([
        { action: 'diary.settings.read', object: `school:${SCHOOL}` },
        { action: 'diary.settings.write', object: `school:${SCHOOL}` },
      ]);
    }
  });

  it('need a school', async () => {
    const { deps } = setup();
    const error = await refusal(
      setSettings(deps, as(actors.director), { schoolId: '', showCorrectionReasons: true }),
    );
    expect(error).toMatchObject({ kind: 'invalid', code: 'diary.settings_invalid' });
    expect(error.errors).toEqual([{ field: 'school_id', message: 'укажите школу' }]);
  });
});

// Anna's class documents are what the teachers' access hangs on.
it('the fixture has both of Anna’s classes', async () => {
  const model = schoolModel();
  expect((await model.getMany('classes', [CLASS_A, CLASS_B])).map((c) => c.name)).toEqual(['5А', '5Б']);
});
