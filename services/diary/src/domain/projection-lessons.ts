import type { ClassDoc, LessonDoc, LessonLocationDoc, RecordDoc, WeekDoc } from './model';
import { weekId } from './model';
import type { ModelTx } from './ports';
import type { RecordedLesson, ScheduledLesson } from './projection';
import { mondayOf, sortedIds, write } from './projection-docs';

// Lessons in their class's weeks: schedule's part of a lesson by `lessonVersion`, gradebook's
// record by `record.version`, whichever comes first. The location document says which week holds
// a lesson. A lesson moved to another week is written to the new week, then its location, then
// it is taken out of the old week; the old week stays in `formerWeekIds`, so that whatever event
// comes next makes sure the lesson is gone from there (finishing a move a crash interrupted).

function byDayNumberSubgroup(a: LessonDoc, b: LessonDoc): number {
  return (
    a.date.localeCompare(b.date) ||
    a.lessonNumber - b.lessonNumber ||
    a.subgroupId.localeCompare(b.subgroupId) ||
    a.lessonId.localeCompare(b.lessonId)
  );
}

/** The week with `lesson` in place of its earlier copy, in order. */
function withLesson(week: WeekDoc, lesson: LessonDoc): WeekDoc {
  const lessons = week.lessons.filter((l) => l.lessonId !== lesson.lessonId);
  return { ...week, lessons: [...lessons, lesson].sort(byDayNumberSubgroup) };
}

function emptyWeek(
  id: string,
  where: { classId: string; schoolId: string; academicYearId: string },
  monday: string,
): WeekDoc {
  return {
    _id: id,
    classId: where.classId,
    schoolId: where.schoolId,
    academicYearId: where.academicYearId,
    weekStart: monday,
    lessons: [],
  };
}

/** The newer of two records (either may be missing). */
function newerRecord(a: RecordDoc | null | undefined, b: RecordDoc | null | undefined): RecordDoc | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return b.version > a.version ? b : a;
}

/** Makes sure the lesson is in none of the weeks it was moved out of; true when one changed. */
async function finishMove(tx: ModelTx, location: LessonLocationDoc): Promise<boolean> {
  let changed = false;
  for (const id of location.formerWeekIds) {
    if (id === location.weekId) continue;
    const week = await tx.get('weeks', id);
    if (!week?.lessons.some((l) => l.lessonId === location._id)) continue;
    const lessons = week.lessons.filter((l) => l.lessonId !== location._id);
    changed = write(tx, 'weeks', week, { ...week, lessons }) || changed;
  }
  return changed;
}

/**
 * The lesson's teacher and substitute among the class's teachers (the class is created, version
 * 0, when roster has not told it yet). A union: stale and repeated lessons add nothing new.
 */
async function addTeachers(tx: ModelTx, lesson: ScheduledLesson): Promise<boolean> {
  const stored = await tx.get('classes', lesson.classId);
  const schoolClass: ClassDoc = stored ?? {
    _id: lesson.classId,
    schoolId: lesson.schoolId,
    academicYearId: lesson.academicYearId,
    grade: 0,
    name: lesson.className,
    classTeacherId: '',
    version: 0,
    teacherIds: [],
  };
  const teacherIds = sortedIds([...schoolClass.teacherIds, lesson.teacherId, lesson.substituteTeacherId]);
  return write(tx, 'classes', stored, { ...schoolClass, teacherIds });
}

function scheduledDoc(lesson: ScheduledLesson, record: RecordDoc | null): LessonDoc {
  return {
    lessonId: lesson.lessonId,
    date: lesson.date,
    lessonNumber: lesson.lessonNumber,
    startsAt: lesson.startsAt,
    endsAt: lesson.endsAt,
    period: lesson.period,
    subgroupId: lesson.subgroupId,
    subgroupName: lesson.subgroupName,
    subjectId: lesson.subjectId,
    subjectKey: lesson.subjectKey,
    subjectName: lesson.subjectName,
    teacherId: lesson.teacherId,
    substituteTeacherId: lesson.substituteTeacherId,
    room: lesson.room,
    status: lesson.status,
    cancellationReason: lesson.cancellationReason,
    movedFromDate: lesson.movedFromDate,
    lessonVersion: lesson.version,
    record,
  };
}

/**
 * A lesson as schedule tells it, into the week of its class and date by its version; the record
 * it has (from gradebook) is kept. A lesson that moved to another week leaves the old one.
 */
export async function applyLesson(tx: ModelTx, lesson: ScheduledLesson): Promise<boolean> {
  let changed = await addTeachers(tx, lesson);
  const location = await tx.get('lessons', lesson.lessonId);
  const monday = mondayOf(lesson.date);
  const targetId = weekId(lesson.classId, monday);
  const homeId = location?.weekId ?? targetId;
  const home = await tx.get('weeks', homeId);
  const atHome = home?.lessons.find((l) => l.lessonId === lesson.lessonId);
  if (
    location &&
    atHome &&
    atHome.lessonVersion >= lesson.version &&
    location.lessonVersion >= lesson.version
  ) {
    // Stale or a repeat; an interrupted move is still finished.
    return (await finishMove(tx, location)) || changed;
  }

  // The copy in the target week (left by an interrupted move) may hold the newer record.
  const target = homeId === targetId ? home : await tx.get('weeks', targetId);
  const atTarget = target?.lessons.find((l) => l.lessonId === lesson.lessonId);
  const doc = scheduledDoc(lesson, newerRecord(atHome?.record, atTarget?.record));
  changed =
    write(tx, 'weeks', target, withLesson(target ?? emptyWeek(targetId, lesson, monday), doc)) || changed;

  const formerWeekIds = [...new Set([...(location?.formerWeekIds ?? []), homeId])].filter(
    (id) => id !== targetId,
  );
  const moved: LessonLocationDoc = {
    _id: lesson.lessonId,
    weekId: targetId,
    formerWeekIds,
    lessonVersion: lesson.version,
  };
  changed = write(tx, 'lessons', location, moved) || changed;
  return (await finishMove(tx, moved)) || changed;
}

/** A lesson known only from its record: schedule's part from what the record carries (version 0). */
function recordedDoc(lesson: RecordedLesson, record: RecordDoc): LessonDoc {
  return {
    lessonId: lesson.lessonId,
    date: lesson.date,
    lessonNumber: lesson.lessonNumber,
    startsAt: lesson.startsAt,
    endsAt: lesson.endsAt,
    period: lesson.period,
    subgroupId: lesson.subgroupId,
    subgroupName: '',
    subjectId: lesson.subjectId,
    subjectKey: lesson.subjectKey,
    subjectName: '',
    teacherId: lesson.teacherId,
    substituteTeacherId: lesson.substituteTeacherId,
    room: '',
    status: lesson.status,
    cancellationReason: '',
    movedFromDate: '',
    lessonVersion: 0,
    record,
  };
}

/**
 * The lesson's record from gradebook, by the record's version (the events of one save share it:
 * the first applies). The lesson is found by its location; one schedule has not told yet is
 * placed by the record's own class and date, so that a mark is never dropped.
 */
export async function applyRecord(tx: ModelTx, lesson: RecordedLesson, record: RecordDoc): Promise<boolean> {
  const location = await tx.get('lessons', lesson.lessonId);
  const monday = mondayOf(lesson.date);
  const weekIdNow = location?.weekId ?? weekId(lesson.classId, monday);
  const week = await tx.get('weeks', weekIdNow);
  const known = week?.lessons.find((l) => l.lessonId === lesson.lessonId);

  let changed = false;
  if (!known || !known.record || known.record.version < record.version) {
    let doc: LessonDoc;
    if (known && known.lessonVersion > 0) doc = { ...known, record };
    else {
      // Known from records only: the newest record tells the lesson (in the week it is in).
      doc = recordedDoc(lesson, record);
      if (known && mondayOf(known.date) !== mondayOf(lesson.date)) doc.date = known.date;
    }
    const empty = location
      ? emptyWeek(weekIdNow, lesson, weekIdNow.slice(-10))
      : emptyWeek(weekIdNow, lesson, monday);
    changed = write(tx, 'weeks', week, withLesson(week ?? empty, doc));
  }

  if (location) return (await finishMove(tx, location)) || changed;
  const placed: LessonLocationDoc = {
    _id: lesson.lessonId,
    weekId: weekIdNow,
    formerWeekIds: [],
    lessonVersion: known?.lessonVersion ?? 0,
  };
  return write(tx, 'lessons', null, placed) || changed;
}
