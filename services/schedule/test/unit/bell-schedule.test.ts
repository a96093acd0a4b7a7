import {
  bellFormErrors,
  bellRuleViolation,
  bellScheduleId,
  lessonTimes,
  type BellLesson,
} from '../../src/domain/bell-schedule';

// The rules of a bell schedule, without I/O: form, numbering, the day's bounds, lesson length,
// overlaps and breaks, each with its own code and the lessons it concerns.

/** Lessons of 40 minutes with 10-minute breaks from 08:00, numbered 1..count. */
function usualDay(count = 6): BellLesson[] {
  return Array.from({ length: count }, (_, i) => {
    const start = 8 * 60 + i * 50;
    const time = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return { number: i + 1, startsAt: time(start), endsAt: time(start + 40) };
  });
}

describe('bell schedules: rules', () => {
  it('when a usual day of six 40-minute lessons with 10-minute breaks is given, then it keeps every rule', () => {
    const lessons = usualDay();

    expect(bellFormErrors({ shift: 1, name: 'Основное', lessons })).toEqual([]);
    expect(bellRuleViolation(lessons)).toBeUndefined();
    expect(lessons[5]).toEqual({ number: 6, startsAt: '12:10', endsAt: '12:50' });
  });

  it('when the shift, the name, the times or the number of lessons are malformed, then every problem is named at once', () => {
    const errors = bellFormErrors({
      shift: 3,
      name: 'Основное\u0007',
      lessons: [
        { number: 1, startsAt: '8:00', endsAt: '08:40' },
        { number: 2, startsAt: '08:50', endsAt: '24:00' },
      ],
    });
    const none = bellFormErrors({ shift: 2, name: '', lessons: [] });
    const tooMany = bellFormErrors({ shift: 2, name: '', lessons: usualDay(21) });

    expect(errors.map((e) => e.field)).toEqual(['shift', 'name', 'lessons[0].startsAt', 'lessons[1].endsAt']);
    expect(errors[2]!.message).toBe('Укажите время в виде ЧЧ:ММ, например 08:30');
    expect(none).toEqual([{ field: 'lessons', message: 'Укажите хотя бы один урок' }]);
    expect(tooMany).toEqual([{ field: 'lessons', message: 'В смене не больше 20 уроков' }]);
  });

  it('when a number is missing or repeated, then bells.numbering names the lessons and the missing number', () => {
    const lessons = usualDay(3);
    lessons[2]!.number = 2;

    const violation = bellRuleViolation(lessons);

    expect(violation).toEqual({
      code: 'bells.numbering',
      detail: 'Уроки нумеруются подряд с 1 по 3: нет урока 3',
      errors: [{ field: 'lessons[2].number', message: 'Урок 2 указан дважды' }],
    });
    expect(bellRuleViolation([{ number: 2, startsAt: '08:00', endsAt: '08:40' }])?.errors).toEqual([
      { field: 'lessons[0].number', message: 'Номер урока 2 вне 1–1: уроки нумеруются подряд с 1' },
    ]);
  });

  it('when lessons are given out of order but numbered 1..N, then they are checked in the order of their numbers', () => {
    const lessons = usualDay(3).reverse();

    expect(bellRuleViolation(lessons)).toBeUndefined();
  });

  it('when a lesson starts before 07:00 or ends after 21:00, then bells.outside_day', () => {
    const early = bellRuleViolation([
      { number: 1, startsAt: '06:50', endsAt: '07:30' },
      { number: 2, startsAt: '07:40', endsAt: '08:20' },
    ]);
    const late = bellRuleViolation([{ number: 1, startsAt: '20:30', endsAt: '21:10' }]);
    const edges = bellRuleViolation([
      { number: 1, startsAt: '07:00', endsAt: '07:40' },
      { number: 2, startsAt: '20:20', endsAt: '21:00' },
    ]);

    expect(early).toEqual({
      code: 'bells.outside_day',
      detail: 'Уроки проходят с 07:00 до 21:00',
      errors: [{ field: 'lessons[0].startsAt', message: 'Урок 1 начинается в 06:50, раньше 07:00' }],
    });
    expect(late?.errors).toEqual([
      { field: 'lessons[0].endsAt', message: 'Урок 1 заканчивается в 21:10, позже 21:00' },
    ]);
    expect(edges).toBeUndefined();
  });

  it('when a lesson is shorter than 30 or longer than 90 minutes, or ends before it starts, then bells.lesson_length', () => {
    const violation = bellRuleViolation([
      { number: 1, startsAt: '08:00', endsAt: '08:25' },
      { number: 2, startsAt: '08:35', endsAt: '10:10' },
      { number: 3, startsAt: '11:00', endsAt: '10:50' },
      { number: 4, startsAt: '12:00', endsAt: '12:30' },
      { number: 5, startsAt: '12:40', endsAt: '14:10' },
    ]);

    expect(violation?.code).toBe('bells.lesson_length');
    expect(violation?.detail).toBe('Урок длится от 30 до 90 минут');
    expect(violation?.errors).toEqual([
      { field: 'lessons[0].endsAt', message: 'Урок 1 длится 25 мин, а урок — от 30 до 90 минут' },
      { field: 'lessons[1].endsAt', message: 'Урок 2 длится 95 мин, а урок — от 30 до 90 минут' },
      {
        field: 'lessons[2].endsAt',
        message: 'Урок 3 заканчивается (10:50) не позже, чем начинается (11:00)',
      },
    ]);
  });

  it('when a lesson starts before the previous one ends, then bells.overlap; a break under 5 minutes is bells.break_too_short', () => {
    const overlap = bellRuleViolation([
      { number: 1, startsAt: '08:00', endsAt: '08:45' },
      { number: 2, startsAt: '08:40', endsAt: '09:20' },
      { number: 3, startsAt: '09:22', endsAt: '10:00' },
    ]);
    const shortBreak = bellRuleViolation([
      { number: 1, startsAt: '08:00', endsAt: '08:45' },
      { number: 2, startsAt: '08:45', endsAt: '09:25' },
      { number: 3, startsAt: '09:30', endsAt: '10:10' },
    ]);

    expect(overlap).toEqual({
      code: 'bells.overlap',
      detail: 'Уроки не должны пересекаться по времени',
      errors: [
        { field: 'lessons[1].startsAt', message: 'Урок 2 начинается в 08:40, до конца урока 1 (08:45)' },
      ],
    });
    expect(shortBreak).toEqual({
      code: 'bells.break_too_short',
      detail: 'Перемена — не меньше 5 минут',
      errors: [
        { field: 'lessons[1].startsAt', message: 'Перемена между уроками 1 и 2 — 0 мин, нужно не меньше 5' },
      ],
    });
  });

  it('when lessons are answered, then each carries its length and the break after it (0 after the last)', () => {
    expect(
      lessonTimes([
        { number: 1, startsAt: '08:00', endsAt: '08:45' },
        { number: 2, startsAt: '08:55', endsAt: '09:40' },
      ]),
    ).toEqual([
      { minutes: 45, breakAfterMinutes: 10 },
      { minutes: 45, breakAfterMinutes: 0 },
    ]);
  });

  it('when the id of a school shift is derived twice, then it is the same UUID, and another shift gets another', () => {
    const first = bellScheduleId('school-1', 1);

    expect(bellScheduleId('school-1', 1)).toBe(first);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bellScheduleId('school-1', 2)).not.toBe(first);
    expect(bellScheduleId('school-2', 1)).not.toBe(first);
  });
});
