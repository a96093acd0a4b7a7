import type { GradingPolicy } from './grading-policy';
import type { LessonRecord, MarkRevision } from './lesson-record';

/** Who acts: the verified actor from the gateway (structurally the @edu/grpc Actor). */
export interface Actor {
  accountId: string;
  personId?: string;
  schoolRoles: { schoolId: string; role: string }[];
  grants: string[];
}

/** Request context a use case needs besides its input. */
export interface RequestContext {
  actor: Actor;
  traceId: string;
}

/** Refuses (PERMISSION_DENIED) and records a security event when `allowed` is false. */
export type Authorize = (actor: Actor, allowed: boolean, what: { action: string; object: string }) => void;

/** A fact of the journal in gradebook's own terms; the data-access layer encodes it as an event. */
export interface GradebookFact {
  /** The event type, e.g. `edu.gradebook.mark.posted`. */
  type: string;
  schoolId: string;
  aggregateId: string;
  aggregateVersion: number;
  /** The payload message as plain fields (snake_case, as the codec expects). */
  payload: Record<string, unknown>;
}

export interface LessonRecordRepository {
  /** The stored record of a lesson, null before any content. */
  get(lessonId: string): Promise<LessonRecord | null>;
  /** Stored records by lesson id; lessons without a record are left out. */
  getMany(lessonIds: string[]): Promise<LessonRecord[]>;
  /**
   * Stores the record at `record.version` with its events in one write when the stored one is
   * still at `expectedVersion` (0: none stored yet); throws conflict `record.version_conflict`
   * when someone saved the lesson meanwhile.
   */
  save(
    record: LessonRecord,
    expectedVersion: number,
    facts: GradebookFact[],
    ctx: RequestContext,
  ): Promise<void>;
}

export interface PolicyRepository {
  /** The school's stored policy, null while it has the defaults. */
  get(schoolId: string): Promise<GradingPolicy | null>;
  /** Stores it at `policy.version` when the stored one is at `expectedVersion` (conflict otherwise). */
  save(
    policy: GradingPolicy,
    expectedVersion: number,
    facts: GradebookFact[],
    ctx: RequestContext,
  ): Promise<void>;
}

/** A period, year, exam or final mark of a student in a subject (R5.5). */
export interface PeriodMark {
  /** `periodMarkId(...)`. */
  id: string;
  schoolId: string;
  academicYearId: string;
  studentId: string;
  classId: string;
  subjectId: string;
  subjectKey: string;
  kind: 'period' | 'year' | 'exam' | 'final';
  /** The period number when kind is "period"; 0 otherwise. */
  period: number;
  value: string;
  setBy: string;
  setAt: string;
  arithmeticAverage: number;
  weightedAverage: number;
  marksCount: number;
  /** Every step, oldest first (MarkRevision of lesson-record.ts). */
  history: MarkRevision[];
  version: number;
}

/** `<year>:<student>:<subject>:<kind>:<period>`: computed, so a page reads its period marks by `_id`. */
export function periodMarkId(
  m: Pick<PeriodMark, 'academicYearId' | 'studentId' | 'subjectId' | 'kind' | 'period'>,
): string {
  return `${m.academicYearId}:${m.studentId}:${m.subjectId}:${m.kind}:${m.period}`;
}

export interface PeriodMarkRepository {
  /** Period marks by id; unknown ids left out. */
  getMany(ids: string[]): Promise<PeriodMark[]>;
  get(id: string): Promise<PeriodMark | null>;
  /** Stores it at `mark.version` when the stored one is at `expectedVersion` (0: none); conflict otherwise. */
  save(mark: PeriodMark, expectedVersion: number, facts: GradebookFact[], ctx: RequestContext): Promise<void>;
}

/** One topic of a thematic plan (КТП). */
export interface PlanItem {
  id: string;
  number: number;
  section: string;
  title: string;
  hours: number;
  controlWork: boolean;
}

/** A course's thematic plan (R2.4); `_id` is the course id. */
export interface ThematicPlan {
  courseId: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  subgroupId: string;
  subjectId: string;
  items: PlanItem[];
  updatedBy: string;
  updatedAt: string;
  version: number;
}

export interface ThematicPlanRepository {
  get(courseId: string): Promise<ThematicPlan | null>;
  save(
    plan: ThematicPlan,
    expectedVersion: number,
    facts: GradebookFact[],
    ctx: RequestContext,
  ): Promise<void>;
}
