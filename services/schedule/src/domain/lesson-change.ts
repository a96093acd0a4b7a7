import type { FieldError } from '@edu/kit';
import { minutesOf } from './bell-schedule';
import type { Lesson } from './lesson';
import { formatDate } from './teaching-assignment';

// Changes of single dated lessons by the school's managers (R4.1 corrections, R4.3, R1.5): a
// lesson moved to another day or lesson number, cancelled with a reason, added beyond the
// timetable, or kept after a regeneration would have dropped it; and substitutions — for one
// dated lesson, another teacher approved by a deputy, who may then keep the journal of that lesson
// only. Pure rules here; the use cases read and write.

export const LESSON_CHANGE_RULES = {
  reasonMax: 300,
  roomMax: 20,
} as const;

/** Who teaches a dated lesson in fact: the substitute while there is one, else its teacher. */
export function teacherInCharge(lesson: Pick<Lesson, 'teacherId' | 'substituteTeacherId'>): string {
  return lesson.substituteTeacherId || lesson.teacherId;
}

/** A required reason: 1..300 characters, no control characters. */
export function changeReasonErrors(reason: string, field = 'reason'): FieldError[] {
  if (!reason) return [{ field, message: 'Укажите причину' }];
  if (reason.length > LESSON_CHANGE_RULES.reasonMax || /\p{Cc}/u.test(reason)) {
    return [
      {
        field,
        message: `Причина — не длиннее ${LESSON_CHANGE_RULES.reasonMax} символов, без служебных знаков`,
      },
    ];
  }
  return [];
}

/** Trims free text and joins runs of spaces. */
export function normaliseText(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/** A room: optional, at most 20 characters. */
export function roomErrors(room: string, field = 'room'): FieldError[] {
  return room.length > LESSON_CHANGE_RULES.roomMax || /\p{Cc}/u.test(room)
    ? [
        {
          field,
          message: `Кабинет — не длиннее ${LESSON_CHANGE_RULES.roomMax} символов, без служебных знаков`,
        },
      ]
    : [];
}

/** Where and when a lesson would be, and who would teach it: what the conflict rules compare. */
export interface LessonSlot {
  /** The lesson itself when it is moved or given a substitute (never conflicts with itself). */
  id: string;
  classId: string;
  /** '' for the whole class. */
  subgroupId: string;
  /** Who would teach it (the substitute for a substitution). */
  teacherId: string;
  room: string;
  date: string;
  startsAt: string;
  endsAt: string;
}

export type SlotConflictCode = 'lesson.teacher_busy' | 'lesson.room_busy' | 'lesson.class_busy';

export interface SlotConflict {
  code: SlotConflictCode;
  message: string;
  /** The lesson in the way. */
  lessonId: string;
}

function overlapInTime(a: Pick<LessonSlot, 'date' | 'startsAt' | 'endsAt'>, b: typeof a): boolean {
  return (
    a.date === b.date &&
    minutesOf(a.startsAt) < minutesOf(b.endsAt) &&
    minutesOf(b.startsAt) < minutesOf(a.endsAt)
  );
}

/** "5А (Группа 1), Математика, 2-й урок 12.10.2026" — names a lesson in a refusal. */
export function describeLesson(lesson: Lesson): string {
  const target = lesson.subgroupName ? `${lesson.className} (${lesson.subgroupName})` : lesson.className;
  return `${target}, ${lesson.subjectName || lesson.subjectKey}, ${lesson.lessonNumber}-й урок ${formatDate(lesson.date)}`;
}

/**
 * What stands in the way of a lesson at a slot among the scheduled lessons of that day (by time,
 * so that lessons of both shifts compare): its teacher teaching (or substituting) elsewhere, its
 * room taken, or its class busy — the whole class, the same subgroup, or another subgroup sharing
 * a student (`membersOf` gives a subgroup's students; unknown members share nobody).
 */
export function slotConflicts(
  slot: LessonSlot,
  sameDay: Lesson[],
  membersOf: (subgroupId: string) => readonly string[] | undefined,
): SlotConflict[] {
  const conflicts: SlotConflict[] = [];
  const roomKey = (room: string) => room.toLowerCase().replace(/\s+/g, '');
  for (const other of sameDay) {
    if (other.id === slot.id || other.status !== 'scheduled' || !overlapInTime(slot, other)) continue;
    const where = describeLesson(other);
    if (teacherInCharge(other) === slot.teacherId) {
      conflicts.push({
        code: 'lesson.teacher_busy',
        message: `Учитель в это время ведёт другой урок: ${where}`,
        lessonId: other.id,
      });
    }
    if (slot.room && other.room && roomKey(slot.room) === roomKey(other.room)) {
      conflicts.push({
        code: 'lesson.room_busy',
        message: `Кабинет ${slot.room} в это время занят: ${where}`,
        lessonId: other.id,
      });
    }
    if (other.classId === slot.classId && classesMeet(slot.subgroupId, other.subgroupId, membersOf)) {
      conflicts.push({
        code: 'lesson.class_busy',
        message: `У класса в это время другой урок: ${where}`,
        lessonId: other.id,
      });
    }
  }
  return conflicts;
}

function classesMeet(
  a: string,
  b: string,
  membersOf: (subgroupId: string) => readonly string[] | undefined,
): boolean {
  if (!a || !b || a === b) return true;
  const others = new Set(membersOf(b) ?? []);
  return (membersOf(a) ?? []).some((id) => others.has(id));
}
