import { defaultPolicy, type GradingPolicy } from '../../src/domain/grading-policy';
import { addDays, localDate } from '@edu/kit';
import { entryWindow, localInstant } from '../../src/domain/entry-window';

const policy = (entryDeadline: GradingPolicy['entryDeadline'], entryDays = 0): GradingPolicy => ({
  ...defaultPolicy('school-1'),
  entryDeadline,
  entryDays,
});

// 2026-11-11 is a Wednesday, 2026-11-09 a Monday, 2026-11-15 a Sunday.
describe('entryWindow', () => {
  it('opens at the lesson start in the school time zone (Krasnoyarsk, UTC+7)', () => {
    const w = entryWindow(policy('same_day'), { date: '2026-11-11', startsAt: '08:00' }, 'Asia/Krasnoyarsk');
    expect(w.opensAt.toISOString()).toBe('2026-11-11T01:00:00.000Z');
  });

  it('opens at the lesson start in Moscow (UTC+3)', () => {
    const w = entryWindow(policy('same_day'), { date: '2026-11-11', startsAt: '08:00' }, 'Europe/Moscow');
    expect(w.opensAt.toISOString()).toBe('2026-11-11T05:00:00.000Z');
  });

  it('same_day closes at the local midnight ending the lesson day', () => {
    expect(
      entryWindow(
        policy('same_day'),
        { date: '2026-11-11', startsAt: '08:00' },
        'Asia/Krasnoyarsk',
      ).closesAt.toISOString(),
    ).toBe('2026-11-11T17:00:00.000Z');
    expect(
      entryWindow(
        policy('same_day'),
        { date: '2026-11-11', startsAt: '08:00' },
        'Europe/Moscow',
      ).closesAt.toISOString(),
    ).toBe('2026-11-11T21:00:00.000Z');
  });

  it('next_monday closes at the end of the Monday after the lesson week', () => {
    const wednesday = entryWindow(
      policy('next_monday'),
      { date: '2026-11-11', startsAt: '08:00' },
      'Europe/Moscow',
    );
    // End of Monday 16 November = Tuesday 17 00:00 Moscow = 16 November 21:00 UTC.
    expect(wednesday.closesAt.toISOString()).toBe('2026-11-16T21:00:00.000Z');
    const sunday = entryWindow(
      policy('next_monday'),
      { date: '2026-11-15', startsAt: '08:00' },
      'Europe/Moscow',
    );
    expect(sunday.closesAt.toISOString()).toBe('2026-11-16T21:00:00.000Z');
  });

  it('next_monday for a Monday lesson closes at the end of the following Monday', () => {
    const monday = entryWindow(
      policy('next_monday'),
      { date: '2026-11-09', startsAt: '08:00' },
      'Asia/Krasnoyarsk',
    );
    expect(monday.closesAt.toISOString()).toBe('2026-11-16T17:00:00.000Z');
  });

  it('days closes entryDays days after the end of the lesson day', () => {
    const w = entryWindow(policy('days', 3), { date: '2026-11-11', startsAt: '08:00' }, 'Asia/Krasnoyarsk');
    // End of 14 November local = 15 November 00:00 +07 = 14 November 17:00 UTC.
    expect(w.closesAt.toISOString()).toBe('2026-11-14T17:00:00.000Z');
    const moscow = entryWindow(policy('days', 1), { date: '2026-11-11', startsAt: '08:00' }, 'Europe/Moscow');
    expect(moscow.closesAt.toISOString()).toBe('2026-11-12T21:00:00.000Z');
  });

  it('crosses a month and a year end', () => {
    const w = entryWindow(policy('days', 2), { date: '2026-12-30', startsAt: '13:15' }, 'Europe/Moscow');
    expect(w.opensAt.toISOString()).toBe('2026-12-30T10:15:00.000Z');
    expect(w.closesAt.toISOString()).toBe('2027-01-01T21:00:00.000Z');
  });

  it('follows a zone offset change (daylight saving)', () => {
    // Berlin: CEST (+2) until 25 October 2026 03:00, CET (+1) after.
    expect(localInstant('2026-10-24', '08:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-10-24T06:00:00.000Z',
    );
    expect(localInstant('2026-10-26', '08:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-10-26T07:00:00.000Z',
    );
  });
});

describe('localDate', () => {
  it('is the day in the school time zone, not in UTC', () => {
    const instant = new Date('2026-11-11T18:30:00Z');
    expect(localDate(instant, 'Asia/Krasnoyarsk')).toBe('2026-11-12');
    expect(localDate(instant, 'Europe/Moscow')).toBe('2026-11-11');
    expect(localDate(new Date('2026-11-11T21:00:00Z'), 'Europe/Moscow')).toBe('2026-11-12');
  });
});

describe('addDays', () => {
  it('adds calendar days across months and leap years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-11-11', -10)).toBe('2026-11-01');
  });
});
