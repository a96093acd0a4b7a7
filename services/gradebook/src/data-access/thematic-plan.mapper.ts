import type { PlanItemState } from '@edu/proto/dist/generated/edu/events/v1/PlanItemState';
import type { ThematicPlanState } from '@edu/proto/dist/generated/edu/events/v1/ThematicPlanState';
import type { Course } from '../domain/copies';
import type { PlanItem, ThematicPlan } from '../domain/ports';
import { planItemFields, planStateFields } from '../domain/thematic-plan';
import type { ThematicPlanDocument } from './thematic-plan.model';

// Thematic plans in their outer shapes: documents and the `ThematicPlanState` message, which is
// both the event's payload and the answers' plan.

export function fromDocument(doc: ThematicPlanDocument): ThematicPlan {
  return {
    courseId: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    classId: doc.classId,
    subgroupId: doc.subgroupId ?? '',
    subjectId: doc.subjectId,
    items: (doc.items ?? []).map((item) => ({
      id: item.itemId,
      number: item.number,
      section: item.section ?? '',
      title: item.title,
      hours: item.hours,
      controlWork: !!item.controlWork,
    })),
    updatedBy: doc.updatedBy ?? '',
    updatedAt: doc.updatedAt,
    version: doc.version,
  };
}

/** The document of a plan; `createdAt` counts only when the plan is first stored. */
export function toDocument(plan: ThematicPlan): ThematicPlanDocument {
  const { courseId, items, ...fields } = plan;
  return {
    _id: courseId,
    ...fields,
    items: items.map(({ id, ...item }) => ({ itemId: id, ...item })),
    createdAt: new Date(plan.updatedAt),
  };
}

/**
 * `edu.events.v1.ThematicPlanState`, with the hours checked against the course's curriculum as
 * the copies know it now (no course: curriculum unknown, a mismatch).
 */
export function toPlanState(plan: ThematicPlan, course?: Course | null): ThematicPlanState {
  return planStateFields(plan, course ?? null);
}

export function toPlanItemState(item: PlanItem): PlanItemState {
  return planItemFields(item);
}
