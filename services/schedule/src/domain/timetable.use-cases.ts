import { conflict, invalid, notFound, precondition, type DomainError, type FieldError } from '@edu/kit';
import type { BellLesson } from './bell-schedule';
import { studyWeeks } from './curriculum';
import type {
  AssignmentRepository,
  Authorize,
  BellScheduleRepository,
  RequestContext,
  RosterCopyReader,
  SubjectRepository,
  TimetableRepository,
} from './ports';
import type { CopiedClass, CopiedSubgroup, CopiedYear } from './roster-copy';
import { authorizeInSchool, canManageSchedule, hasRoleIn } from './schedule-policy';
import type { Subject } from './subject';
import { teachesClass, type TeachingAssignment } from './teaching-assignment';
import {
  classTimetableId,
  compareEntries,
  noAssignmentViolations,
  normaliseEntry,
  periodsOverlap,
  refusalOf,
  splitSubjectViolations,
  timetableConflicts,
  timetableFormErrors,
  timetablePublicationId,
  unknownLessonViolations,
  type CheckedEntry,
  type ClassTimetable,
  type PeriodOfClass,
  type PlacedEntry,
  type PublishedClassTimetable,
  type TimetableEntry,
  type TimetableEntryInput,
  type TimetablePublication,
  type TimetableViolation,
} from './timetable';

export interface TimetableDeps {
  timetables: TimetableRepository;
  assignments: Pick<AssignmentRepository, 'listByYear' | 'listByClass'>;
  subjects: Pick<SubjectRepository, 'listForSchool'>;
  bellSchedules: Pick<BellScheduleRepository, 'listBySchool'>;
  /** Schedule's copy of roster: years (with their calendars), classes, subgroups, staff names. */
  roster: Pick<
    RosterCopyReader,
    'year' | 'schoolClass' | 'classes' | 'subgroups' | 'openSubgroupsOfClass' | 'people'
  >;
  authorize: Authorize;
  now: () => Date;
}

/** An entry with what people read with it, from the copy, the subjects and the bells as they are now. */
export interface TimetableEntryView {
  entry: TimetableEntry;
  classId: string;
  className: string;
  /** '' when the shift's bells have no such lesson (any more). */
  startsAt: string;
  endsAt: string;
  subjectName: string;
  subjectKey: string;
  subgroupName: string;
  teacherName: string;
}

/** A class's week of a period with names; version 0 and no entries when none is set yet. */
export interface ClassTimetableView {
  timetable: ClassTimetable;
  className: string;
  grade: number;
  entries: TimetableEntryView[];
}

/** The school's template of a period as published last (null: never), and this class's part in it. */
export interface PublicationView {
  publication: TimetablePublication | null;
  /** Whether some class's week changed (or appeared) since it was published. */
  changedSince: boolean;
}

const schoolNotFound = () => notFound('school.not_found', 'Школа не найдена');
const yearNotFound = () => notFound('academic_year.not_found', 'Учебный год не найден');
const classNotFound = () => notFound('class.not_found', 'Класс не найден');

export function timetableVersionConflict(): DomainError {
  return conflict(
    'timetable.version_conflict',
    'Расписание класса уже изменили: обновите страницу и повторите',
  );
}

/** The year of the school, open. */
async function openYearOf(deps: TimetableDeps, schoolId: string, yearId: string): Promise<CopiedYear> {
  const year = await deps.roster.year(yearId);
  if (!year || year.schoolId !== schoolId) throw yearNotFound();
  if (year.status !== 'open') {
    throw precondition(
      'academic_year.closed',
      `Учебный год ${year.name} закрыт: расписание в нём не меняется`,
    );
  }
  return year;
}

/** The period `number` of a grade in the year; undefined when the grade has no such period. */
export function periodOf(year: CopiedYear, grade: number, number: number): PeriodOfClass | undefined {
  const found = studyWeeks(year, grade).periods.find((p) => p.number === number);
  if (!found) return undefined;
  return found.startsOn && found.endsOn
    ? { number, days: { startsOn: found.startsOn, endsOn: found.endsOn } }
    : { number };
}

/** What checks and answers read besides the entries: the copy, subjects, bells, assignments. */
interface SchoolWeek {
  classes: Map<string, CopiedClass>;
  subgroups: Map<string, CopiedSubgroup>;
  subjects: Map<string, Subject>;
  /** Lessons by shift. */
  bells: Map<number, BellLesson[]>;
}

async function loadSchoolWeek(
  deps: Pick<TimetableDeps, 'roster' | 'subjects' | 'bellSchedules'>,
  schoolId: string,
  timetables: ClassTimetable[],
  more: { classIds?: string[]; subgroupIds?: string[] } = {},
): Promise<SchoolWeek> {
  const unique = (ids: string[]) => [...new Set(ids.filter(Boolean))];
  const [classes, subgroups, subjects, bells] = await Promise.all([
    deps.roster.classes(unique([...timetables.map((t) => t.classId), ...(more.classIds ?? [])])),
    deps.roster.subgroups(
      unique([...timetables.flatMap((t) => t.entries.map((e) => e.subgroupId)), ...(more.subgroupIds ?? [])]),
    ),
    deps.subjects.listForSchool(schoolId),
    deps.bellSchedules.listBySchool(schoolId),
  ]);
  return {
    classes: new Map(classes.map((c) => [c.id, c])),
    subgroups: new Map(subgroups.map((s) => [s.id, s])),
    subjects: new Map(subjects.map((s) => [s.id, s])),
    bells: new Map(bells.map((b) => [b.shift, b.lessons])),
  };
}

function place(
  week: SchoolWeek,
  timetable: Pick<ClassTimetable, 'classId' | 'shift'>,
  entry: TimetableEntry,
) {
  const lesson = week.bells.get(timetable.shift)?.find((l) => l.number === entry.lessonNumber);
  return {
    ...entry,
    classId: timetable.classId,
    className: week.classes.get(timetable.classId)?.name ?? '',
    shift: timetable.shift,
    startsAt: lesson?.startsAt ?? '',
    endsAt: lesson?.endsAt ?? '',
    subjectName: week.subjects.get(entry.subjectId)?.name ?? '',
    subgroupName: week.subgroups.get(entry.subgroupId)?.name ?? '',
  } satisfies PlacedEntry;
}

/** A class's period from the copy; by number alone when the class or the grade's scheme is unknown. */
function periodOfTimetable(week: SchoolWeek, year: CopiedYear, timetable: ClassTimetable): PeriodOfClass {
  const grade = week.classes.get(timetable.classId)?.grade;
  return (grade && periodOf(year, grade, timetable.period)) || { number: timetable.period };
}

/**
 * Every rule of the timetable for some classes' weeks (checked), each against the rest of the
 * school's week at its days (`others`): lessons in the bells, split subjects, teaching
 * assignments, and who is in two places at once.
 */
function violationsOf(
  week: SchoolWeek,
  year: CopiedYear,
  checked: {
    timetable: ClassTimetable;
    period: PeriodOfClass;
    entries: CheckedEntry[];
    others: PlacedEntry[];
  }[],
  assignments: TeachingAssignment[],
  openSubgroups: CopiedSubgroup[],
): TimetableViolation[] {
  const members = (id: string) => week.subgroups.get(id)?.memberIds ?? [];
  const perClass = checked.flatMap(({ timetable, period, entries }) => [
    ...unknownLessonViolations(entries, timetable.shift, week.bells.get(timetable.shift) ?? []),
    ...splitSubjectViolations(entries, week.subjects, openSubgroups),
    ...noAssignmentViolations(entries, assignments, period.days ?? year),
  ]);
  return [
    ...perClass,
    ...checked.flatMap(({ entries, others }) => timetableConflicts(entries, others, members)),
  ];
}

function refuse(violations: TimetableViolation[]): void {
  const refusal = refusalOf(violations);
  if (refusal) throw precondition(refusal.code, refusal.detail, refusal.errors);
}

/**
 * Replaces the week of a class in a study period (director, deputy, school admin), based on the
 * version the caller saw (0: none yet). Every rule is checked against the whole school's week of
 * the period (and the periods of other grades that share its days), all problems reported at
 * once. No event: the school's template becomes a fact when published.
 */
export async function setTimetableEntries(
  deps: TimetableDeps,
  ctx: RequestContext,
  input: {
    schoolId: string;
    academicYearId: string;
    classId: string;
    period: number;
    shift: number;
    entries: TimetableEntryInput[];
    expectedVersion: number;
  },
): Promise<ClassTimetable> {
  authorizeInSchool(
    deps,
    ctx,
    input.schoolId,
    canManageSchedule(ctx.actor, input.schoolId),
    { action: 'timetable.set', object: `class:${input.classId}` },
    schoolNotFound,
  );
  const shift = input.shift || 1;
  const entries = input.entries.map(normaliseEntry);
  const errors: FieldError[] = [];
  if (!input.academicYearId) errors.push({ field: 'academicYearId', message: 'Укажите учебный год' });
  if (!input.classId) errors.push({ field: 'classId', message: 'Укажите класс' });
  if (!Number.isInteger(input.period) || input.period < 1) {
    errors.push({ field: 'period', message: 'Укажите учебный период: номер от 1' });
  }
  if (shift !== 1 && shift !== 2) errors.push({ field: 'shift', message: 'Смена — 1 или 2' });
  if (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 0) {
    errors.push({
      field: 'expectedVersion',
      message: 'Укажите версию расписания класса, которую вы изменяете (0 — если его ещё нет)',
    });
  }
  errors.push(...timetableFormErrors(entries));
  if (errors.length > 0) throw invalid('timetable.invalid', 'Расписание заполнено с ошибками', errors);

  const year = await openYearOf(deps, input.schoolId, input.academicYearId);
  const schoolClass = await deps.roster.schoolClass(input.classId);
  if (!schoolClass || schoolClass.schoolId !== input.schoolId) throw classNotFound();
  if (schoolClass.academicYearId !== year.id) {
    throw precondition('timetable.other_year', `Класс ${schoolClass.name} не из учебного года ${year.name}`, [
      { field: 'classId', message: 'Выберите класс этого учебного года' },
    ]);
  }
  if (schoolClass.status !== 'open') {
    throw precondition('class.closed', `Класс ${schoolClass.name} закрыт: его расписание не меняется`);
  }
  const period = periodOf(year, schoolClass.grade, input.period);
  if (!period) {
    const count = studyWeeks(year, schoolClass.grade).periods.length;
    throw precondition(
      'timetable.unknown_period',
      `У ${schoolClass.grade}-х классов в ${year.name} учебном году периоды 1–${count}, периода ${input.period} нет`,
      [{ field: 'period', message: `Выберите период от 1 до ${count}` }],
    );
  }

  return deps.timetables.exclusive(input.schoolId, year.id, async () => {
    const id = classTimetableId(schoolClass.id, input.period);
    const stored = await deps.timetables.get(id);
    if ((stored?.version ?? 0) !== input.expectedVersion) throw timetableVersionConflict();
    const all = await deps.timetables.listByYear(input.schoolId, year.id);
    const [week, assignments, openSubgroups] = await Promise.all([
      loadSchoolWeek(deps, input.schoolId, all, {
        classIds: [schoolClass.id],
        subgroupIds: entries.map((e) => e.subgroupId),
      }),
      deps.assignments.listByClass(schoolClass.id),
      deps.roster.openSubgroupsOfClass(schoolClass.id),
    ]);

    // What the request names must exist: the subject (the catalogue's or the school's), the
    // subgroup (an open one of this class), the bells of the shift.
    const references: FieldError[] = entries.flatMap((entry, i) => {
      const found: FieldError[] = [];
      if (!week.subjects.has(entry.subjectId)) {
        found.push({
          field: `entries[${i}].subjectId`,
          message: 'Такого предмета нет ни в справочнике, ни среди предметов школы',
        });
      }
      const subgroup = entry.subgroupId ? week.subgroups.get(entry.subgroupId) : undefined;
      if (entry.subgroupId && (!subgroup || subgroup.classId !== schoolClass.id)) {
        found.push({
          field: `entries[${i}].subgroupId`,
          message: `Такой подгруппы нет в классе ${schoolClass.name}`,
        });
      } else if (subgroup && subgroup.status !== 'open') {
        found.push({
          field: `entries[${i}].subgroupId`,
          message: `Подгруппа «${subgroup.name}» расформирована`,
        });
      }
      return found;
    });
    if (references.length > 0) {
      throw invalid('timetable.invalid', 'Расписание заполнено с ошибками', references);
    }
    if (entries.length > 0 && !week.bells.has(shift)) {
      throw precondition(
        'timetable.no_bells',
        `Сначала задайте расписание звонков ${shift}-й смены: номера уроков берутся из него`,
        [{ field: 'shift', message: 'У этой смены нет расписания звонков' }],
      );
    }

    const now = deps.now().toISOString();
    const timetable: ClassTimetable = {
      id,
      schoolId: input.schoolId,
      academicYearId: year.id,
      period: input.period,
      classId: schoolClass.id,
      shift,
      entries,
      version: input.expectedVersion + 1,
      createdAt: stored?.createdAt ?? now,
      updatedAt: now,
      updatedBy: ctx.actor.accountId,
    };
    const others = all
      // A closed class's week no longer holds its teachers and rooms.
      .filter(
        (t) =>
          t.classId !== schoolClass.id &&
          week.classes.get(t.classId)?.status === 'open' &&
          periodsOverlap(period, periodOfTimetable(week, year, t)),
      )
      .flatMap((t) => t.entries.map((entry) => place(week, t, entry)));
    const checked = entries.map((entry, i) => ({ ...place(week, timetable, entry), field: `entries[${i}]` }));
    refuse(
      violationsOf(week, year, [{ timetable, period, entries: checked, others }], assignments, openSubgroups),
    );

    await deps.timetables.save(timetable, input.expectedVersion);
    return timetable;
  });
}

/**
 * Publishes the school's template of a study period (director, deputy, school admin): every open
 * class's week of that period number, checked again as a whole (bells, assignments or subgroups
 * may have changed since the weeks were set). Publishes edu.schedule.timetable.published with
 * each class's lessons and their times from the bells.
 */
export async function publishTimetable(
  deps: TimetableDeps,
  ctx: RequestContext,
  input: { schoolId: string; academicYearId: string; period: number },
): Promise<{ publication: TimetablePublication; entries: number; classes: PublishedClassTimetable[] }> {
  authorizeInSchool(
    deps,
    ctx,
    input.schoolId,
    canManageSchedule(ctx.actor, input.schoolId),
    { action: 'timetable.publish', object: `school:${input.schoolId}` },
    schoolNotFound,
  );
  const errors: FieldError[] = [];
  if (!input.academicYearId) errors.push({ field: 'academicYearId', message: 'Укажите учебный год' });
  if (!Number.isInteger(input.period) || input.period < 1) {
    errors.push({ field: 'period', message: 'Укажите учебный период: номер от 1' });
  }
  if (errors.length > 0) throw invalid('timetable.invalid', 'Публикация указана с ошибками', errors);
  const year = await openYearOf(deps, input.schoolId, input.academicYearId);

  return deps.timetables.exclusive(input.schoolId, year.id, async () => {
    const all = await deps.timetables.listByYear(input.schoolId, year.id);
    const [week, assignments] = await Promise.all([
      loadSchoolWeek(deps, input.schoolId, all),
      deps.assignments.listByYear(input.schoolId, year.id),
    ]);
    const isOpen = (t: ClassTimetable) => week.classes.get(t.classId)?.status === 'open';
    const published = all
      .filter((t) => t.period === input.period && isOpen(t))
      .sort((a, b) => compareClasses(week.classes.get(a.classId)!, week.classes.get(b.classId)!));
    if (!published.some((t) => t.entries.length > 0)) {
      throw precondition(
        'timetable.empty',
        `В ${input.period}-м учебном периоде ещё нет уроков ни у одного класса: публиковать нечего`,
      );
    }
    const openSubgroups = (
      await Promise.all(published.map((t) => deps.roster.openSubgroupsOfClass(t.classId)))
    ).flat();
    const weeks = published.map((timetable) => ({
      timetable,
      className: week.classes.get(timetable.classId)!.name,
      period: periodOfTimetable(week, year, timetable),
    }));
    // The weeks of the other period numbers of open classes (other grades' schemes share days).
    const rest = all
      .filter((t) => t.period !== input.period && isOpen(t))
      .map((timetable) => ({ timetable, period: periodOfTimetable(week, year, timetable) }));
    // Each class against the classes before it and the rest, where their days meet: every pair
    // is checked once, told at the later class.
    const checked = weeks.map(({ timetable, className, period }, i) => ({
      timetable,
      period,
      entries: timetable.entries.map((entry, j) => ({
        ...place(week, timetable, entry),
        field: `classes[${className}].entries[${j}]`,
      })),
      others: [...weeks.slice(0, i), ...rest]
        .filter((o) => o.timetable.classId !== timetable.classId && periodsOverlap(period, o.period))
        .flatMap((o) => o.timetable.entries.map((entry) => place(week, o.timetable, entry))),
    }));
    refuse(violationsOf(week, year, checked, assignments, openSubgroups));

    const id = timetablePublicationId(input.schoolId, year.id, input.period);
    const stored = await deps.timetables.getPublication(id);
    const publication: TimetablePublication = {
      id,
      schoolId: input.schoolId,
      academicYearId: year.id,
      period: input.period,
      version: (stored?.version ?? 0) + 1,
      classes: published.map((t) => ({ classId: t.classId, version: t.version })),
      publishedAt: deps.now().toISOString(),
      publishedBy: ctx.actor.accountId,
    };
    const classes: PublishedClassTimetable[] = checked.map(({ timetable, entries }) => ({
      classId: timetable.classId,
      className: week.classes.get(timetable.classId)!.name,
      grade: week.classes.get(timetable.classId)!.grade,
      shift: timetable.shift,
      version: timetable.version,
      entries: entries
        .map((e) => ({
          weekday: e.weekday,
          lessonNumber: e.lessonNumber,
          subgroupId: e.subgroupId,
          subjectId: e.subjectId,
          teacherId: e.teacherId,
          room: e.room,
          weekParity: e.weekParity,
          startsAt: e.startsAt,
          endsAt: e.endsAt,
          subjectKey: week.subjects.get(e.subjectId)?.key ?? '',
          subgroupName: e.subgroupName,
        }))
        .sort(compareEntries)
        .map(({ subgroupName: _name, ...entry }) => entry),
    }));
    await deps.timetables.publish(
      publication,
      stored?.version ?? 0,
      [{ type: 'edu.schedule.timetable.published', publication, classes }],
      ctx,
    );
    return { publication, entries: classes.reduce((sum, c) => sum + c.entries.length, 0), classes };
  });
}

function compareClasses(a: CopiedClass, b: CopiedClass): number {
  return a.grade - b.grade || a.name.localeCompare(b.name, 'ru') || a.id.localeCompare(b.id);
}

/** Names and times of some weeks' entries, read now (a renamed class shows its new name). */
async function describe(
  deps: Pick<TimetableDeps, 'roster' | 'subjects' | 'bellSchedules'>,
  schoolId: string,
  timetables: ClassTimetable[],
): Promise<{ week: SchoolWeek; views: ClassTimetableView[] }> {
  const week = await loadSchoolWeek(deps, schoolId, timetables);
  const people = new Map(
    (
      await deps.roster.people([...new Set(timetables.flatMap((t) => t.entries.map((e) => e.teacherId)))])
    ).map((p) => [p.id, p.displayName]),
  );
  const views = timetables.map((timetable) => {
    const schoolClass = week.classes.get(timetable.classId);
    const entries = timetable.entries
      .map((entry) => {
        const placed = place(week, timetable, entry);
        return {
          entry,
          classId: timetable.classId,
          className: placed.className,
          startsAt: placed.startsAt,
          endsAt: placed.endsAt,
          subjectName: placed.subjectName,
          subjectKey: week.subjects.get(entry.subjectId)?.key ?? '',
          subgroupName: placed.subgroupName,
          teacherName: people.get(entry.teacherId) ?? '',
        };
      })
      .sort((a, b) =>
        compareEntries(
          { ...a.entry, subgroupName: a.subgroupName },
          { ...b.entry, subgroupName: b.subgroupName },
        ),
      );
    return { timetable, className: schoolClass?.name ?? '', grade: schoolClass?.grade ?? 0, entries };
  });
  return { week, views };
}

async function publicationOf(
  deps: Pick<TimetableDeps, 'timetables'>,
  schoolId: string,
  academicYearId: string,
  period: number,
  current: ClassTimetable[],
): Promise<PublicationView> {
  const publication = await deps.timetables.getPublication(
    timetablePublicationId(schoolId, academicYearId, period),
  );
  const publishedVersions = new Map(publication?.classes.map((c) => [c.classId, c.version]) ?? []);
  return {
    publication,
    changedSince:
      !!publication &&
      current.some((t) => t.version > 0 && (publishedVersions.get(t.classId) ?? 0) !== t.version),
  };
}

function periodErrors(period: number): FieldError[] {
  return Number.isInteger(period) && period >= 1
    ? []
    : [{ field: 'period', message: 'Укажите учебный период: номер от 1' }];
}

/**
 * A class's week of a period: managers of the school, a teacher who teaches the class (an active
 * assignment to it or one of its subgroups) or leads it (class teacher). Version 0 without
 * entries when none is set yet.
 */
export async function getClassTimetable(
  deps: TimetableDeps,
  ctx: RequestContext,
  query: { classId: string; period: number },
): Promise<{ view: ClassTimetableView; publication: PublicationView }> {
  const errors = periodErrors(query.period);
  if (!query.classId) errors.push({ field: 'classId', message: 'Укажите класс' });
  if (errors.length > 0)
    throw invalid('timetable.filter_invalid', 'Отбор расписания указан с ошибками', errors);
  const schoolClass = await deps.roster.schoolClass(query.classId);
  if (!schoolClass) throw classNotFound();
  const personId = ctx.actor.personId ?? '';
  const allowed =
    canManageSchedule(ctx.actor, schoolClass.schoolId) ||
    (hasRoleIn(ctx.actor, schoolClass.schoolId) &&
      !!personId &&
      (schoolClass.classTeacherId === personId ||
        teachesClass(personId, await deps.assignments.listByClass(schoolClass.id))));
  authorizeInSchool(
    deps,
    ctx,
    schoolClass.schoolId,
    allowed,
    { action: 'timetable.read', object: `class:${schoolClass.id}` },
    classNotFound,
  );
  const id = classTimetableId(schoolClass.id, query.period);
  const now = deps.now().toISOString();
  const timetable: ClassTimetable = (await deps.timetables.get(id)) ?? {
    id,
    schoolId: schoolClass.schoolId,
    academicYearId: schoolClass.academicYearId,
    period: query.period,
    classId: schoolClass.id,
    shift: 1,
    entries: [],
    version: 0,
    createdAt: now,
    updatedAt: '',
    updatedBy: '',
  };
  const { views } = await describe(deps, schoolClass.schoolId, [timetable]);
  return {
    view: views[0]!,
    publication: await publicationOf(deps, schoolClass.schoolId, schoolClass.academicYearId, query.period, [
      timetable,
    ]),
  };
}

/**
 * A teacher's week of a period (by period number) across the school's classes: managers of the
 * school, and the teacher themself.
 */
export async function getTeacherTimetable(
  deps: TimetableDeps,
  ctx: RequestContext,
  query: { schoolId: string; academicYearId: string; teacherId: string; period: number },
): Promise<{ teacherName: string; entries: TimetableEntryView[] }> {
  const own =
    !!ctx.actor.personId && ctx.actor.personId === query.teacherId && hasRoleIn(ctx.actor, query.schoolId);
  authorizeInSchool(
    deps,
    ctx,
    query.schoolId,
    canManageSchedule(ctx.actor, query.schoolId) || own,
    { action: 'timetable.read', object: `teacher:${query.teacherId}` },
    schoolNotFound,
  );
  const errors = periodErrors(query.period);
  if (!query.academicYearId) errors.push({ field: 'academicYearId', message: 'Укажите учебный год' });
  if (!query.teacherId) errors.push({ field: 'teacherId', message: 'Укажите учителя' });
  if (errors.length > 0)
    throw invalid('timetable.filter_invalid', 'Отбор расписания указан с ошибками', errors);
  const timetables = (await deps.timetables.listByYear(query.schoolId, query.academicYearId))
    .filter((t) => t.period === query.period)
    .map((t) => ({ ...t, entries: t.entries.filter((e) => e.teacherId === query.teacherId) }))
    .filter((t) => t.entries.length > 0);
  const { views } = await describe(deps, query.schoolId, timetables);
  const [person] = await deps.roster.people([query.teacherId]);
  const entries = views
    .flatMap((v) => v.entries)
    .sort(
      (a, b) =>
        compareEntries(a.entry, b.entry) ||
        a.className.localeCompare(b.className, 'ru') ||
        a.subgroupName.localeCompare(b.subgroupName, 'ru'),
    );
  return { teacherName: person?.displayName ?? '', entries };
}

/** The school's weeks of a period, by class (grade, then name): managers of the school. */
export async function listTimetable(
  deps: TimetableDeps,
  ctx: RequestContext,
  query: { schoolId: string; academicYearId: string; period: number },
): Promise<{ views: ClassTimetableView[]; publication: PublicationView }> {
  authorizeInSchool(
    deps,
    ctx,
    query.schoolId,
    canManageSchedule(ctx.actor, query.schoolId),
    { action: 'timetable.list', object: `school:${query.schoolId}` },
    schoolNotFound,
  );
  const errors = periodErrors(query.period);
  if (!query.academicYearId) errors.push({ field: 'academicYearId', message: 'Укажите учебный год' });
  if (errors.length > 0)
    throw invalid('timetable.filter_invalid', 'Отбор расписания указан с ошибками', errors);
  const timetables = (await deps.timetables.listByYear(query.schoolId, query.academicYearId)).filter(
    (t) => t.period === query.period,
  );
  const { views } = await describe(deps, query.schoolId, timetables);
  views.sort(
    (a, b) =>
      a.grade - b.grade ||
      a.className.localeCompare(b.className, 'ru') ||
      a.timetable.classId.localeCompare(b.timetable.classId),
  );
  return {
    views,
    publication: await publicationOf(deps, query.schoolId, query.academicYearId, query.period, timetables),
  };
}

/** A week the command returned, with names and times read now. */
export async function describeClassTimetable(
  deps: Pick<TimetableDeps, 'roster' | 'subjects' | 'bellSchedules'>,
  timetable: ClassTimetable,
): Promise<ClassTimetableView> {
  const { views } = await describe(deps, timetable.schoolId, [timetable]);
  return views[0]!;
}
