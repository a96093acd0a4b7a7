import * as grpc from '@grpc/grpc-js';
import type { CallContext } from '@edu/grpc';
import { createLogger, DomainError } from '@edu/kit';
import type { Week__Output } from '@edu/proto/dist/generated/edu/diary/v1/Week';
import { renderWeekPdf } from '../../src/adapters/week-pdf';
import { queryHandlers } from '../../src/entry-points/grpc/query.grpc';
import type { Actor } from '../../src/domain/ports';
import { actors, ANN, MemorySettings, MONDAY, NOW, SCHOOL, schoolModel } from './diary-queries.fixtures';

// The gRPC handlers of the diary's reads: requests in, messages out, the policy bound to the call.

jest.mock('../../src/adapters/week-pdf', () => ({
  renderWeekPdf: jest.fn(async (week: Week__Output) => Buffer.from(`%PDF ${week.starts_on}`)),
}));

function call(actor: Actor): CallContext {
  return {
    actor,
    traceId: 'trace-1',
    signal: new AbortController().signal,
    logger: createLogger({ service: 'diary-test', level: 'silent' }),
    metadata: new grpc.Metadata(),
  };
}

function handlers() {
  const settings = new MemorySettings();
  return { settings, h: queryHandlers({ model: schoolModel(), settings, now: () => new Date(NOW) }) };
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('query handlers', () => {
  it('GetWeek answers the Week message', async () => {
    const { h } = handlers();
    const week = await h.GetWeek({ student_id: ANN, date: MONDAY }, call(actors.mother));
    expect(week.student).toMatchObject({
      student_id: ANN,
      class_name: '5А',
      time_zone: 'Asia/Yekaterinburg',
    });
    expect(week.days).toHaveLength(7);
    const l1 = week.days![0]!.lessons![0]!;
    expect(l1).toMatchObject({
      lesson_id: 'l1',
      teacher_name: 'Иванова А. П.',
      topic: 'Дроби',
      attendance: null,
    });
    expect(l1.marks![1]).toMatchObject({
      mark_id: 'm3',
      previous_values: ['3'],
      correction_reason: '',
      weight: 1,
    });
    expect(l1.homework![0]).toMatchObject({ text: '№ 12', due_date: '2026-11-24', individual: false });
    expect(week.days![0]!.lessons![1]!.attendance).toEqual({
      kind: 'late',
      late_minutes: 5,
      reason: '',
      reason_name: 'причина не указана',
    });
    expect(week.days![3]!.events![0]).toMatchObject({ event_id: 'e-5b', scope: 'class' });
  });

  it('GetWeekExtract renders the same week as a PDF with an ASCII file name', async () => {
    const { h } = handlers();
    const doc = await h.GetWeekExtract({ student_id: ANN, date: '2026-11-26' }, call(actors.classTeacherB));
    expect(doc).toEqual({
      content_type: 'application/pdf',
      file_name: 'dnevnik-smirnova-a-s-2026-11-23.pdf',
      content: Buffer.from('%PDF 2026-11-23'),
    });
    const rendered = jest.mocked(renderWeekPdf).mock.calls.at(-1)![0];
    expect(rendered.student?.class_name).toBe('5Б');
    expect(rendered.days.map((d) => d.weekday_name)[0]).toBe('Понедельник');
  });

  it('GetWeekExtract is refused like GetWeek, an unknown student too', async () => {
    const { h } = handlers();
    for (const [actor, studentId] of [
      [actors.borisGuardian, ANN],
      [actors.director, 's-ghost'],
    ] as const) {
      const error = await refusal(h.GetWeekExtract({ student_id: studentId, date: '' }, call(actor)));
      expect(error).toMatchObject({ kind: 'forbidden', code: 'access.denied' });
    }
  });

  it('GetSubject, GetForecast and GetSummary answer their messages', async () => {
    const { h } = handlers();
    const ctx = call(actors.ann);
    const subject = await h.GetSubject({ student_id: ANN, subject_id: 'math', period: 0 }, ctx);
    expect(subject).toMatchObject({
      period: { number: 2, name: '2 четверть', starts_on: '2026-11-05', ends_on: '2026-12-28' },
      subject_name: 'Математика',
      marks_count: 3,
      arithmetic_average: 4,
      weighted_average: 4.11,
      period_mark: null,
      forecast: { expected: '4', weighted_average: 4.11 },
    });
    const forecast = await h.GetForecast({ student_id: ANN, period: 0 }, ctx);
    expect(forecast.subjects!.find((s) => s.subject_id === 'history')).toMatchObject({
      marks_count: 1,
      forecast: { expected: '' },
      period_mark: { kind: 'period', value: '4', previous_values: ['3'], corrected: true },
    });
    const summary = await h.GetSummary({ student_id: ANN, period: 2 }, ctx);
    expect(summary.attendance).toEqual({ absences: 2, excused: 1, unexcused: 1, latenesses: 1 });
    expect(summary.final_marks).toEqual([
      expect.objectContaining({ subject_id: 'drawing', kind: 'year', value: '5' }),
    ]);
    expect(summary.subjects!.find((s) => s.subject_id === 'math')).toMatchObject({
      absences: 1,
      marks_count: 3,
    });
  });

  it('GetHome answers each child', async () => {
    const { h } = handlers();
    const home = await h.GetHome({}, call(actors.mother));
    expect(home.children).toHaveLength(1);
    expect(home.children![0]).toMatchObject({
      today: '2026-11-25',
      tomorrow: '2026-11-26',
      homework_today: [expect.objectContaining({ text: 'Стр. 40', due_date: '2026-11-25' })],
    });
    expect(home.children![0]!.newest_marks!.map((m) => m.mark_id)).toEqual(['m10', 'm8', 'm3', 'm1']);
    expect(await h.GetHome({}, call(actors.stranger))).toEqual({ children: [] });
  });

  it('GetSettings and SetSettings keep the school’s settings', async () => {
    const { h, settings } = handlers();
    const saved = await h.SetSettings(
      { school_id: SCHOOL, show_correction_reasons: true },
      call(actors.director),
    );
    expect(saved).toEqual({
      school_id: SCHOOL,
      show_correction_reasons: true,
      updated_by: 'acc-director-1',
      updated_at: NOW,
    });
    expect(await h.GetSettings({ school_id: SCHOOL }, call(actors.schoolAdmin))).toEqual(saved);
    expect(settings.stored.size).toBe(1);
    const refused = await refusal(h.GetSettings({ school_id: SCHOOL }, call(actors.mathTeacher)));
    expect(refused).toMatchObject({ kind: 'forbidden', code: 'access.denied' });
    // Now the reasons show.
    const week = await h.GetWeek({ student_id: ANN, date: MONDAY }, call(actors.ann));
    expect(week.days![0]!.lessons![0]!.marks![1]!.correction_reason).toBe('Ошибка при вводе');
  });
});
