import type { Person as PersonMessage } from '@edu/proto/dist/generated/edu/roster/v1/Person';
import type { PersonSummary as PersonSummaryMessage } from '@edu/proto/dist/generated/edu/roster/v1/PersonSummary';
import type { PersonContacts__Output } from '@edu/proto/dist/generated/edu/roster/v1/PersonContacts';
import type { RegisterPersonRequest__Output } from '@edu/proto/dist/generated/edu/roster/v1/RegisterPersonRequest';
import type { PersonState } from '@edu/proto/dist/generated/edu/events/v1/PersonState';
import {
  displayName,
  personSortName,
  summaryOf,
  type Contacts,
  type Person,
  type PersonForm,
  type PersonKind,
  type Sex,
} from '../domain/person';
import type { PersonDocument } from './person.model';

// The person in its outer shapes: the stored document, the full card and the reduced card of
// the gRPC API, and the event payload (which carries no personal data beyond the name).

export function fromDocument(doc: PersonDocument): Person {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    kind: doc.kind,
    lastName: doc.lastName,
    firstName: doc.firstName,
    middleName: doc.middleName,
    birthDate: doc.birthDate,
    sex: doc.sex,
    snils: doc.snils,
    contacts: { phone: doc.contacts.phone, email: doc.contacts.email },
    birthCertificate: { series: doc.birthCertificate.series, number: doc.birthCertificate.number },
    status: doc.status,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function toDocument(person: Person, updatedAt: Date): PersonDocument {
  const { id, createdAt, ...card } = person;
  return {
    _id: id,
    ...card,
    sortName: personSortName(person),
    snilsKey: person.snils || `~${id}`,
    createdAt: new Date(createdAt),
    updatedAt,
  };
}

/** The full card as the gRPC API returns it. */
export function toMessage(person: Person): PersonMessage {
  return {
    id: person.id,
    school_id: person.schoolId,
    kind: person.kind,
    last_name: person.lastName,
    first_name: person.firstName,
    middle_name: person.middleName,
    birth_date: person.birthDate,
    sex: person.sex,
    snils: person.snils,
    contacts: { ...person.contacts },
    birth_certificate: { ...person.birthCertificate },
    status: person.status,
    version: String(person.version),
    created_at: person.createdAt,
  };
}

/** The reduced card of lists: names and kind. */
export function toSummaryMessage(person: Person): PersonSummaryMessage {
  const summary = summaryOf(person);
  return {
    id: summary.id,
    school_id: summary.schoolId,
    kind: summary.kind,
    last_name: summary.lastName,
    first_name: summary.firstName,
    middle_name: summary.middleName,
    status: summary.status,
  };
}

/** `edu.events.v1.PersonState`: ids, kind, the name to show and the status. Nothing else. */
export function toPersonState(person: Person): PersonState {
  return {
    person_id: person.id,
    school_id: person.schoolId,
    kind: person.kind,
    display_name: displayName(person),
    status: person.status,
  };
}

export function contactsFromMessage(message: PersonContacts__Output | null | undefined): Contacts {
  return { phone: message?.phone ?? '', email: message?.email ?? '' };
}

/** The form a client sent (unknown kinds and sexes are reported by the rules). */
export function formFromRequest(request: RegisterPersonRequest__Output): PersonForm {
  return {
    schoolId: request.school_id,
    kind: request.kind as PersonKind,
    lastName: request.last_name,
    firstName: request.first_name,
    middleName: request.middle_name,
    birthDate: request.birth_date,
    sex: request.sex as Sex,
    snils: request.snils,
    contacts: contactsFromMessage(request.contacts),
    birthCertificate: {
      series: request.birth_certificate?.series ?? '',
      number: request.birth_certificate?.number ?? '',
    },
  };
}
