import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { GuardianKind, GuardianshipStatus } from '../domain/guardianship';

/**
 * A guardian's link to a student as stored, with its consent history and pending events. Ids,
 * dates and the consent documents only; names and contacts stay on the people's cards.
 */
export interface GuardianshipDocument extends Partial<OutboxFields> {
  _id: string;
  /** The student's school. */
  schoolId: string;
  guardianId: string;
  studentId: string;
  kind: GuardianKind;
  status: GuardianshipStatus;
  /**
   * `<guardianId>:<studentId>` while active, `~<id>` once ended. FerretDB 1.24 has neither sparse
   * nor partial indexes, so "one active link per guardian and student, any number of ended ones"
   * is this field's unique index; `~` never starts a person id.
   */
  activeKey: string;
  consents: {
    givenOn: string;
    document: string;
    recordedBy: string;
    recordedAt: Date;
    revokedOn: string;
    revocationReason: string;
    revokedBy: string;
    revokedAt?: Date | null;
  }[];
  linkedAt: Date;
  linkedBy: string;
  endedOn: string;
  endReason: string;
  endedBy: string;
  endedAt?: Date | null;
  version: number;
  updatedAt: Date;
}

const guardianshipSchema = new Schema<GuardianshipDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    guardianId: { type: String, required: true },
    studentId: { type: String, required: true },
    kind: { type: String, required: true },
    status: { type: String, required: true },
    activeKey: { type: String, required: true },
    consents: [
      {
        _id: false,
        givenOn: { type: String, required: true },
        document: { type: String, required: true },
        recordedBy: { type: String, required: true },
        recordedAt: { type: Date, required: true },
        revokedOn: { type: String, default: '' },
        revocationReason: { type: String, default: '' },
        revokedBy: { type: String, default: '' },
        revokedAt: { type: Date, default: null },
      },
    ],
    linkedAt: { type: Date, required: true },
    linkedBy: { type: String, required: true },
    endedOn: { type: String, default: '' },
    endReason: { type: String, default: '' },
    endedBy: { type: String, default: '' },
    endedAt: { type: Date, default: null },
    version: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'guardianships', versionKey: false },
);
// One active link per guardian and student: two concurrent links cannot both succeed.
guardianshipSchema.index({ activeKey: 1 }, { unique: true });
// A student's guardians, in the order linked.
guardianshipSchema.index({ studentId: 1, linkedAt: 1 });
// A school's active links (an import).
guardianshipSchema.index({ schoolId: 1, status: 1 });
// A guardian's children.
guardianshipSchema.index({ guardianId: 1, status: 1, linkedAt: 1 });
guardianshipSchema.plugin(outboxPlugin);

/** Registers the model on the service's own connection. */
export function guardianshipModel(connection: Connection): Model<GuardianshipDocument> {
  return connection.model<GuardianshipDocument>('Guardianship', guardianshipSchema);
}
