import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { GradingPolicy } from '../domain/grading-policy';

/** A school's grading policy as stored (`_id` = the school id); absent while the school has the defaults. */
export interface PolicyDocument extends Omit<GradingPolicy, 'schoolId'>, Partial<OutboxFields> {
  _id: string;
  createdAt: Date;
}

const policySchema = new Schema<PolicyDocument>(
  {
    _id: { type: String, required: true },
    scales: { type: Schema.Types.Mixed, default: [] },
    workTypes: { type: Schema.Types.Mixed, default: [] },
    entryDeadline: { type: String, required: true },
    entryDays: { type: Number, default: 0 },
    correctionDays: { type: Number, required: true },
    periodMarkWindowDays: { type: Number, required: true },
    accumulation: { type: Schema.Types.Mixed, default: [] },
    allowNotAttested: { type: Boolean, default: true },
    allowExempt: { type: Boolean, default: true },
    roundingThreshold: { type: Number, required: true },
    lowMarkThreshold: { type: Number, required: true },
    updatedBy: { type: String, default: '' },
    updatedAt: { type: String, default: '' },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'grading_policies', versionKey: false, minimize: false },
);
policySchema.plugin(outboxPlugin);

export function policyModel(connection: Connection): Model<PolicyDocument> {
  return connection.model<PolicyDocument>('GradingPolicy', policySchema);
}
