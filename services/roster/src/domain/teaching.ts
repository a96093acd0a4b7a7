// Who teaches which class: roster's copy of schedule's teaching assignments (нагрузка), kept from
// schedule's events, so that a teacher reads the class lists of the classes they teach (R1.3)
// without roster calling schedule.

/** One assignment as roster keeps it: ids and dates only. */
export interface TeachingCopy {
  assignmentId: string;
  schoolId: string;
  academicYearId: string;
  teacherId: string;
  /** The class taught (for a subgroup, the subgroup's class). */
  classId: string;
  /** '' when the whole class is taught. */
  subgroupId: string;
  subjectKey: string;
  startsOn: string;
  endsOn: string;
  status: 'active' | 'ended';
  /** The event's aggregate version: an older copy never replaces a newer one. */
  version: number;
}

/**
 * Does the assignment let its teacher read the class list on `today`: not ended before today.
 * A list is read ahead of the first lesson too (a teacher prepares before the assignment starts);
 * one ended before it began (`endsOn` before `startsOn`) never took effect.
 */
export function teachesOn(copy: Pick<TeachingCopy, 'startsOn' | 'endsOn'>, today: string): boolean {
  return copy.endsOn >= today && copy.endsOn >= copy.startsOn;
}
