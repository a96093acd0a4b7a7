import { conflict, invalid, notFound } from '@edu/kit';
import type { Authorize, RequestContext, SubjectRepository } from './ports';
import {
  authorizeInSchool,
  canManageSchedule,
  canReadCatalogue,
  canReadSchoolSubjects,
} from './schedule-policy';
import { SUBJECT_CATALOGUE, catalogueSubjects } from './subject-catalogue';
import {
  EDUCATION_AREAS,
  defaultShortName,
  normaliseSubjectName,
  subjectErrors,
  subjectNameKey,
  type EducationArea,
  type Subject,
} from './subject';

export interface SubjectDeps {
  subjects: SubjectRepository;
  authorize: Authorize;
  newId: () => string;
  now: () => Date;
}

const subjectNotFound = () => notFound('subject.not_found', 'Предмет не найден');
const schoolNotFound = () => notFound('school.not_found', 'Школа не найдена');

const AREA_ORDER = Object.keys(EDUCATION_AREAS);
const CATALOGUE_ORDER = new Map(SUBJECT_CATALOGUE.map((entry, i) => [entry.key, i]));

/**
 * The order of lists: by education area; inside one, the catalogue's subjects in the catalogue's
 * order (Русский язык before Литература), then the school's own by name.
 */
export function compareSubjects(a: Subject, b: Subject): number {
  const place = (s: Subject) => (s.schoolId ? SUBJECT_CATALOGUE.length : (CATALOGUE_ORDER.get(s.key) ?? 0));
  return (
    AREA_ORDER.indexOf(a.educationArea) - AREA_ORDER.indexOf(b.educationArea) ||
    place(a) - place(b) ||
    a.name.localeCompare(b.name, 'ru') ||
    a.id.localeCompare(b.id)
  );
}

export const keyTaken = (key: string) =>
  conflict('subject.key_taken', `Предмет с кодом «${key}» уже есть: выберите другой код`);
export const nameTaken = (name: string) =>
  conflict('subject.name_taken', `Предмет «${name}» уже есть в справочнике или в школе`);

/**
 * Adds the catalogue subjects that are not stored yet (at every start; idempotent), each with
 * edu.schedule.subject.created. Returns how many were added.
 */
export async function seedSubjectCatalogue(deps: Pick<SubjectDeps, 'subjects' | 'now'>): Promise<number> {
  const items = catalogueSubjects(deps.now()).map((subject) => ({
    subject,
    events: [{ type: 'edu.schedule.subject.created' as const, subject }],
  }));
  return deps.subjects.seedCatalogue(items);
}

/**
 * Adds a subject of the school's own (director, deputy, school admin); its key and name must not
 * be the catalogue's or another of the school's. Publishes edu.schedule.subject.created.
 */
export async function createSubject(
  deps: SubjectDeps,
  ctx: RequestContext,
  input: {
    schoolId: string;
    key: string;
    name: string;
    shortName: string;
    educationArea: string;
    splitIntoSubgroups: boolean;
  },
): Promise<Subject> {
  authorizeInSchool(
    deps,
    ctx,
    input.schoolId,
    canManageSchedule(ctx.actor, input.schoolId),
    { action: 'subject.create', object: `school:${input.schoolId}` },
    schoolNotFound,
  );
  const key = input.key.trim();
  const name = normaliseSubjectName(input.name);
  const shortName = defaultShortName(name, input.shortName);
  const errors = subjectErrors({ key, name, shortName, educationArea: input.educationArea });
  if (errors.length > 0) throw invalid('subject.invalid', 'Предмет заполнен с ошибками', errors);

  const existing = await deps.subjects.listForSchool(input.schoolId);
  if (existing.some((s) => s.key === key)) throw keyTaken(key);
  const sameName = existing.find((s) => subjectNameKey(s.name) === subjectNameKey(name));
  if (sameName) throw nameTaken(sameName.name);

  const subject: Subject = {
    id: deps.newId(),
    schoolId: input.schoolId,
    key,
    name,
    shortName,
    educationArea: input.educationArea as EducationArea,
    splitIntoSubgroups: input.splitIntoSubgroups,
    version: 1,
    createdAt: deps.now().toISOString(),
  };
  await deps.subjects.create(subject, [{ type: 'edu.schedule.subject.created', subject }], ctx);
  return subject;
}

/** The catalogue and the school's subjects, by education area, then name. */
export async function listSubjects(
  deps: SubjectDeps,
  ctx: RequestContext,
  query: { schoolId: string },
): Promise<Subject[]> {
  authorizeInSchool(
    deps,
    ctx,
    query.schoolId,
    canReadSchoolSubjects(ctx.actor, query.schoolId),
    { action: 'subject.list', object: `school:${query.schoolId}` },
    schoolNotFound,
    true,
  );
  return (await deps.subjects.listForSchool(query.schoolId)).sort(compareSubjects);
}

/** One subject: a catalogue subject for anyone in a school; a school's own for that school's people. */
export async function getSubject(deps: SubjectDeps, ctx: RequestContext, id: string): Promise<Subject> {
  const subject = await deps.subjects.get(id);
  if (!subject) throw subjectNotFound();
  const what = { action: 'subject.read', object: `subject:${subject.id}` };
  if (!subject.schoolId) {
    deps.authorize(ctx.actor, canReadCatalogue(ctx.actor), what);
  } else {
    authorizeInSchool(
      deps,
      ctx,
      subject.schoolId,
      canReadSchoolSubjects(ctx.actor, subject.schoolId),
      what,
      subjectNotFound,
      true,
    );
  }
  return subject;
}
