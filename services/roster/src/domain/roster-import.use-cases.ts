import { invalid, notFound, precondition } from '@edu/kit';
import type { OrderRef } from './academic-year';
import { enrolmentId, type Enrolment } from './enrolment';
import type { Guardianship } from './guardianship';
import { dateIn, type Person } from './person';
import type {
  AcademicYearRepository,
  Authorize,
  EnrolmentRepository,
  GuardianshipRepository,
  PersonEvent,
  PersonRepository,
  RequestContext,
  SchoolClassEvent,
  SchoolClassRepository,
  SchoolRepository,
} from './ports';
import { checkImport, parseCsv, type ImportRecord } from './roster-import';
import { className, type SchoolClass } from './school-class';
import { canManageSchool, canReadSchool } from './school-policy';

export interface RosterImportDeps {
  schools: SchoolRepository;
  academicYears: AcademicYearRepository;
  schoolClasses: SchoolClassRepository;
  people: PersonRepository;
  enrolments: EnrolmentRepository;
  guardianships: GuardianshipRepository;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
  /** Runs the bulk write with event publishing held back until it is done (the outbox relay). */
  quietly: <T>(write: () => Promise<T>) => Promise<T>;
}

/** Counts of what an import creates and what it finds already in place. */
export interface ImportSummary {
  dryRun: boolean;
  lines: number;
  people: { created: number; unchanged: number };
  classes: { created: number; unchanged: number };
  enrolments: { created: number; unchanged: number };
  guardianships: { created: number; unchanged: number };
}

/**
 * The same person on a second import: by СНИЛС when the file has it, otherwise by kind, names
 * and date of birth. That is what makes a repeated import change nothing.
 */
function personKey(
  person: Pick<Person, 'kind' | 'snils' | 'lastName' | 'firstName' | 'middleName' | 'birthDate'>,
): string {
  if (person.snils) return `snils:${person.snils}`;
  const name = `${person.lastName}|${person.firstName}|${person.middleName}`
    .toLocaleLowerCase('ru-RU')
    .replaceAll('ё', 'е');
  return `${person.kind}:${name}|${person.birthDate}`;
}

const classKey = (c: { grade: number; letter: string }) => `${c.grade}${c.letter}`;

/**
 * Imports a school's roster from CSV into an open academic year (R3.1, R3.2): people, the classes
 * the file names, and the students' enrolments under one order. Every line is checked first; any
 * problem refuses the whole file with every problem listed by line, and nothing is written. People
 * and enrolments already in place are left as they are, so importing the same file again changes
 * nothing. `dryRun` reports what would happen.
 */
export async function importRoster(
  deps: RosterImportDeps,
  ctx: RequestContext,
  input: { academicYearId: string; csv: string; dryRun: boolean; order: OrderRef },
): Promise<ImportSummary> {
  const year = await deps.academicYears.get(input.academicYearId);
  if (!year || !canReadSchool(ctx.actor, year.schoolId))
    throw notFound('academic_year.not_found', 'Учебный год не найден');
  deps.authorize(ctx.actor, canManageSchool(ctx.actor, year.schoolId), {
    action: 'roster.import',
    object: `academic_year:${year.id}`,
  });
  if (year.status !== 'open') throw precondition('academic_year.closed', `Учебный год ${year.name} закрыт`);
  const school = await deps.schools.get(year.schoolId);
  if (!school) throw notFound('school.not_found', 'Школа не найдена');
  const now = deps.now();
  const orderErrors = [
    ...(input.order.number.trim()
      ? []
      : [{ field: 'order.number', message: 'Укажите номер приказа о зачислении' }]),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(input.order.date)
      ? []
      : [{ field: 'order.date', message: 'Дата приказа в формате ГГГГ-ММ-ДД' }]),
    ...(input.order.title.trim() ? [] : [{ field: 'order.title', message: 'Укажите, о чём приказ' }]),
  ];
  if (orderErrors.length > 0) throw invalid('import.invalid', 'Укажите приказ о зачислении', orderErrors);
  const rows = parseCsv(input.csv);
  const { records, errors } = checkImport(rows, {
    schoolId: year.schoolId,
    registeredOn: dateIn(school.timeZone, now),
  });
  const grades = new Set(year.periodSchemes.flatMap((s) => s.grades));
  for (const record of records) {
    if (record.className && !grades.has(record.className.grade)) {
      errors.push({
        line: record.line,
        field: `line ${record.line}: класс`,
        message: `Строка ${record.line}, «класс»: в учебном году ${year.name} нет периодов для ${record.className.grade}-х классов`,
      });
    }
  }
  if (errors.length > 0) {
    throw invalid(
      'import.invalid',
      `В файле ошибки (${errors.length}): ничего не записано`,
      errors.map(({ field, message }) => ({ field, message })),
    );
  }

  // What is in place: people of the school, classes of the year, enrolments of those people.
  const stored = await deps.people.list({ schoolId: year.schoolId, includeArchived: true, limit: 1_000_000 });
  const storedByKey = new Map(stored.map((p) => [personKey(p), p]));
  const classes = new Map((await deps.schoolClasses.listByYear(year.id)).map((c) => [classKey(c), c]));
  const enrolled = new Map((await deps.enrolments.listByYear(year.id)).map((e) => [e.studentId, e]));
  const linked = new Set(
    (await deps.guardianships.listActiveBySchool(year.schoolId)).map((l) => `${l.guardianId}:${l.studentId}`),
  );
  const recordedAt = now.toISOString();

  const personOf = new Map<string, Person>();
  const newPeople: Person[] = [];
  for (const record of records) {
    const existing = storedByKey.get(personKey(record.form));
    if (existing) {
      personOf.set(record.key, existing);
      continue;
    }
    const person: Person = {
      ...record.form,
      id: deps.newId(),
      status: 'active',
      version: 1,
      createdAt: recordedAt,
    };
    storedByKey.set(personKey(person), person); // the same person twice in one file is one person
    personOf.set(record.key, person);
    newPeople.push(person);
  }

  const newClasses: SchoolClass[] = [];
  const classFor = (record: ImportRecord): SchoolClass | undefined => {
    if (!record.className) return undefined;
    const key = classKey(record.className);
    let schoolClass = classes.get(key);
    if (!schoolClass) {
      schoolClass = {
        id: deps.newId(),
        schoolId: year.schoolId,
        academicYearId: year.id,
        grade: record.className.grade,
        letter: record.className.letter,
        classTeacherId: '',
        capacity: 0,
        status: 'open',
        version: 1,
        createdAt: recordedAt,
      };
      classes.set(key, schoolClass);
      newClasses.push(schoolClass);
    }
    return schoolClass;
  };
  for (const record of records.filter((r) => r.form.kind === 'student')) classFor(record);
  // A staff member's class in the file: its class teacher, if it has none yet and is being opened now.
  for (const record of records.filter((r) => r.form.kind === 'staff' && r.className)) {
    const schoolClass = classes.get(classKey(record.className!));
    if (schoolClass && newClasses.includes(schoolClass) && !schoolClass.classTeacherId) {
      schoolClass.classTeacherId = personOf.get(record.key)!.id;
    }
  }

  const newEnrolments: Enrolment[] = [];
  let unchangedEnrolments = 0;
  const conflicts: { field: string; message: string }[] = [];
  for (const record of records.filter((r) => r.form.kind === 'student')) {
    const student = personOf.get(record.key)!;
    const schoolClass = classFor(record)!;
    const id = enrolmentId(year.id, student.id);
    const existing = enrolled.get(student.id) ?? null;
    if (existing?.status === 'active') {
      if (existing.classId === schoolClass.id) unchangedEnrolments++;
      else {
        const current = [...classes.values()].find((c) => c.id === existing.classId);
        conflicts.push({
          field: `line ${record.line}: класс`,
          message: `Строка ${record.line}: обучающийся уже в ${current ? className(current) : 'другом'} классе; перевод — отдельным приказом`,
        });
      }
      continue;
    }
    if (existing) {
      conflicts.push({
        field: `line ${record.line}: класс`,
        message: `Строка ${record.line}: обучающийся выбыл в этом году; зачислите его отдельно`,
      });
      continue;
    }
    newEnrolments.push({
      id,
      schoolId: year.schoolId,
      academicYearId: year.id,
      studentId: student.id,
      classId: schoolClass.id,
      status: 'active',
      version: 1,
      movements: [
        {
          kind: 'enrolled',
          fromClassId: '',
          toClassId: schoolClass.id,
          effectiveOn: year.days.startsOn > input.order.date ? year.days.startsOn : input.order.date,
          order: input.order,
          reason: '',
          recordedAt,
          recordedBy: ctx.actor.accountId,
        },
      ],
    });
  }
  // Guardians and their children of the file: a link where none is active (consents are recorded
  // on their own, with the written document).
  const newLinks: Guardianship[] = [];
  let unchangedLinks = 0;
  for (const record of records.filter((r) => r.form.kind === 'guardian')) {
    const guardian = personOf.get(record.key)!;
    for (const childKey of record.children) {
      const student = personOf.get(childKey)!;
      if (linked.has(`${guardian.id}:${student.id}`)) {
        unchangedLinks++;
        continue;
      }
      newLinks.push({
        id: deps.newId(),
        schoolId: year.schoolId,
        guardianId: guardian.id,
        studentId: student.id,
        kind: record.relation!,
        status: 'active',
        consents: [],
        linkedAt: recordedAt,
        linkedBy: ctx.actor.accountId,
        endedOn: '',
        endReason: '',
        endedBy: '',
        endedAt: '',
        version: 1,
      });
    }
  }
  if (conflicts.length > 0)
    throw invalid('import.invalid', `В файле ошибки (${conflicts.length}): ничего не записано`, conflicts);

  const summary: ImportSummary = {
    dryRun: input.dryRun,
    lines: records.length,
    people: { created: newPeople.length, unchanged: records.length - newPeople.length },
    classes: { created: newClasses.length, unchanged: classes.size - newClasses.length },
    enrolments: { created: newEnrolments.length, unchanged: unchangedEnrolments },
    guardianships: { created: newLinks.length, unchanged: unchangedLinks },
  };
  const nothingNew = [newClasses, newPeople, newEnrolments, newLinks].every((list) => list.length === 0);
  if (input.dryRun || nothingNew) return summary;
  await deps.quietly(() => write(deps, ctx, { newClasses, newPeople, newEnrolments, newLinks }));
  return summary;
}

/**
 * Classes first (enrolments point at them), then people, enrolments and links: a failure half
 * way leaves only complete facts, and importing the file again finishes the job.
 */
async function write(
  deps: RosterImportDeps,
  ctx: RequestContext,
  {
    newClasses,
    newPeople,
    newEnrolments,
    newLinks,
  }: {
    newClasses: SchoolClass[];
    newPeople: Person[];
    newEnrolments: Enrolment[];
    newLinks: Guardianship[];
  },
): Promise<void> {
  for (const schoolClass of newClasses) {
    const events: SchoolClassEvent[] = [{ type: 'edu.roster.class.opened', schoolClass }];
    await deps.schoolClasses.create(schoolClass, events, ctx);
  }
  await deps.people.createMany(
    newPeople.map((person) => ({
      person,
      events: [{ type: 'edu.roster.person.registered', person } as PersonEvent],
    })),
    ctx,
  );
  await deps.enrolments.createMany(
    newEnrolments.map((enrolment) => ({
      enrolment,
      events: [
        { type: 'edu.roster.student.enrolled' as const, enrolment, movement: enrolment.movements[0]! },
      ],
    })),
    ctx,
  );
  await deps.guardianships.createMany(
    newLinks.map((link) => ({
      link,
      events: [{ type: 'edu.roster.guardian.linked' as const, guardianship: link }],
    })),
    ctx,
  );
}
