import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One read of a person's full card by someone else (R11.1). Ids only: no name, СНИЛС or any
 * other content of the card. Append-only; kept at least one year. FerretDB 1.24 has no TTL
 * indexes, so expiry will be a purge job (by `at`, older than the retention), not an index.
 */
export interface AccessLogDocument {
  _id: string;
  /** The reader's account. */
  accountId: string;
  /** The reader's person id, `''` when none. */
  actorPersonId: string;
  /** Whose card was read. */
  personId: string;
  schoolId: string;
  /** Why: `card.read` for now. */
  purpose: string;
  at: Date;
  traceId: string;
}

const accessLogSchema = new Schema<AccessLogDocument>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    actorPersonId: { type: String, default: '' },
    personId: { type: String, required: true },
    schoolId: { type: String, required: true },
    purpose: { type: String, required: true },
    at: { type: Date, required: true },
    traceId: { type: String, default: '' },
  },
  { collection: 'access_log', versionKey: false },
);
// "Who read my data": a person's (or their guardian's) request under 152-ФЗ, latest first.
accessLogSchema.index({ personId: 1, at: -1 });
// "What did this account read": an investigation; also the purge job's scan by age.
accessLogSchema.index({ accountId: 1, at: -1 });
accessLogSchema.index({ at: 1 });

export function accessLogModel(connection: Connection): Model<AccessLogDocument> {
  return connection.model<AccessLogDocument>('AccessLogEntry', accessLogSchema);
}
