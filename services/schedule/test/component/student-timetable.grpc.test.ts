import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { catalogueSubjectId } from '../../src/domain/subject-catalogue';
import { denialsSince, refusal, staffOf, startSchedule, type ScheduleHarness } from './harness';
import {
  classEvent,
  enrolmentEvent,
  guardianshipEvent,
  schoolCreated,
  staffEvent,
  subgroupEvent,
  yearOpened,
} from './roster-events';

// A student's own week through GetStudentTimetable against the real FerretDB and Kafka: schedule
// knows who is in which class and whose guardian with consent from roster's events (its copy of
// student relations), and shows a student only the subgroups they are in.

const math = catalogueSubjectId('mathematics');
const english = catalogueSubjectId('english');
const bells = [
  { number: 1, starts_at: '08:00', ends_at: '08:40' },
  { number: 2, starts_at: '08:50', ends_at: '09:30' },
];

describe('schedule: a student’s timetable over gRPC (real FerretDB and Kafka)', () => {
  let schedule: ScheduleHarness;

  /**
   * 5А with English groups 1 (s1) and 2 (s2) and a Monday of maths (1st) and English in groups
   * (2nd); 5Б with its own maths teacher. Guardians: g1 of s1 with consent, g2 of s1 without
   * (consent revoked), g3 of s2 with consent.
   */
  async function school() {
    const ids = {
      schoolId: randomUUID(),
      yearId: randomUUID(),
      class5a: randomUUID(),
      class5b: randomUUID(),
      group1: randomUUID(),
      group2: randomUUID(),
      classTeacher: randomUUID(),
      mathTeacher: randomUUID(),
      english1: randomUUID(),
      english2: randomUUID(),
      teacher5b: randomUUID(),
      s1: randomUUID(),
      s2: randomUUID(),
      g1: randomUUID(),
      g2: randomUUID(),
      g3: randomUUID(),
    };
    const { schoolId, yearId } = ids;
    await schedule.roster([
      schoolCreated(schoolId),
      yearOpened(schoolId, yearId),
      classEvent(schoolId, yearId, ids.class5a, { classTeacherId: ids.classTeacher }),
      classEvent(schoolId, yearId, ids.class5b, { letter: 'Б' }),
      subgroupEvent(schoolId, yearId, ids.class5a, ids.group1, {
        name: 'Англ., группа 1',
        memberIds: [ids.s1],
      }),
      subgroupEvent(schoolId, yearId, ids.class5a, ids.group2, {
        name: 'Англ., группа 2',
        memberIds: [ids.s2],
      }),
      ...[ids.classTeacher, ids.mathTeacher, ids.english1, ids.english2, ids.teacher5b].map((id) =>
        staffEvent(schoolId, `p-${id}`, id),
      ),
      enrolmentEvent(schoolId, yearId, ids.s1, ids.class5a),
      enrolmentEvent(schoolId, yearId, ids.s2, ids.class5a),
      guardianshipEvent(schoolId, `l-${ids.g1}`, ids.g1, ids.s1),
      guardianshipEvent(schoolId, `l-${ids.g1}`, ids.g1, ids.s1, { type: 'consent.recorded', version: 2 }),
      guardianshipEvent(schoolId, `l-${ids.g2}`, ids.g2, ids.s1),
      guardianshipEvent(schoolId, `l-${ids.g2}`, ids.g2, ids.s1, { type: 'consent.recorded', version: 2 }),
      guardianshipEvent(schoolId, `l-${ids.g2}`, ids.g2, ids.s1, { type: 'consent.revoked', version: 3 }),
      guardianshipEvent(schoolId, `l-${ids.g3}`, ids.g3, ids.s2),
      guardianshipEvent(schoolId, `l-${ids.g3}`, ids.g3, ids.s2, { type: 'consent.recorded', version: 2 }),
    ]);
    const deputy = await schedule.as(staffOf(schoolId, 'deputy'));
    await schedule.client.SetBellSchedule(
      { school_id: schoolId, shift: 1, name: 'Основное', lessons: bells, expected_version: '0' },
      deputy,
    );
    for (const [teacher_id, subject_id, target] of [
      [ids.mathTeacher, math, { class_id: ids.class5a }],
      [ids.english1, english, { subgroup_id: ids.group1 }],
      [ids.english2, english, { subgroup_id: ids.group2 }],
      [ids.teacher5b, math, { class_id: ids.class5b }],
    ] as const) {
      await schedule.client.AssignTeacher(
        { school_id: schoolId, academic_year_id: yearId, teacher_id, subject_id, ...target },
        deputy,
      );
    }
    const entry = (lesson_number: number, subject_id: string, teacher_id: string, subgroup_id = '') => ({
      weekday: 1,
      lesson_number,
      subject_id,
      teacher_id,
      subgroup_id,
      room: '',
      week_parity: '',
    });
    await schedule.client.SetTimetableEntries(
      {
        school_id: schoolId,
        academic_year_id: yearId,
        class_id: ids.class5a,
        period: 1,
        shift: 1,
        entries: [
          entry(1, math, ids.mathTeacher),
          entry(2, english, ids.english1, ids.group1),
          entry(2, english, ids.english2, ids.group2),
        ],
        expected_version: '0',
      },
      deputy,
    );
    const person = (personId: string) =>
      schedule.as({ accountId: `acc-${personId.slice(0, 8)}`, personId, schoolRoles: [], grants: [] });
    const teacher = (personId: string) => schedule.as(staffOf(schoolId, 'teacher', personId));
    const read = async (studentId: string, metadata: object) =>
      schedule.client.GetStudentTimetable(
        { student_id: studentId, academic_year_id: yearId, period: 1 },
        metadata,
      );
    const lessons = async (studentId: string, metadata: object) =>
      (await read(studentId, metadata)).timetable!.entries.map((e) => [
        e.lesson_number,
        e.subject_name,
        e.subgroup_name,
      ]);
    return { ...ids, person, teacher, read, lessons };
  }

  beforeAll(async () => {
    schedule = await startSchedule();
  });

  afterAll(async () => {
    await schedule?.close();
  });

  it('when a student and their guardian read the week, then they get the class’s lessons and only the student’s own subgroup', async () => {
    const s = await school();

    const own = await s.read(s.s1, await s.person(s.s1));
    const byGuardian = await s.lessons(s.s1, await s.person(s.g1));
    const otherChild = await s.lessons(s.s2, await s.person(s.g3));

    expect([own.class_id, own.class_name, own.student_id]).toEqual([s.class5a, '5А', s.s1]);
    expect(
      own.timetable!.entries.map((e) => [e.lesson_number, e.subject_name, e.subgroup_name, e.starts_at]),
    ).toEqual([
      [1, 'Математика', '', '08:00'],
      [2, 'Иностранный язык (английский)', 'Англ., группа 1', '08:50'],
    ]);
    expect(byGuardian).toEqual([
      [1, 'Математика', ''],
      [2, 'Иностранный язык (английский)', 'Англ., группа 1'],
    ]);
    expect(otherChild).toEqual([
      [1, 'Математика', ''],
      [2, 'Иностранный язык (английский)', 'Англ., группа 2'],
    ]);
  });

  it('when the class teacher, a teacher of the class or a manager reads a student’s week, then it is given', async () => {
    const s = await school();

    const answers = await Promise.all([
      s.lessons(s.s1, await s.teacher(s.classTeacher)),
      s.lessons(s.s1, await s.teacher(s.english2)),
      s.lessons(s.s1, await schedule.as(staffOf(s.schoolId, 'director'))),
    ]);

    expect(answers.map((a) => a.length)).toEqual([2, 2, 2]);
  });

  it('when a guardian of another child, a guardian without consent, another student or a teacher of another class asks, then it is refused and logged', async () => {
    const s = await school();
    const from = schedule.logs().length;

    const refusals = await Promise.all([
      refusal(s.read(s.s1, await s.person(s.g3))),
      refusal(s.read(s.s1, await s.person(s.g2))),
      refusal(s.read(s.s1, await s.person(s.s2))),
      refusal(s.read(s.s1, await s.teacher(s.teacher5b))),
    ]);

    expect(refusals.map((e) => [e.code, e.domainError?.code])).toEqual([
      [grpc.status.NOT_FOUND, 'student.not_found'],
      [grpc.status.NOT_FOUND, 'student.not_found'],
      [grpc.status.NOT_FOUND, 'student.not_found'],
      [grpc.status.PERMISSION_DENIED, 'access.denied'],
    ]);
    expect(denialsSince(schedule, from)).toHaveLength(4);
    expect(
      new Set(denialsSince(schedule, from).map(([action, object]) => `${String(action)} ${String(object)}`)),
    ).toEqual(new Set([`timetable.read student:${s.s1}`]));
  });

  it('when the student is withdrawn, or the filter is bad, then the week is not found or refused as invalid', async () => {
    const s = await school();
    await schedule.roster([
      enrolmentEvent(s.schoolId, s.yearId, s.s1, s.class5a, { type: 'withdrawn', version: 2 }),
    ]);

    const withdrawn = await refusal(s.read(s.s1, await s.person(s.g1)));
    const bad = await refusal(
      schedule.client.GetStudentTimetable(
        { student_id: '', academic_year_id: s.yearId, period: 0 },
        await s.person(s.s1),
      ),
    );

    expect([withdrawn.code, withdrawn.domainError?.code]).toEqual([
      grpc.status.NOT_FOUND,
      'student.not_found',
    ]);
    expect([bad.code, bad.domainError?.code, bad.domainError?.errors?.map((e) => e.field)]).toEqual([
      grpc.status.INVALID_ARGUMENT,
      'timetable.filter_invalid',
      ['studentId', 'period'],
    ]);
  });

  it('when roster replays an older guardianship event after a newer one, then the copy keeps the newer (no consent stays no consent)', async () => {
    const s = await school();
    // The school's next event is applied after the replay (one partition per school).
    await schedule.roster([
      guardianshipEvent(s.schoolId, `l-${s.g2}`, s.g2, s.s1, { type: 'consent.recorded', version: 2 }),
      schoolCreated(s.schoolId, { version: 2 }),
    ]);

    const stillRefused = await refusal(s.read(s.s1, await s.person(s.g2)));
    const copy = await schedule.store
      .collection<{ _id: string; version: number; consentActive: boolean }>('roster_guardianships')
      .findOne({ _id: `l-${s.g2}` });

    expect(stillRefused.domainError?.code).toBe('student.not_found');
    expect(copy).toMatchObject({ version: 3, consentActive: false });
  });
});
