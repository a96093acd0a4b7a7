import type { DiaryDay__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryDay';
import type { DiaryLesson__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryLesson';
import type { DiaryMark__Output } from '@edu/proto/dist/generated/edu/diary/v1/DiaryMark';
import type { Week__Output } from '@edu/proto/dist/generated/edu/diary/v1/Week';
import { renderWeekExtract, renderWeekPdf, type WeekExtract } from '../../src/adapters/week-pdf';

// The weekly paper extract (R6.5): a real PDF with the fonts embedded, laid out inside the page
// (long texts wrap, never run over), the same bytes for the same week.

const WEEKDAYS = ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'];

function mark(overrides: Partial<DiaryMark__Output> = {}): DiaryMark__Output {
  return {
    mark_id: 'mark-1',
    value: '5',
    work_type: 'test',
    work_type_name: 'Контрольная работа',
    weight: 2,
    comment: '',
    status: 'active',
    corrected: false,
    previous_values: [],
    correction_reason: '',
    lesson_id: 'lesson-1',
    date: '2026-11-23',
    subject_id: 'subject-math',
    subject_name: 'Математика',
    lesson_topic: 'Сложение дробей',
    posted_at: '2026-11-23T04:00:00.000Z',
    ...overrides,
  };
}

function lesson(overrides: Partial<DiaryLesson__Output> = {}): DiaryLesson__Output {
  return {
    lesson_id: 'lesson-1',
    lesson_number: 1,
    starts_at: '08:00',
    ends_at: '08:40',
    subject_id: 'subject-math',
    subject_name: 'Математика',
    subgroup_name: '',
    teacher_id: 'staff-1',
    teacher_name: 'Петрова О. И.',
    substitute_teacher_id: '',
    substitute_teacher_name: '',
    room: '12',
    status: 'scheduled',
    notes: [],
    topic: 'Сложение дробей с разными знаменателями',
    homework: [
      {
        text: '№ 245, 246 (стр. 58)',
        due_date: '2026-11-25',
        attachments: [],
        individual: false,
        subject_id: 'subject-math',
        subject_name: 'Математика',
        lesson_id: 'lesson-1',
        lesson_date: '2026-11-23',
      },
    ],
    marks: [],
    attendance: null,
    ...overrides,
  };
}

function day(index: number, overrides: Partial<DiaryDay__Output> = {}): DiaryDay__Output {
  return {
    date: `2026-11-${String(23 + index).padStart(2, '0')}`,
    weekday: index + 1,
    weekday_name: WEEKDAYS[index]!,
    lessons: [],
    events: [],
    ...overrides,
  };
}

/** The week of 2026-11-23 of Иванов Иван, 5А: lessons on Monday and Tuesday, an event on Friday. */
function week(overrides: Partial<Week__Output> = {}): Week__Output {
  const days = WEEKDAYS.map((_, i) => day(i));
  days[0] = day(0, {
    lessons: [
      lesson({
        marks: [
          mark({ corrected: true, previous_values: ['4'] }),
          mark({ mark_id: 'mark-2', value: '', status: 'voided', corrected: true, previous_values: ['2'] }),
        ],
        attendance: { kind: 'late', late_minutes: 5, reason: '', reason_name: 'причина не указана' },
      }),
      lesson({
        lesson_id: 'lesson-2',
        lesson_number: 2,
        starts_at: '08:50',
        ends_at: '09:30',
        subject_name: 'Русский язык',
        topic: 'Имя существительное',
        homework: [],
        attendance: {
          kind: 'absent',
          late_minutes: 0,
          reason: 'illness',
          reason_name: 'уважительная (болезнь)',
        },
      }),
      lesson({
        lesson_id: 'lesson-3',
        lesson_number: 3,
        subject_name: 'Английский язык',
        subgroup_name: '1 группа',
        status: 'cancelled',
        notes: ['урок отменён'],
        topic: '',
        homework: [],
      }),
    ],
  });
  days[1] = day(1, {
    lessons: [
      lesson({
        lesson_id: 'lesson-4',
        subject_name: 'Литература',
        notes: ['замена: Иванова А. П.'],
        topic: 'А. С. Пушкин. «Сказка о мёртвой царевне и о семи богатырях»',
        marks: [mark({ value: '4', work_type_name: 'Устный ответ' })],
      }),
    ],
  });
  days[4] = day(4, {
    events: [
      {
        event_id: 'event-1',
        kind_name: 'Родительское собрание',
        title: 'Собрание 5А: итоги первой четверти',
        description: '',
        starts_on: '2026-11-27',
        ends_on: '2026-11-27',
        starts_at: '18:00',
        ends_at: '19:00',
        place: 'каб. 12',
        scope: 'class',
        status: 'scheduled',
      },
    ],
  });
  return {
    student: {
      student_id: 'student-1',
      display_name: 'Иванов Иван Иванович',
      school_id: 'school-1',
      school_name: 'МБОУ «Средняя общеобразовательная школа № 1»',
      class_id: 'class-1',
      class_name: '5А',
      academic_year_id: 'year-1',
      time_zone: 'Asia/Yekaterinburg',
    },
    starts_on: '2026-11-23',
    ends_on: '2026-11-29',
    days,
    ...overrides,
  };
}

/** The text with no-break spaces as plain ones. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ');

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;

/** Every drawn block lies inside the printable area of its page. */
function expectInsideArea(extract: WeekExtract): void {
  const { area } = extract;
  for (const block of extract.texts) {
    expect(block.x).toBeGreaterThanOrEqual(area.left - 0.01);
    expect(block.x + block.width).toBeLessThanOrEqual(area.right + 0.01);
    expect(block.y).toBeGreaterThanOrEqual(area.top - 0.01);
    expect(block.y + block.height).toBeLessThanOrEqual(area.bottom + 0.01);
    expect(block.page).toBeLessThan(extract.pages);
  }
}

describe('the weekly paper extract (PDF)', () => {
  it('when a week with Cyrillic content is rendered, then it is a whole PDF with DejaVu Sans embedded', async () => {
    const pdf = await renderWeekPdf(week());

    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
    expect(text).toContain('/FontFile2');
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(1);
  });

  it('when a week is laid out, then it has the title, the student, class, school and dates, the days Monday–Saturday and the footer', async () => {
    const extract = await renderWeekExtract(week());
    const texts = (role: string) => extract.texts.filter((t) => t.role === role).map((t) => t.text);

    expect(texts('title')).toEqual(['Дневник']);
    expect(texts('student')).toEqual(['Обучающийся: Иванов Иван Иванович']);
    expect(texts('school')[0]).toContain('Класс: 5А');
    expect(texts('school')[0]).toContain('Школа: МБОУ «Средняя общеобразовательная школа № 1»');
    expect(texts('week')).toEqual(['Неделя с 23.11.2026 по 29.11.2026']);
    // Sunday has nothing: it is left out.
    expect(texts('day')).toEqual([
      'Понедельник, 23.11.2026',
      'Вторник, 24.11.2026',
      'Среда, 25.11.2026',
      'Четверг, 26.11.2026',
      'Пятница, 27.11.2026',
      'Суббота, 28.11.2026',
    ]);
    expect(texts('header').slice(0, 7)).toEqual([
      '№',
      'Время',
      'Предмет',
      'Тема урока',
      'Домашнее задание',
      'Отметки',
      'Посещ.',
    ]);
    expect(texts('footer')).toEqual(['Выписка сформирована 29.11.2026']);
    expect(texts('signature')).toEqual(['Классный руководитель']);
    expect(texts('page-number')[0]).toBe(`Иванов Иван Иванович. Стр. 1 из ${extract.pages}`);
    expectInsideArea(extract);
  });

  it('when lessons have marks, corrections, voids and attendance, then each is printed as a guardian reads it', async () => {
    const extract = await renderWeekExtract(week());
    const cells = (column: string) =>
      extract.texts.filter((t) => t.role === `cell:${column}`).map((t) => plain(t.text));

    expect(cells('number')).toEqual(['1', '2', '3', '1']);
    expect(cells('time')).toContain('08:00–08:40');
    expect(cells('subject')).toEqual(
      expect.arrayContaining([
        'Математика',
        'Английский язык',
        'подгруппа: 1 группа',
        'урок отменён',
        'замена: Иванова А. П.',
        'каб. 12',
      ]),
    );
    expect(cells('homework')).toEqual(['№ 245, 246 (стр. 58) (к 25.11)', '№ 245, 246 (стр. 58) (к 25.11)']);
    expect(cells('marks')).toEqual([
      '5 — Контрольная работа, исправлено (было: 4)',
      '[2] Контрольная работа — аннулирована',
      '4 — Устный ответ',
    ]);
    expect(cells('attendance')).toEqual(['оп. 5 мин', 'н', 'уважительная (болезнь)']);
    expect(extract.texts.filter((t) => t.role === 'event').map((t) => t.text)).toEqual([
      '• 18:00–19:00 — Родительское собрание: Собрание 5А: итоги первой четверти, каб. 12',
    ]);
  });

  it('when a homework is very long, then it wraps inside its column over many lines and the row stays on the page', async () => {
    const long = Array.from(
      { length: 15 },
      (_, i) => `Упражнение ${i + 1}: выписать слова с безударной гласной.`,
    ).join(' ');
    const unbroken = 'https://school.example/materials/' + 'очень-длинная-ссылка-без-пробелов-'.repeat(8);
    const input = week();
    input.days[2] = day(2, {
      lessons: [
        lesson({
          lesson_id: 'lesson-long',
          homework: [
            { ...lesson().homework[0]!, text: long },
            { ...lesson().homework[0]!, text: unbroken, attachments: ['file-1', 'file-2'] },
          ],
        }),
      ],
    });

    const extract = await renderWeekExtract(input);

    const homework = extract.texts.filter((t) => t.role === 'cell:homework');
    const longBlock = homework.find((t) => t.text.startsWith('Упражнение 1:'))!;
    const unbrokenBlock = homework.find((t) => t.text.startsWith('https://'))!;
    const oneLine = homework.find((t) => t.text.startsWith('№ 245'))!.height;
    expect(longBlock.clipped).toBe(false);
    expect(longBlock.height).toBeGreaterThan(oneLine * 10);
    expect(unbrokenBlock.height).toBeGreaterThan(oneLine * 2);
    expect(unbrokenBlock.text).toContain('Файлы (2) — в электронном дневнике.');
    // Both stay in the homework column: its left edge plus its width is the topic column's end.
    const topic = extract.texts.find((t) => t.role === 'cell:topic')!;
    for (const block of [longBlock, unbrokenBlock]) {
      expect(block.x).toBeGreaterThan(topic.x + topic.width);
      expect(block.x + block.width).toBeLessThan(extract.texts.find((t) => t.role === 'cell:marks')!.x);
    }
    expectInsideArea(extract);
  });

  it('when one lesson’s homework is longer than a page, then it is cut to the page with an ellipsis rather than running off it', async () => {
    const endless = 'Прочитать главу и ответить на вопросы письменно. '.repeat(400);
    const input = week();
    input.days[3] = day(3, {
      lessons: [
        lesson({ lesson_id: 'lesson-endless', homework: [{ ...lesson().homework[0]!, text: endless }] }),
      ],
    });

    const extract = await renderWeekExtract(input);

    const block = extract.texts.find((t) => t.role === 'cell:homework' && t.text.startsWith('Прочитать'))!;
    expect(block.clipped).toBe(true);
    expect(extract.pages).toBeGreaterThanOrEqual(2);
    expectInsideArea(extract);
  });

  it('when a day’s lessons do not fit, then they go on over pages with the day and the table header repeated', async () => {
    const input = week();
    input.days[0] = day(0, {
      lessons: Array.from({ length: 14 }, (_, i) =>
        lesson({
          lesson_id: `lesson-${i}`,
          lesson_number: i + 1,
          homework: [
            { ...lesson().homework[0]!, text: 'Выучить правило и выполнить упражнения. '.repeat(6) },
          ],
        }),
      ),
    });

    const extract = await renderWeekExtract(input);

    expect(extract.pages).toBeGreaterThanOrEqual(2);
    const continued = extract.texts.filter((t) => t.role === 'day' && t.text.endsWith('(продолжение)'));
    expect(continued.length).toBeGreaterThanOrEqual(1);
    expect(
      extract.texts.filter((t) => t.role === 'header' && t.text === '№' && t.page === continued[0]!.page),
    ).toHaveLength(1);
    expect(extract.texts.filter((t) => t.role === 'page-number').map((t) => t.text)).toEqual(
      Array.from(
        { length: extract.pages },
        (_, i) => `Иванов Иван Иванович. Стр. ${i + 1} из ${extract.pages}`,
      ),
    );
    expectInsideArea(extract);
    expect(pageCount(extract.pdf)).toBe(extract.pages);
  });

  it('when Sunday has lessons or events, then it is printed', async () => {
    const input = week();
    input.days[6] = day(6, {
      events: [
        {
          ...week().days[4]!.events[0]!,
          title: 'Лыжня России',
          starts_on: '2026-11-29',
          ends_on: '2026-11-29',
        },
      ],
    });

    const extract = await renderWeekExtract(input);

    expect(extract.texts.filter((t) => t.role === 'day').map((t) => t.text)).toContain(
      'Воскресенье, 29.11.2026',
    );
  });

  it('when the week is empty (no student card, no days sent), then it still renders Monday–Saturday as without lessons', async () => {
    const extract = await renderWeekExtract({
      student: null,
      starts_on: '2026-11-23',
      ends_on: '2026-11-29',
      days: [],
    });

    const text = extract.pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pageCount(extract.pdf)).toBe(1);
    expect(extract.texts.filter((t) => t.role === 'day')).toHaveLength(6);
    expect(extract.texts.filter((t) => t.role === 'no-lessons')).toHaveLength(6);
    expect(extract.texts.find((t) => t.role === 'student')!.text).toBe('Обучающийся: —');
  });

  it('when the week has no dates at all, then it still renders', async () => {
    const pdf = await renderWeekPdf({ student: null, starts_on: '', ends_on: '', days: [] });

    expect(pdf.toString('latin1').startsWith('%PDF-')).toBe(true);
    expect(pageCount(pdf)).toBe(1);
  });

  it('when the same week is rendered twice (at different moments), then the bytes are the same; another generation day changes them', async () => {
    const first = await renderWeekPdf(week());
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = await renderWeekPdf(week());
    const other = await renderWeekPdf(week(), { generatedOn: '2026-11-30' });

    expect(second.equals(first)).toBe(true);
    expect(other.equals(first)).toBe(false);
    expect(first.toString('latin1').includes('(D:20261129000000Z)')).toBe(true);
  });

  it('when the generation day is given, then the footer and the creation date show it', async () => {
    const extract = await renderWeekExtract(week(), { generatedOn: '2026-11-25' });

    expect(extract.texts.find((t) => t.role === 'footer')!.text).toBe('Выписка сформирована 25.11.2026');
    expect(extract.pdf.toString('latin1').includes('(D:20261125000000Z)')).toBe(true);
  });
});
