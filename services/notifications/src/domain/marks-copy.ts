import { addDays } from '@edu/kit';
import { sameValue, sortedIds, type MarkFact, type NotificationFact, type RecordLesson } from './copies';
import { MARK_MEMORY_DAYS, type MarksCopy } from './model';
import type { CopyTx } from './ports';

// The marks copy the biweekly progress report reads (R7.2): each student's recent marks, one entry
// per mark id, guarded by the version of the lesson record the event carried.
//
// What a fact tells: gradebook's `mark.posted` lists only the marks posted in that save ("The new
// marks" in edu/events/v1/gradebook.proto), and `factsOf` maps exactly those (not the record's full
// `marks`). So a newer marksPosted says nothing about the lesson's other marks: they are never
// deactivated by their absence from it. A mark stops counting only when a fact carries it with no
// value (`factsOf` maps a voided MarkState to value ''), i.e. a correction or a posting that shows
// it voided; `mark.voided` itself is not among the events the service reads yet.

type MarkEntry = MarksCopy['marks'][number];

function byDateLessonMark(a: MarkEntry, b: MarkEntry): number {
  return (
    a.date.localeCompare(b.date) || a.lessonId.localeCompare(b.lessonId) || a.markId.localeCompare(b.markId)
  );
}

/**
 * Keeps the marks copies from gradebook's mark facts; true when some copy was put. Other facts
 * change nothing here.
 */
export async function applyMarks(tx: CopyTx, fact: NotificationFact): Promise<boolean> {
  switch (fact.kind) {
    case 'marksPosted':
      return applyLessonMarks(tx, fact.lesson, fact.marks);
    case 'markCorrected':
      return applyLessonMarks(tx, fact.lesson, [fact.mark]);
    default:
      return false;
  }
}

/** The lesson's marks into each student's copy, a student's copy put once. */
async function applyLessonMarks(tx: CopyTx, lesson: RecordLesson, marks: MarkFact[]): Promise<boolean> {
  const byStudent = new Map<string, MarkFact[]>();
  for (const mark of marks) {
    if (!mark.studentId || !mark.markId) continue;
    byStudent.set(mark.studentId, [...(byStudent.get(mark.studentId) ?? []), mark]);
  }
  let changed = false;
  for (const studentId of sortedIds(byStudent.keys())) {
    changed = (await applyStudentMarks(tx, lesson, studentId, byStudent.get(studentId) ?? [])) || changed;
  }
  return changed;
}

async function applyStudentMarks(
  tx: CopyTx,
  lesson: RecordLesson,
  studentId: string,
  marks: MarkFact[],
): Promise<boolean> {
  const stored = await tx.get('marks', studentId);
  // A voided mark is remembered too (inactive), so that its older posting arriving late stays void.
  const copy: MarksCopy = stored ?? { _id: studentId, schoolId: lesson.schoolId, marks: [] };
  let entries = copy.marks;
  for (const mark of marks) entries = withMark(entries, entryOf(lesson, mark));
  const newest = entries[entries.length - 1]?.date ?? lesson.date;
  const keptFrom = addDays(newest, -MARK_MEMORY_DAYS);
  const after: MarksCopy = { ...copy, marks: entries.filter((m) => m.date >= keptFrom) };
  if (stored ? sameValue(stored, after) : after.marks.length === 0) return false;
  tx.put('marks', after);
  return true;
}

function entryOf(lesson: RecordLesson, mark: MarkFact): MarkEntry {
  return {
    markId: mark.markId,
    lessonId: lesson.lessonId,
    subjectId: lesson.subjectId,
    date: lesson.date,
    value: mark.value,
    workTypeName: mark.workTypeName,
    active: mark.value !== '',
    version: lesson.recordVersion,
  };
}

/** The entry in place of its older one; the entries as they were when the stored one is as new. */
function withMark(entries: MarkEntry[], entry: MarkEntry): MarkEntry[] {
  const known = entries.find((m) => m.markId === entry.markId);
  if (known && known.version >= entry.version) return entries;
  return [...entries.filter((m) => m !== known), entry].sort(byDateLessonMark);
}
