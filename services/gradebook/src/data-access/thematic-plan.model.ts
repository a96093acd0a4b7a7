import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';

/** A plan's item as stored (`itemId`: mongoose keeps `id` for itself). */
export interface PlanItemDocument {
  itemId: string;
  number: number;
  section: string;
  title: string;
  hours: number;
  controlWork: boolean;
}

/** A course's thematic plan as stored: `_id` is the course id, so a page reads it by `_id`. */
export interface ThematicPlanDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  academicYearId: string;
  classId: string;
  subgroupId: string;
  subjectId: string;
  items: PlanItemDocument[];
  updatedBy: string;
  updatedAt: string;
  version: number;
  createdAt: Date;
}

const text = { type: String, default: '' };

const planItemSchema = new Schema<PlanItemDocument>(
  {
    itemId: { type: String, required: true },
    number: { type: Number, required: true },
    section: text,
    title: { type: String, required: true },
    hours: { type: Number, required: true },
    controlWork: { type: Boolean, default: false },
  },
  { _id: false },
);

const thematicPlanSchema = new Schema<ThematicPlanDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    classId: { type: String, required: true },
    subgroupId: text,
    subjectId: { type: String, required: true },
    items: { type: [planItemSchema], default: [] },
    updatedBy: text,
    updatedAt: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'thematic_plans', versionKey: false },
);
// A plan and its edu.gradebook.plan.set are one write.
thematicPlanSchema.plugin(outboxPlugin);

export function thematicPlanModel(connection: Connection): Model<ThematicPlanDocument> {
  return connection.model<ThematicPlanDocument>('ThematicPlan', thematicPlanSchema);
}
