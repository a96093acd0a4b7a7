import type { School as SchoolMessage } from '@edu/proto/dist/generated/edu/roster/v1/School';
import type { School__Output as SchoolMessageOut } from '@edu/proto/dist/generated/edu/roster/v1/School';
import type { SchoolCard as SchoolCardEvent } from '@edu/proto/dist/generated/edu/events/v1/SchoolCard';
import type { School, SchoolCard } from '../domain/school';
import type { SchoolDocument } from './school.model';

// The school card in its three outer shapes: the stored document, the gRPC message and the
// event payload. The domain's camelCase ends here; protobuf messages keep the proto names.

export function fromDocument(doc: SchoolDocument): School {
  return {
    id: doc._id,
    fullName: doc.fullName,
    shortName: doc.shortName,
    inn: doc.inn,
    ogrn: doc.ogrn,
    address: doc.address,
    timeZone: doc.timeZone,
    licence: { ...doc.licence },
    accreditation: { ...doc.accreditation },
    municipalityId: doc.municipalityId,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function toDocument(school: School): SchoolDocument {
  const { id, createdAt, ...card } = school;
  return { _id: id, ...card, createdAt: new Date(createdAt) };
}

/** The card as the gRPC API returns it. */
export function toMessage(school: School): SchoolMessage {
  return {
    id: school.id,
    full_name: school.fullName,
    short_name: school.shortName,
    inn: school.inn,
    ogrn: school.ogrn,
    address: school.address,
    time_zone: school.timeZone,
    licence: {
      number: school.licence.number,
      issued_on: school.licence.issuedOn,
      issued_by: school.licence.issuedBy,
    },
    accreditation: {
      number: school.accreditation.number,
      issued_on: school.accreditation.issuedOn,
      valid_until: school.accreditation.validUntil,
    },
    municipality_id: school.municipalityId,
    version: String(school.version),
    created_at: school.createdAt,
  };
}

/** The card a client sent (every field present thanks to `defaults: true`). */
export function cardFromMessage(message: SchoolMessageOut | null): SchoolCard {
  return {
    fullName: message?.full_name ?? '',
    shortName: message?.short_name ?? '',
    inn: message?.inn ?? '',
    ogrn: message?.ogrn ?? '',
    address: message?.address ?? '',
    timeZone: message?.time_zone ?? '',
    licence: {
      number: message?.licence?.number ?? '',
      issuedOn: message?.licence?.issued_on ?? '',
      issuedBy: message?.licence?.issued_by ?? '',
    },
    accreditation: {
      number: message?.accreditation?.number ?? '',
      issuedOn: message?.accreditation?.issued_on ?? '',
      validUntil: message?.accreditation?.valid_until ?? '',
    },
    municipalityId: message?.municipality_id ?? '',
  };
}

/** `edu.events.v1.SchoolCard`: the card as events carry it. */
export function toCardEvent(school: School): SchoolCardEvent {
  const { id: _id, version: _version, created_at: _createdAt, ...card } = toMessage(school);
  return { school_id: school.id, ...card };
}
