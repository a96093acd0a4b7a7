import {
  academicYearFrom,
  classFrom,
  enrolmentFrom,
  guardianshipFrom,
  movementFrom,
  personFrom,
  schoolFrom,
  staffPositionFrom,
  subgroupFrom,
  type RosterEnvelope,
} from '../src';

// Each mapper: a full state in camelCase, and an empty one read as proto3 defaults with the
// envelope's ids standing in for the state's.

function envelope(type: string): RosterEnvelope {
  return { id: 'evt-1', type, schoolId: 'school-env', aggregateId: 'agg-env', aggregateVersion: 7 };
}

describe('roster records: schools and years', () => {
  it('when a school card comes, then its id, short name and time zone are kept with the version', () => {
    const event = envelope('edu.roster.school.created');

    expect(
      schoolFrom(
        { school_id: 'school-1', full_name: 'МБОУ СОШ № 1', short_name: 'СОШ № 1', time_zone: 'Asia/Omsk' },
        event,
      ),
    ).toEqual({ id: 'school-1', shortName: 'СОШ № 1', timeZone: 'Asia/Omsk', version: 7 });
    expect(schoolFrom({}, event)).toEqual({ id: 'agg-env', shortName: '', timeZone: '', version: 7 });
  });

  it('when a year comes with its calendar, then days, periods, holidays, closures and transfers are kept', () => {
    const year = academicYearFrom(
      {
        academic_year_id: 'year-1',
        school_id: 'school-1',
        name: '2026/2027',
        days: { starts_on: '2026-09-01', ends_on: '2027-05-31' },
        holidays: [{ name: 'Осенние каникулы', days: { starts_on: '2026-10-26', ends_on: '2026-11-03' } }],
        period_schemes: [
          {
            grades: [10, 11],
            kind: 'half_year',
            periods: [
              { number: 1, days: { starts_on: '2026-09-01', ends_on: '2026-12-27' } },
              { number: 2, days: { starts_on: '2027-01-11', ends_on: '2027-05-31' } },
            ],
          },
        ],
        status: 'closed',
        closures: [
          { reason: 'Карантин', days: { starts_on: '2027-02-01', ends_on: '2027-02-07' }, grades: [5] },
        ],
        transfers: [{ date: '2026-11-07', works_as: 1 }],
      },
      envelope('edu.roster.academic_year.closed'),
    );

    expect(year).toEqual({
      id: 'year-1',
      schoolId: 'school-1',
      name: '2026/2027',
      startsOn: '2026-09-01',
      endsOn: '2027-05-31',
      status: 'closed',
      holidays: [{ name: 'Осенние каникулы', startsOn: '2026-10-26', endsOn: '2026-11-03' }],
      periodSchemes: [
        {
          grades: [10, 11],
          kind: 'half_year',
          periods: [
            { number: 1, startsOn: '2026-09-01', endsOn: '2026-12-27' },
            { number: 2, startsOn: '2027-01-11', endsOn: '2027-05-31' },
          ],
        },
      ],
      closures: [{ reason: 'Карантин', startsOn: '2027-02-01', endsOn: '2027-02-07', grades: [5] }],
      transfers: [{ date: '2026-11-07', worksAs: 1 }],
      version: 7,
    });
  });

  it('when a year comes without its optional fields, then it is an open year with an empty calendar', () => {
    expect(academicYearFrom({}, envelope('edu.roster.academic_year.opened'))).toEqual({
      id: 'agg-env',
      schoolId: 'school-env',
      name: '',
      startsOn: '',
      endsOn: '',
      status: 'open',
      holidays: [],
      periodSchemes: [],
      closures: [],
      transfers: [],
      version: 7,
    });
  });

  it('when nested entries lack their fields, then they read as defaults', () => {
    const year = academicYearFrom(
      {
        holidays: [{}],
        period_schemes: [{ periods: [{}] }, {}],
        closures: [{}],
        transfers: [{}],
      },
      envelope('edu.roster.academic_year.calendar_changed'),
    );

    expect(year.holidays).toEqual([{ name: '', startsOn: '', endsOn: '' }]);
    expect(year.periodSchemes).toEqual([
      { grades: [], kind: '', periods: [{ number: 0, startsOn: '', endsOn: '' }] },
      { grades: [], kind: '', periods: [] },
    ]);
    expect(year.closures).toEqual([{ reason: '', startsOn: '', endsOn: '', grades: [] }]);
    expect(year.transfers).toEqual([{ date: '', worksAs: 0 }]);
  });

  it('when a state’s lists are mapped, then the record shares no array with the decoded message', () => {
    const grades = [5, 6];
    const year = academicYearFrom(
      { period_schemes: [{ grades }] },
      envelope('edu.roster.academic_year.opened'),
    );

    grades.push(7);

    expect(year.periodSchemes[0]?.grades).toEqual([5, 6]);
  });
});

describe('roster records: classes, subgroups, staff and people', () => {
  it('when a class comes, then it is kept with its letter, name and class teacher', () => {
    const event = envelope('edu.roster.class.opened');

    expect(
      classFrom(
        {
          class_id: 'class-5a',
          school_id: 'school-1',
          academic_year_id: 'year-1',
          grade: 5,
          letter: 'А',
          name: '5А',
          class_teacher_id: 'teacher-1',
          status: 'closed',
        },
        event,
      ),
    ).toEqual({
      id: 'class-5a',
      schoolId: 'school-1',
      academicYearId: 'year-1',
      grade: 5,
      letter: 'А',
      name: '5А',
      classTeacherId: 'teacher-1',
      status: 'closed',
      version: 7,
    });
    expect(classFrom({}, event)).toEqual({
      id: 'agg-env',
      schoolId: 'school-env',
      academicYearId: '',
      grade: 0,
      letter: '',
      name: '',
      classTeacherId: '',
      status: 'open',
      version: 7,
    });
  });

  it('when a subgroup comes, then it is kept with its teacher and a copy of its members', () => {
    const event = envelope('edu.roster.subgroup.members_changed');
    const members = ['s-1', 's-2'];

    const subgroup = subgroupFrom(
      {
        subgroup_id: 'sg-1',
        school_id: 'school-1',
        academic_year_id: 'year-1',
        class_id: 'class-5a',
        subject_key: 'english',
        name: 'Английский язык, группа 1',
        teacher_id: 'teacher-2',
        member_ids: members,
        status: 'open',
      },
      event,
    );
    members.push('s-3');

    expect(subgroup).toEqual({
      id: 'sg-1',
      schoolId: 'school-1',
      academicYearId: 'year-1',
      classId: 'class-5a',
      subjectKey: 'english',
      name: 'Английский язык, группа 1',
      teacherId: 'teacher-2',
      memberIds: ['s-1', 's-2'],
      status: 'open',
      version: 7,
    });
    expect(subgroupFrom({ status: 'closed' }, event)).toEqual({
      id: 'agg-env',
      schoolId: 'school-env',
      academicYearId: '',
      classId: '',
      subjectKey: '',
      name: '',
      teacherId: '',
      memberIds: [],
      status: 'closed',
      version: 7,
    });
  });

  it('when a staff position comes, then only an active one reads as active', () => {
    const event = envelope('edu.roster.staff.hired');

    expect(
      staffPositionFrom(
        {
          position_id: 'pos-1',
          school_id: 'school-1',
          person_id: 'teacher-1',
          kind: 'teacher',
          title: 'Учитель математики',
          status: 'active',
        },
        event,
      ),
    ).toEqual({
      id: 'pos-1',
      schoolId: 'school-1',
      personId: 'teacher-1',
      kind: 'teacher',
      title: 'Учитель математики',
      status: 'active',
      version: 7,
    });
    expect(staffPositionFrom({}, event)).toEqual({
      id: 'agg-env',
      schoolId: 'school-env',
      personId: '',
      kind: '',
      title: '',
      status: 'dismissed',
      version: 7,
    });
  });

  it('when a person comes, then the kind, display name and status are kept', () => {
    const event = envelope('edu.roster.person.registered');

    expect(
      personFrom(
        {
          person_id: 'p-1',
          school_id: 'school-1',
          kind: 'student',
          display_name: 'Иванов Иван',
          status: 'active',
        },
        event,
      ),
    ).toEqual({
      id: 'p-1',
      schoolId: 'school-1',
      kind: 'student',
      displayName: 'Иванов Иван',
      status: 'active',
      version: 7,
    });
    expect(personFrom({}, event)).toEqual({
      id: 'agg-env',
      schoolId: 'school-env',
      kind: '',
      displayName: '',
      status: '',
      version: 7,
    });
  });
});

describe('roster records: enrolments, movements and guardianships', () => {
  it('when an enrolment comes, then the student’s place in the year is kept', () => {
    const event = envelope('edu.roster.student.transferred');

    expect(
      enrolmentFrom(
        {
          enrolment_id: 'year-1:s-1',
          school_id: 'school-1',
          academic_year_id: 'year-1',
          student_id: 's-1',
          class_id: 'class-5b',
          status: 'active',
        },
        event,
      ),
    ).toEqual({
      id: 'year-1:s-1',
      schoolId: 'school-1',
      academicYearId: 'year-1',
      studentId: 's-1',
      classId: 'class-5b',
      status: 'active',
      version: 7,
    });
    expect(enrolmentFrom({}, event)).toEqual({
      id: 'agg-env',
      schoolId: 'school-env',
      academicYearId: '',
      studentId: '',
      classId: '',
      status: '',
      version: 7,
    });
  });

  it('when a student event comes, then its movement takes the event’s action as its kind', () => {
    expect(
      movementFrom(
        {
          from_class_id: 'class-5a',
          to_class_id: 'class-5b',
          effective_on: '2026-10-10',
          order: { number: '12', date: '2026-10-09', title: 'О переводе' },
        },
        envelope('edu.roster.student.transferred'),
      ),
    ).toEqual({
      kind: 'transferred',
      fromClassId: 'class-5a',
      toClassId: 'class-5b',
      effectiveOn: '2026-10-10',
    });
    expect(movementFrom({}, envelope('edu.roster.student.graduated'))).toEqual({
      kind: 'graduated',
      fromClassId: '',
      toClassId: '',
      effectiveOn: '',
    });
  });

  it('when the event is no student movement, then mapping its movement throws', () => {
    expect(() => movementFrom({}, envelope('edu.roster.student.expelled'))).toThrow(
      'edu.roster.student.expelled evt-1: not a student movement',
    );
    expect(() => movementFrom({}, envelope('edu.roster.class.transferred'))).toThrow(
      /not a student movement/,
    );
  });

  it('when a guardianship comes, then consent counts only while the link is active', () => {
    const event = envelope('edu.roster.consent.recorded');
    const link = {
      guardianship_id: 'g-1',
      school_id: 'school-1',
      guardian_id: 'p-mother',
      student_id: 's-1',
      kind: 'mother',
      status: 'active',
      consent_active: true,
    };

    expect(guardianshipFrom(link, event)).toEqual({
      id: 'g-1',
      schoolId: 'school-1',
      guardianId: 'p-mother',
      studentId: 's-1',
      kind: 'mother',
      status: 'active',
      consentActive: true,
      version: 7,
    });
    expect(guardianshipFrom({ ...link, status: 'ended' }, event).consentActive).toBe(false);
    expect(guardianshipFrom({}, event)).toEqual({
      id: 'agg-env',
      schoolId: 'school-env',
      guardianId: '',
      studentId: '',
      kind: '',
      status: '',
      consentActive: false,
      version: 7,
    });
  });
});
