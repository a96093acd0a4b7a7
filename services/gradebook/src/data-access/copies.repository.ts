import type { Model } from 'mongoose';
import { localDate } from '@edu/kit';
import { createDocumentLock, putIfNewer, type DocumentLock } from '@edu/store';
import {
  applyMovementToRoll,
  applySubgroupChange,
  emptyCourse,
  removeLesson,
  upsertLesson,
  withCurriculum,
} from '../domain/copies.apply';
import {
  courseId,
  type ClassRoll,
  type CopiedPerson,
  type CopiedSubgroup,
  type CopyReader,
  type CopyWriter,
  type Course,
  type CourseHeading,
  type CourseLesson,
  type CurriculumFact,
  type LessonFact,
  type Movement,
} from '../domain/copies';
import type {
  ClassRollDocument,
  CopyDocument,
  CopyModels,
  CourseIndexDocument,
  LessonLocationDocument,
} from './copies.model';

// Every read and write goes by `_id` (FerretDB 1.24 uses no other index), one document at a
// time: never a bulkWrite of updates nor an updateMany over many ids, which once deadlocked the
// server's connection pool. FerretDB 1.x updates are not isolated either, so each
// read-modify-write holds the document's in-process lock and is guarded by the stored version
// (retried when another process wrote in between).

const DUPLICATE_KEY = 11000;
/** Attempts of a guarded write before the event is failed (then retried by the consumer). */
const WRITE_ATTEMPTS = 5;
/** Parallel single-document reads of a list (the pool has 20 connections). */
const READ_PARALLELISM = 8;
/** Index entries known to be stored, kept in memory up to this many (then forgotten, re-read). */
const KNOWN_INDEX_ENTRIES = 50_000;

export interface CopyRepositoryOptions {
  /** The service's process-wide lock; a lock of its own when not given. */
  lock?: DocumentLock;
}

/** A stored record with its id back in `id`. */
function fromDocument<T extends { id: string }>(doc: CopyDocument<T>): T {
  const { _id, updatedAt: _updatedAt, ...fields } = doc;
  return { id: _id, ...fields } as unknown as T;
}

function toDocument<T extends { id: string }>(record: T): CopyDocument<T> {
  const { id, ...fields } = record;
  return { _id: id, ...fields, updatedAt: new Date() } as unknown as CopyDocument<T>;
}

function fromRollDocument(doc: ClassRollDocument): ClassRoll {
  return {
    classId: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    stints: doc.stints.map(({ studentId, from, until }) => ({ studentId, from, until })),
    applied: Object.fromEntries(doc.applied.map((a) => [a.enrolmentId, a.version])),
  };
}

/** Stores `record` unless the stored one is as new or newer; true when it was applied. */
function putRecord<T extends { id: string; version: number }>(
  model: Model<CopyDocument<T>>,
  record: T,
): Promise<boolean> {
  const { _id, ...fields } = toDocument(record);
  return putIfNewer(model, _id, fields as unknown as Omit<CopyDocument<T>, '_id'>);
}

async function one<T extends { id: string }>(model: Model<CopyDocument<T>>, id: string): Promise<T | null> {
  if (!id) return null;
  const doc = await model.findById(id).lean<CopyDocument<T>>();
  return doc ? fromDocument<T>(doc) : null;
}

/** Records by id, one `_id` read each (a `$in` is a scan on FerretDB); unknown ids left out. */
async function byIds<T extends { id: string }>(model: Model<CopyDocument<T>>, ids: string[]): Promise<T[]> {
  const unique = [...new Set(ids.filter(Boolean))];
  const found: (T | null)[] = [];
  for (let i = 0; i < unique.length; i += READ_PARALLELISM) {
    found.push(...(await Promise.all(unique.slice(i, i + READ_PARALLELISM).map((id) => one(model, id)))));
  }
  return found.filter((record): record is T => record !== null);
}

/**
 * Writes a whole document read at `expected` (of its `field`; 0: it was absent): an insert, or an
 * update matching the version read. False when another writer came first.
 */
async function writeGuarded<D extends { _id: string }>(
  model: Model<D>,
  doc: D,
  field: 'version' | 'revision',
  expected: number,
): Promise<boolean> {
  if (expected === 0) {
    try {
      await model.create(doc);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }
  const { _id, ...fields } = doc;
  const { matchedCount } = await model.updateOne(
    { _id, [field]: expected } as never,
    { $set: fields } as never,
  );
  return matchedCount === 1;
}

/** Runs a guarded read-modify-write until it is not overtaken, a few times at most. */
async function guarded<T>(what: string, attempt: () => Promise<T | 'conflict'>): Promise<T> {
  for (let i = 0; i < WRITE_ATTEMPTS; i++) {
    const result = await attempt();
    if (result !== 'conflict') return result;
  }
  throw new Error(`${what}: overtaken by other writers ${WRITE_ATTEMPTS} times`);
}

/** An edit of a course: the course after it, null when nothing changes, 'stale' to stop. */
type CourseEdit = (course: Course) => Course | null | 'stale';

/** The copies in gradebook's own database: written by the consumers, read by the use cases. */
export function createCopyRepository(
  models: CopyModels,
  options: CopyRepositoryOptions = {},
): CopyReader & CopyWriter {
  const lock = options.lock ?? createDocumentLock();
  const knownIndexEntries = new Set<string>();

  /**
   * Applies `edit` to the course (created from `heading` when absent; without a heading an
   * absent course is left so): 'absent', 'stale', null (unchanged) or the course stored.
   */
  function editCourse(
    id: string,
    heading: CourseHeading | null,
    edit: CourseEdit,
  ): Promise<Course | null | 'stale' | 'absent'> {
    return lock.run(models.courses, [id], () =>
      guarded(`course ${id}`, async () => {
        const stored = await one(models.courses, id);
        if (!stored && !heading) return 'absent';
        const course = stored ?? (await newCourse(heading as CourseHeading));
        const next = edit(course);
        if (next === null || next === 'stale') return next;
        const saved = { ...next, version: course.version + 1 };
        return (await writeGuarded(models.courses, toDocument(saved), 'version', course.version))
          ? saved
          : 'conflict';
      }),
    );
  }

  /** A course not stored yet; a subgroup's course takes the hours of the class's course of the subject. */
  async function newCourse(heading: CourseHeading): Promise<Course> {
    const course = emptyCourse(heading);
    if (!heading.subgroupId) return course;
    const classCourse = await one(models.courses, courseId({ ...heading, subgroupId: '' }));
    return classCourse?.curriculum ? { ...course, curriculum: classCourse.curriculum } : course;
  }

  /** Adds a course to an owner's index unless it is there: one small `$addToSet` by `_id`. */
  async function addToIndex(model: Model<CourseIndexDocument>, ownerId: string, id: string): Promise<void> {
    if (!ownerId) return;
    const key = `${model.collection.collectionName}/${ownerId}/${id}`;
    if (knownIndexEntries.has(key)) return;
    await lock.run(model, [ownerId], async () => {
      const doc = await model.findById(ownerId).lean<CourseIndexDocument>();
      if (doc?.courseIds.includes(id)) return;
      await model.updateOne({ _id: ownerId }, { $addToSet: { courseIds: id } }, { upsert: true });
    });
    if (knownIndexEntries.size >= KNOWN_INDEX_ENTRIES) knownIndexEntries.clear();
    knownIndexEntries.add(key);
  }

  async function indexIds(model: Model<CourseIndexDocument>, ownerId: string): Promise<string[]> {
    if (!ownerId) return [];
    const doc = await model.findById(ownerId).lean<CourseIndexDocument>();
    return doc?.courseIds ?? [];
  }

  /** Applies moves, in order, to one of their classes' rolls: one write; true when the roll changed. */
  function moveInRoll(classId: string, movements: Movement[]): Promise<boolean> {
    return lock.run(models.classRolls, [classId], () =>
      guarded(`class roll ${classId}`, async () => {
        const doc = await models.classRolls.findById(classId).lean<ClassRollDocument>();
        const roll = doc ? fromRollDocument(doc) : await newRoll(classId, movements[0]!);
        const next = movements.reduce(
          (current, movement) => applyMovementToRoll(current, movement) ?? current,
          roll,
        );
        if (next === roll) return false;
        const revision = doc?.revision ?? 0;
        const written = await writeGuarded(
          models.classRolls,
          {
            _id: classId,
            schoolId: next.schoolId,
            academicYearId: next.academicYearId,
            stints: next.stints,
            applied: Object.entries(next.applied).map(([enrolmentId, version]) => ({ enrolmentId, version })),
            revision: revision + 1,
            updatedAt: new Date(),
          },
          'revision',
          revision,
        );
        return written ? true : 'conflict';
      }),
    );
  }

  /** Moves of many students (a run of enrolment events): one roll write per class. */
  async function applyMovements(movements: Movement[]): Promise<number> {
    const byClass = new Map<string, Movement[]>();
    for (const movement of movements)
      for (const classId of new Set([movement.fromClassId, movement.toClassId]))
        if (classId) byClass.set(classId, [...(byClass.get(classId) ?? []), movement]);
    let changed = 0;
    for (const [classId, list] of byClass) if (await moveInRoll(classId, list)) changed += 1;
    return changed;
  }

  /**
   * People of a run (an import registers hundreds): the new ones in one insert, the known ones by
   * version one at a time (a card changed). How many were stored.
   */
  async function putPeople(people: CopiedPerson[]): Promise<number> {
    const newest = new Map<string, CopiedPerson>();
    for (const person of people)
      if ((newest.get(person.id)?.version ?? 0) < person.version) newest.set(person.id, person);
    const stored = new Map(
      (await models.people.find({ _id: { $in: [...newest.keys()] } }, { _id: 1, version: 1 }).lean()).map(
        (doc) => [doc._id, doc.version],
      ),
    );
    const fresh = [...newest.values()].filter((person) => !stored.has(person.id));
    let applied = 0;
    if (fresh.length > 0) {
      try {
        await models.people.insertMany(fresh.map(toDocument), { ordered: false });
        applied += fresh.length;
      } catch (error) {
        // Another writer came first for some: each of them by version.
        if (!isDuplicateOnly(error)) throw error;
        for (const person of fresh) if (await putRecord(models.people, person)) applied += 1;
      }
    }
    for (const person of newest.values()) {
      const version = stored.get(person.id);
      if (version !== undefined && version < person.version && (await putRecord(models.people, person)))
        applied += 1;
    }
    return applied;
  }

  /** An empty roll; a promotion's class left is of the old year, which the class's copy knows. */
  async function newRoll(classId: string, movement: Movement): Promise<ClassRoll> {
    const otherYear = movement.kind === 'promoted' && classId === movement.fromClassId;
    const academicYearId = otherYear
      ? ((await one(models.classes, classId))?.academicYearId ?? '')
      : movement.academicYearId;
    return { classId, schoolId: movement.schoolId, academicYearId, stints: [], applied: {} };
  }

  /**
   * Puts lessons (in order, each by its version) into their course with one course write, and the
   * course into its class's, school's and teachers' indexes. How many lessons changed the course.
   */
  async function intoCourse(
    target: string,
    heading: CourseHeading,
    lessons: CourseLesson[],
  ): Promise<number> {
    let changed = 0;
    await editCourse(target, heading, (course) => {
      // Called again when another writer came first: count this attempt only.
      changed = 0;
      let next = course.lessons;
      for (const lesson of lessons) {
        const upserted = upsertLesson(next, lesson);
        if (upserted) {
          next = upserted;
          changed += 1;
        }
      }
      // Names as the newest lesson carries them (a renamed class, subject or subgroup).
      return changed > 0 ? { ...course, ...heading, lessons: next } : null;
    });
    await addToIndex(models.classCourses, heading.classId, target);
    await addToIndex(models.schoolCourses, heading.schoolId, target);
    for (const teacherId of new Set(lessons.flatMap((l) => [l.teacherId, l.substituteTeacherId])))
      await addToIndex(models.teacherCourses, teacherId, target);
    return changed;
  }

  async function putLesson({ course: heading, lesson }: LessonFact): Promise<boolean> {
    const target = courseId(heading);
    return lock.run(models.lessonLocations, [lesson.lessonId], async () => {
      const location = await models.lessonLocations.findById(lesson.lessonId).lean();
      if (location && location.version >= lesson.version) return false;
      if (location && location.courseId !== target) {
        // Another subject in the slot (a regeneration): the lesson leaves its old course first.
        const left = await editCourse(location.courseId, null, (course) => {
          const lessons = removeLesson(course.lessons, lesson.lessonId, lesson.version);
          return lessons === null || lessons === 'stale' ? lessons : { ...course, lessons };
        });
        if (left === 'stale') return false;
      }
      await intoCourse(target, heading, [lesson]);
      // Last: a crash before it leaves the location older, and the redelivery redoes the rest.
      await models.lessonLocations.updateOne(
        { _id: lesson.lessonId },
        { $set: { courseId: target, version: lesson.version } },
        { upsert: true },
      );
      return true;
    });
  }

  /**
   * Many lessons at once (a run of schedule's events): one read of their locations, then one
   * write per course rather than per lesson, the indexes once per course and the new locations
   * in one insert. A lesson changing course (another subject in its slot) makes the whole run go
   * lesson by lesson through `putLesson`, in order. A known lesson's location keeps the version it
   * was inserted with: the course's entry is what decides, by version, what is newer.
   */
  async function putLessons(facts: LessonFact[]): Promise<number> {
    const ids = [...new Set(facts.map((f) => f.lesson.lessonId))];
    const locations = new Map(
      (await models.lessonLocations.find({ _id: { $in: ids } }).lean<LessonLocationDocument[]>()).map((l) => [
        l._id,
        l,
      ]),
    );
    // Where each lesson goes: a lesson leaving its stored course, or going to two courses within
    // the run, takes the careful path.
    const targets = new Map<string, string>();
    const moves = facts.some((f) => {
      const target = courseId(f.course);
      const known = targets.get(f.lesson.lessonId) ?? locations.get(f.lesson.lessonId)?.courseId;
      targets.set(f.lesson.lessonId, target);
      return known !== undefined && known !== target;
    });
    if (moves) {
      let applied = 0;
      for (const fact of facts) if (await putLesson(fact)) applied += 1;
      return applied;
    }
    const byCourse = new Map<string, LessonFact[]>();
    for (const fact of facts) {
      const location = locations.get(fact.lesson.lessonId);
      if (location && location.version >= fact.lesson.version) continue;
      const target = courseId(fact.course);
      byCourse.set(target, [...(byCourse.get(target) ?? []), fact]);
    }
    let applied = 0;
    for (const [target, group] of byCourse)
      applied += await intoCourse(
        target,
        group[group.length - 1]!.course,
        group.map((fact) => fact.lesson),
      );
    // Last, as in putLesson: a crash before it leaves the run to be redone, harmlessly.
    const fresh = new Map<string, LessonLocationDocument>();
    for (const [target, group] of byCourse)
      for (const { lesson } of group)
        if (!locations.has(lesson.lessonId))
          fresh.set(lesson.lessonId, { _id: lesson.lessonId, courseId: target, version: lesson.version });
    if (fresh.size > 0) {
      try {
        await models.lessonLocations.insertMany([...fresh.values()], { ordered: false });
      } catch (error) {
        // Inserted by a delivery before a crash: the rest went in (unordered).
        if (!isDuplicateOnly(error)) throw error;
      }
    }
    return applied;
  }

  async function setCurriculum(curriculum: CurriculumFact): Promise<boolean> {
    const { schoolId, academicYearId, classId, version } = curriculum;
    const className = (await one(models.classes, classId))?.name ?? '';
    const lines = new Map(curriculum.lines.map((line) => [line.subjectId, line]));
    let changed = false;
    const done = new Set<string>();
    for (const line of lines.values()) {
      const heading: CourseHeading = {
        schoolId,
        academicYearId,
        classId,
        className,
        subgroupId: '',
        subgroupName: '',
        subjectId: line.subjectId,
        subjectKey: line.subjectKey,
        subjectName: line.subjectName,
        subjectShortName: '',
      };
      const id = courseId(heading);
      const result = await editCourse(id, heading, (course) => withCurriculum(course, line, version));
      changed ||= result !== null && typeof result === 'object';
      await addToIndex(models.classCourses, classId, id);
      await addToIndex(models.schoolCourses, schoolId, id);
      done.add(id);
    }
    // The class's other courses of the year: a subgroup's course gets its subject's hours, a
    // course whose subject left the plan gets 0 hours (one that never had hours stays without).
    for (const id of await indexIds(models.classCourses, classId)) {
      if (done.has(id)) continue;
      const result = await editCourse(id, null, (course) => {
        if (course.academicYearId !== academicYearId) return null;
        const line = lines.get(course.subjectId) ?? null;
        return line || course.curriculum ? withCurriculum(course, line, version) : null;
      });
      changed ||= result !== null && typeof result === 'object';
    }
    return changed;
  }

  return {
    putSchool: (school) => putRecord(models.schools, school),
    putYear: (year) => putRecord(models.years, year),
    putClass: (schoolClass) => putRecord(models.classes, schoolClass),
    putPerson: (person) => putRecord(models.people, person),

    applySubgroup: (change) =>
      lock.run(models.subgroups, [change.subgroup.id], () =>
        guarded(`subgroup ${change.subgroup.id}`, async () => {
          const stored = await one(models.subgroups, change.subgroup.id);
          const school = await one(models.schools, change.subgroup.schoolId);
          const next = applySubgroupChange(
            stored,
            change,
            localDate(change.occurredAt, school?.timeZone ?? ''),
          );
          if (!next) return false;
          const written = await writeGuarded(
            models.subgroups,
            toDocument<CopiedSubgroup>(next),
            'version',
            stored?.version ?? 0,
          );
          return written ? true : 'conflict';
        }),
      ),

    async applyMovement(movement) {
      let changed = false;
      for (const classId of new Set([movement.fromClassId, movement.toClassId])) {
        if (classId) changed = (await moveInRoll(classId, [movement])) || changed;
      }
      return changed;
    },

    applyMovements,
    putPeople,
    putLesson,
    setCurriculum,

    school: (id) => one(models.schools, id),
    year: (id) => one(models.years, id),
    schoolClass: (id) => one(models.classes, id),
    async classRoll(classId) {
      if (!classId) return null;
      const doc = await models.classRolls.findById(classId).lean<ClassRollDocument>();
      return doc ? fromRollDocument(doc) : null;
    },
    subgroup: (id) => one(models.subgroups, id),
    people: (ids) => byIds(models.people, ids),
    course: (id) => one(models.courses, id),
    courses: (ids) => byIds(models.courses, ids),
    classCourseIds: (classId) => indexIds(models.classCourses, classId),
    putLessons,
    teacherCourseIds: (teacherId) => indexIds(models.teacherCourses, teacherId),
    schoolCourseIds: (schoolId) => indexIds(models.schoolCourses, schoolId),
    async lessonCourseId(lessonId) {
      if (!lessonId) return null;
      const doc = await models.lessonLocations.findById(lessonId).lean();
      return doc?.courseId ?? null;
    },
  };
}

/** Whether an insertMany failed only on documents already there (duplicate `_id`s). */
function isDuplicateOnly(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: { code?: number }[] };
  if (e.writeErrors?.length) return e.writeErrors.every((w) => w.code === DUPLICATE_KEY);
  return e.code === DUPLICATE_KEY;
}
