import type { CopiedPerson, CopyReader, Course, Days, Stint } from './copies';

// Who a course's students are on a day or over a period: the class's roll for a whole-class
// course, the subgroup's members for a subgroup's course. A student who joined on 10 October has
// no cells before it; one who left keeps the cells of their stretch and gets no new ones.

/** The stints of a course's students (the subgroup's for a subgroup course); [] when unknown. */
export async function courseStints(
  copies: Pick<CopyReader, 'classRoll' | 'subgroup'>,
  course: Pick<Course, 'classId' | 'subgroupId'>,
): Promise<Stint[]> {
  if (course.subgroupId) return (await copies.subgroup(course.subgroupId))?.stints ?? [];
  return (await copies.classRoll(course.classId))?.stints ?? [];
}

/** Whether a stint covers a day. */
export function coversDay(stint: Stint, date: string): boolean {
  return stint.from <= date && (stint.until === '' || date < stint.until);
}

/** Whether a stint covers any day of a range. */
export function overlaps(stint: Stint, days: Days): boolean {
  return stint.from <= days.endsOn && (stint.until === '' || stint.until > days.startsOn);
}

/** Student ids in the course on a day. */
export function studentsOn(stints: Stint[], date: string): string[] {
  return [...new Set(stints.filter((s) => coversDay(s, date)).map((s) => s.studentId))];
}

/** A student with their name, in roster order (alphabetical, Russian collation). */
export interface NamedStudent {
  studentId: string;
  displayName: string;
}

/** Names for student ids, sorted as a journal lists them; a student roster has not named yet shows the id. */
export function inRosterOrder(ids: string[], people: CopiedPerson[]): NamedStudent[] {
  const names = new Map(people.map((p) => [p.id, p.displayName]));
  return ids
    .map((id) => ({ studentId: id, displayName: names.get(id) ?? id }))
    .sort(
      (a, b) => a.displayName.localeCompare(b.displayName, 'ru') || a.studentId.localeCompare(b.studentId),
    );
}
