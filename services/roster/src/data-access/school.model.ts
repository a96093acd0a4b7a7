import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';

/** A school card as stored: one document per school, carrying its own pending events. */
export interface SchoolDocument extends Partial<OutboxFields> {
  _id: string;
  fullName: string;
  shortName: string;
  inn: string;
  ogrn: string;
  address: string;
  timeZone: string;
  licence: { number: string; issuedOn: string; issuedBy: string };
  accreditation: { number: string; issuedOn: string; validUntil: string };
  municipalityId: string;
  version: number;
  createdAt: Date;
}

const schoolSchema = new Schema<SchoolDocument>(
  {
    _id: { type: String, required: true },
    fullName: { type: String, required: true },
    shortName: { type: String, required: true },
    inn: { type: String, required: true },
    ogrn: { type: String, required: true },
    address: { type: String, required: true },
    timeZone: { type: String, required: true },
    licence: {
      number: { type: String, default: '' },
      issuedOn: { type: String, default: '' },
      issuedBy: { type: String, default: '' },
    },
    accreditation: {
      number: { type: String, default: '' },
      issuedOn: { type: String, default: '' },
      validUntil: { type: String, default: '' },
    },
    municipalityId: { type: String, default: '' },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'schools', versionKey: false },
);
// One card per legal entity: a second card with the same INN is a duplicate, not a new school.
schoolSchema.index({ inn: 1 }, { unique: true });
// The list is ordered by short name, then id (the cursor).
schoolSchema.index({ shortName: 1, _id: 1 });
schoolSchema.plugin(outboxPlugin);

/** Registers the model on the service's own connection. */
export function schoolModel(connection: Connection): Model<SchoolDocument> {
  return connection.model<SchoolDocument>('School', schoolSchema);
}
