import { lateTransferWarnings } from '../../src/domain/calendar-warning';
import {
  canSeeEvent,
  cardFormErrors,
  daysText,
  leadTimeWarning,
  workingDaysBetween,
  type EventViewer,
  type SchoolEventCard,
} from '../../src/domain/school-event';

// The events calendar's pure rules: lead times in days, working days of a transfer's notice, the
// form of a card, and who sees which event.

const card = (overrides: Partial<SchoolEventCard> = {}): SchoolEventCard => ({
  kind: 'olympiad',
  title: 'Школьный этап олимпиады по математике',
  description: '',
  startsOn: '2026-10-15',
  endsOn: '',
  startsAt: '10:00',
  endsAt: '12:00',
  place: 'Каб. 214',
  scope: 'school',
  classIds: [],
  participantIds: [],
  responsibleId: 'teacher-1',
  ...overrides,
});

const viewer = (overrides: Partial<EventViewer> = {}): EventViewer => ({
  manages: false,
  hasRole: false,
  personId: '',
  staffClassIds: new Set(),
  studentIds: new Set(),
  studentClassIds: new Set(),
  ...overrides,
});

describe('school events: lead time', () => {
  it('when a school-wide event is entered 14 days ahead, then there is no warning; 13 days ahead, then a late notice naming 2 weeks and 13 days', () => {
    expect(leadTimeWarning('school', '2026-10-15', '2026-10-01')).toBeUndefined();

    const late = leadTimeWarning('school', '2026-10-15', '2026-10-02');

    expect(late?.code).toBe('event.late_notice');
    expect(late?.message).toContain('2 недели (14 дней)');
    expect(late?.message).toContain('за 13 дней до начала (15.10.2026)');
  });

  it('when a class event is entered 7 days ahead, then there is no warning; 6 or on the day, then a late notice naming 1 week', () => {
    expect(leadTimeWarning('classes', '2026-10-15', '2026-10-08')).toBeUndefined();
    expect(leadTimeWarning('classes', '2026-10-15', '2026-10-09')?.message).toContain(
      'не позднее чем за 1 неделю (7 дней) до начала, а внесено за 6 дней',
    );
    expect(leadTimeWarning('classes', '2026-10-15', '2026-10-15')?.message).toContain('в день начала');
    expect(leadTimeWarning('classes', '2026-10-15', '2026-10-17')?.message).toContain('после начала');
  });

  it('counts days in Russian: 1 день, 2 дня, 5 дней, 11 дней, 21 день', () => {
    expect([1, 2, 5, 11, 21, 22].map(daysText)).toEqual([
      '1 день',
      '2 дня',
      '5 дней',
      '11 дней',
      '21 день',
      '22 дня',
    ]);
  });
});

describe('school events: working days before a transferred day', () => {
  const holidays = [{ startsOn: '2026-11-02', endsOn: '2026-11-03' }];

  it('when announced on Monday for Saturday, then Tuesday–Friday count: 4', () => {
    expect(workingDaysBetween('2026-10-19', '2026-10-24', [])).toBe(4);
  });

  it('when announced on Wednesday for Saturday, then 2; on Friday, then 0; a past day, then 0', () => {
    expect(workingDaysBetween('2026-10-21', '2026-10-24', [])).toBe(2);
    expect(workingDaysBetween('2026-10-23', '2026-10-24', [])).toBe(0);
    expect(workingDaysBetween('2026-10-26', '2026-10-24', [])).toBe(0);
  });

  it('when holidays fall between, then they are not working days', () => {
    // Fri 30.10 announcement of Sat 07.11: Mon 02 and Tue 03 are holidays; Wed–Fri count.
    expect(workingDaysBetween('2026-10-30', '2026-11-07', holidays)).toBe(3);
    expect(workingDaysBetween('2026-10-30', '2026-11-06', holidays)).toBe(2);
  });

  it('when a new transfer is 2 working days ahead, then a warning; a transfer seen before, or 3 days ahead, then none', () => {
    const year = {
      academicYearId: 'year-1',
      schoolId: 'school-1',
      version: 3,
      occurredAt: '2026-10-21T05:00:00Z',
      transfers: [
        { date: '2026-10-24', worksAs: 1 },
        { date: '2026-10-31', worksAs: 5 },
        { date: '2026-12-26', worksAs: 2 },
      ],
      holidays: [],
    };

    const warnings = lateTransferWarnings(year, [{ date: '2026-12-26', worksAs: 2 }], '2026-10-21');

    expect(warnings.map((w) => [w.id, w.workingDaysAhead])).toEqual([['year-1:2026-10-24', 2]]);
    expect(warnings[0]!.message).toContain('24.10.2026');
    expect(warnings[0]!.message).toContain('понедельника');
    expect(warnings[0]!.message).toContain('не позднее чем за 3 рабочих дня');
  });
});

describe('school events: the form of a card', () => {
  it('when the card is well formed, then it is normalised: one-line title, the last day defaults to the first', () => {
    const { card: normal, errors } = cardFormErrors(card({ title: '  Олимпиада   по математике ' }));

    expect(errors).toEqual([]);
    expect(normal.title).toBe('Олимпиада по математике');
    expect(normal.endsOn).toBe('2026-10-15');
  });

  it('when everything is wrong, then every field is named at once', () => {
    const { errors } = cardFormErrors(
      card({
        kind: 'picnic',
        title: '',
        startsOn: '2026-02-30',
        startsAt: '25:00',
        endsAt: '9:00',
        scope: 'classes',
        responsibleId: '',
        participantIds: [''],
      }),
    );

    expect(errors.map((e) => e.field)).toEqual([
      'kind',
      'title',
      'startsOn',
      'endsOn',
      'startsAt',
      'endsAt',
      'classIds',
      'participantIds',
      'responsibleId',
    ]);
  });

  it('when the end is before the start, or classes are named for a school-wide event, then those fields are refused', () => {
    expect(cardFormErrors(card({ endsOn: '2026-10-14' })).errors.map((e) => e.field)).toEqual(['endsOn']);
    expect(cardFormErrors(card({ startsAt: '12:00', endsAt: '11:00' })).errors.map((e) => e.field)).toEqual([
      'endsAt',
    ]);
    expect(cardFormErrors(card({ classIds: ['c1'] })).errors.map((e) => e.field)).toEqual(['classIds']);
    expect(cardFormErrors(card({ startsAt: '', endsAt: '11:00' })).errors.map((e) => e.field)).toEqual([
      'startsAt',
    ]);
  });
});

describe('school events: who sees which', () => {
  const schoolWide = { scope: 'school' as const, classIds: [], participantIds: [], responsibleId: 'r' };
  const of5a = { scope: 'classes' as const, classIds: ['5a'], participantIds: [], responsibleId: 'r' };
  const withChild = {
    scope: 'classes' as const,
    classIds: ['9b'],
    participantIds: ['child-1'],
    responsibleId: 'r',
  };

  it('when a manager reads, then every event', () => {
    expect(
      [schoolWide, of5a, withChild].map((e) => canSeeEvent(viewer({ manages: true, hasRole: true }), e)),
    ).toEqual([true, true, true]);
  });

  it('when a teacher reads, then school-wide events and those of classes they teach or lead, not of another class', () => {
    const teacher = viewer({ hasRole: true, personId: 't1', staffClassIds: new Set(['5a']) });

    expect([schoolWide, of5a, withChild].map((e) => canSeeEvent(teacher, e))).toEqual([true, true, false]);
    expect(canSeeEvent(teacher, { ...withChild, participantIds: ['t1'] })).toBe(true);
  });

  it('when a student or guardian reads, then school-wide, their class’s and those naming the student; nothing without students', () => {
    const guardian = viewer({
      personId: 'g1',
      studentIds: new Set(['child-1']),
      studentClassIds: new Set(['5a']),
    });

    expect([schoolWide, of5a, withChild].map((e) => canSeeEvent(guardian, e))).toEqual([true, true, true]);
    expect(canSeeEvent(guardian, { ...withChild, participantIds: ['other'] })).toBe(false);
    expect([schoolWide, of5a].map((e) => canSeeEvent(viewer({ personId: 'g2' }), e))).toEqual([false, false]);
  });
});
