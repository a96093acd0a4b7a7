import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { ParticipantResult, SchoolEventWarning } from '../domain/school-event';

/** An event of the calendar as stored: one document per event with its pending facts. */
export interface SchoolEventDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  academicYearId: string;
  kind: string;
  title: string;
  description: string;
  startsOn: string;
  endsOn: string;
  startsAt: string;
  endsAt: string;
  place: string;
  scope: string;
  classIds: string[];
  participantIds: string[];
  responsibleId: string;
  status: string;
  cancelReason: string;
  resultsSummary: string;
  participantResults: ParticipantResult[];
  resultsRecordedAt: string;
  lateNotice: boolean;
  warnings: SchoolEventWarning[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string;
}

const text = { type: String, default: '' };

const schoolEventSchema = new Schema<SchoolEventDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    academicYearId: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    description: text,
    startsOn: { type: String, required: true },
    endsOn: { type: String, required: true },
    startsAt: text,
    endsAt: text,
    place: text,
    scope: { type: String, required: true },
    classIds: { type: [String], default: [] },
    participantIds: { type: [String], default: [] },
    responsibleId: text,
    status: { type: String, required: true },
    cancelReason: text,
    resultsSummary: text,
    participantResults: {
      type: [new Schema<ParticipantResult>({ personId: String, result: String }, { _id: false })],
      default: [],
    },
    resultsRecordedAt: text,
    lateNotice: { type: Boolean, default: false },
    warnings: {
      type: [new Schema<SchoolEventWarning>({ code: String, message: String }, { _id: false })],
      default: [],
    },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: text,
  },
  { collection: 'school_events', versionKey: false },
);
// The events of a school's year (ListSchoolEvents; the date range is filtered in memory).
schoolEventSchema.index({ schoolId: 1, academicYearId: 1 });
schoolEventSchema.plugin(outboxPlugin);

export function schoolEventModel(connection: Connection): Model<SchoolEventDocument> {
  return connection.model<SchoolEventDocument>('SchoolEvent', schoolEventSchema);
}
