import { Schema, type Connection, type Model } from 'mongoose';
import { outboxPlugin, type OutboxFields } from '@edu/events';
import type { PersonKind, PersonStatus, Sex } from '../domain/person';

/**
 * A person as stored: one document per person, with their pending events.
 *
 * PERSONAL DATA (152-ФЗ; see PERSONAL_DATA_FIELDS in the domain): lastName, firstName,
 * middleName, sortName, birthDate, sex, snils, snilsKey, contacts, birthCertificate. Never log
 * a document or a write error's key values; events and page tokens carry none of these fields.
 */
export interface PersonDocument extends Partial<OutboxFields> {
  _id: string;
  schoolId: string;
  kind: PersonKind;
  /** Personal data. */
  lastName: string;
  /** Personal data. */
  firstName: string;
  /** Personal data; `''` when none. */
  middleName: string;
  /** Personal data: the list order key derived from the names (`personSortName`). */
  sortName: string;
  /** Personal data, YYYY-MM-DD. */
  birthDate: string;
  /** Personal data. */
  sex: Sex;
  /** Personal data: 11 digits, `''` when not given. */
  snils: string;
  /**
   * Personal data: the СНИЛС, or `~<id>` when none. FerretDB 1.24 has neither sparse nor partial
   * indexes, so uniqueness "one person per СНИЛС in a school, any number without one" is this
   * field's unique index with (schoolId); `~` never starts a СНИЛС.
   */
  snilsKey: string;
  /** Personal data. */
  contacts: { phone: string; email: string };
  /** Personal data (students only). */
  birthCertificate: { series: string; number: string };
  status: PersonStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const personSchema = new Schema<PersonDocument>(
  {
    _id: { type: String, required: true },
    schoolId: { type: String, required: true },
    kind: { type: String, required: true },
    lastName: { type: String, required: true },
    firstName: { type: String, required: true },
    middleName: { type: String, default: '' },
    sortName: { type: String, required: true },
    birthDate: { type: String, required: true },
    sex: { type: String, required: true },
    snils: { type: String, default: '' },
    snilsKey: { type: String, required: true },
    contacts: {
      phone: { type: String, default: '' },
      email: { type: String, default: '' },
    },
    birthCertificate: {
      series: { type: String, default: '' },
      number: { type: String, default: '' },
    },
    status: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'people', versionKey: false },
);
// One person per СНИЛС in a school: two concurrent registrations cannot both succeed.
personSchema.index({ schoolId: 1, snilsKey: 1 }, { unique: true });
// The school's list, all kinds and by kind, ordered by sort name then id (the cursor).
personSchema.index({ schoolId: 1, sortName: 1, _id: 1 });
personSchema.index({ schoolId: 1, kind: 1, sortName: 1, _id: 1 });
personSchema.plugin(outboxPlugin);

/** Registers the model on the service's own connection. */
export function personModel(connection: Connection): Model<PersonDocument> {
  return connection.model<PersonDocument>('Person', personSchema);
}
