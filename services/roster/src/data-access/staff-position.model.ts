import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { PositionKind, PositionStatus, StaffChangeKind } from '../domain/staff-position';

interface OrderFields {
  number: string;
  date: string;
  title: string;
}

/** A staff position as stored: one document per position, with its pending events. No personal data. */
export interface StaffPositionDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  personId: string;
  kind: PositionKind;
  title: string;
  rate: number;
  hiredOn: string;
  hireOrder: OrderFields;
  status: PositionStatus;
  dismissedOn: string;
  /** All fields '' while active. */
  dismissalOrder: OrderFields;
  dismissalReason: string;
  history: {
    kind: StaffChangeKind;
    effectiveOn: string;
    order: OrderFields;
    title: string;
    rate: number;
    reason: string;
    recordedAt: Date;
    recordedBy: string;
  }[];
  /**
   * `<person>|<kind>|<title key>` while active, `~<id>` after dismissal: its unique index keeps
   * a person from holding one post twice at once (FerretDB 1.24 has no partial indexes).
   */
  postKey: string;
  /** `director` for the active director, `~<id>` otherwise: unique with the school. */
  directorKey: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const orderSchema = {
  number: { type: String, default: '' },
  date: { type: String, default: '' },
  title: { type: String, default: '' },
};

const staffPositionSchema = new Schema<StaffPositionDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    personId: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    rate: { type: Number, required: true },
    hiredOn: { type: String, required: true },
    hireOrder: orderSchema,
    status: { type: String, required: true },
    dismissedOn: { type: String, default: '' },
    dismissalOrder: orderSchema,
    dismissalReason: { type: String, default: '' },
    history: [
      {
        _id: false,
        kind: { type: String, required: true },
        effectiveOn: { type: String, required: true },
        order: orderSchema,
        title: { type: String, required: true },
        rate: { type: Number, required: true },
        reason: { type: String, default: '' },
        recordedAt: { type: Date, required: true },
        recordedBy: { type: String, required: true },
      },
    ],
    postKey: { type: String, required: true },
    directorKey: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'staff_positions', versionKey: false },
);
// One post (kind and title) per person at a time; one active director per school — also under
// concurrent writes, from any number of processes.
staffPositionSchema.index({ postKey: 1 }, { unique: true });
staffPositionSchema.index({ schoolId: 1, directorKey: 1 }, { unique: true });
// The staff list of a school (active or all) and the positions of a person.
staffPositionSchema.index({ schoolId: 1, status: 1 });
staffPositionSchema.index({ personId: 1 });
staffPositionSchema.plugin(outboxPlugin);

export function staffPositionModel(connection: Connection): Model<StaffPositionDocument> {
  return connection.model<StaffPositionDocument>('StaffPosition', staffPositionSchema);
}
