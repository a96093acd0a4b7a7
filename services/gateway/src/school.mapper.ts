import type { School as SchoolMessage } from '@edu/proto/dist/generated/edu/roster/v1/School';
import type { School__Output as SchoolMessageOut } from '@edu/proto/dist/generated/edu/roster/v1/School';

// The school card between the REST API (camelCase) and roster's gRPC messages (snake_case,
// proto3 defaults: an absent value is an empty string). Empty strings keep their meaning both
// ways (`validUntil: ''` is without limit, `municipalityId: ''` not yet assigned), so a card
// comes back as it was sent; only a missing accreditation is left out, since an empty one would
// not be a valid accreditation.

/** The card a client sends (`SchoolCard` of the OpenAPI document). */
export interface SchoolCardDto {
  fullName: string;
  shortName: string;
  inn: string;
  ogrn: string;
  address: string;
  timeZone: string;
  licence: { number: string; issuedOn: string; issuedBy: string };
  accreditation?: { number: string; issuedOn: string; validUntil?: string };
  municipalityId?: string;
}

/** A stored card as the API returns it (`School` of the OpenAPI document). */
export interface SchoolDto extends SchoolCardDto {
  id: string;
  version: number;
  createdAt: string;
}

/** The REST card as roster's message; `id`, `version` and `created_at` are roster's to assign. */
export function schoolMessageFromCard(card: SchoolCardDto): SchoolMessage {
  return {
    full_name: card.fullName,
    short_name: card.shortName,
    inn: card.inn,
    ogrn: card.ogrn,
    address: card.address,
    time_zone: card.timeZone,
    licence: {
      number: card.licence.number,
      issued_on: card.licence.issuedOn,
      issued_by: card.licence.issuedBy,
    },
    accreditation: {
      number: card.accreditation?.number ?? '',
      issued_on: card.accreditation?.issuedOn ?? '',
      valid_until: card.accreditation?.validUntil ?? '',
    },
    municipality_id: card.municipalityId ?? '',
  };
}

/** Roster's message as the REST card. */
export function schoolDtoFromMessage(message: SchoolMessageOut | null | undefined): SchoolDto {
  // Roster always answers with the card; without one there is nothing true to tell the client.
  if (!message) throw new Error('roster answered without a school');
  const licence = message.licence;
  const accreditation = message.accreditation;
  return {
    id: message.id,
    version: Number(message.version),
    createdAt: message.created_at,
    fullName: message.full_name,
    shortName: message.short_name,
    inn: message.inn,
    ogrn: message.ogrn,
    address: message.address,
    timeZone: message.time_zone,
    licence: {
      number: licence?.number ?? '',
      issuedOn: licence?.issued_on ?? '',
      issuedBy: licence?.issued_by ?? '',
    },
    ...(accreditation && (accreditation.number || accreditation.issued_on)
      ? {
          accreditation: {
            number: accreditation.number,
            issuedOn: accreditation.issued_on,
            validUntil: accreditation.valid_until,
          },
        }
      : {}),
    municipalityId: message.municipality_id,
  };
}
