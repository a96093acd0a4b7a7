import type { GuardianshipState } from '@edu/proto/dist/generated/edu/events/v1/GuardianshipState';
import type { Guardianship as GuardianshipMessage } from '@edu/proto/dist/generated/edu/roster/v1/Guardianship';
import type { GuardianshipPerson } from '@edu/proto/dist/generated/edu/roster/v1/GuardianshipPerson';
import { isConsentActive, type Guardianship } from '../domain/guardianship';
import type { PersonName } from '../domain/guardianship.use-cases';
import type { GuardianshipDocument } from './guardianship.model';

// A guardianship in its outer shapes: the stored document, the gRPC message and the event
// payload (ids, kind and status only: no names, contacts or consent documents).

/** The unique key of an active pair; an ended link gets a key of its own. */
export function activeKeyOf(link: Pick<Guardianship, 'id' | 'guardianId' | 'studentId' | 'status'>): string {
  return link.status === 'active' ? `${link.guardianId}:${link.studentId}` : `~${link.id}`;
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : '');
const dateOf = (value: string) => (value ? new Date(value) : null);

export function fromDocument(doc: GuardianshipDocument): Guardianship {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    guardianId: doc.guardianId,
    studentId: doc.studentId,
    kind: doc.kind,
    status: doc.status,
    consents: (doc.consents ?? []).map((c) => ({
      givenOn: c.givenOn,
      document: c.document,
      recordedBy: c.recordedBy,
      recordedAt: iso(c.recordedAt),
      revokedOn: c.revokedOn ?? '',
      revocationReason: c.revocationReason ?? '',
      revokedBy: c.revokedBy ?? '',
      revokedAt: iso(c.revokedAt),
    })),
    linkedAt: iso(doc.linkedAt),
    linkedBy: doc.linkedBy,
    endedOn: doc.endedOn ?? '',
    endReason: doc.endReason ?? '',
    endedBy: doc.endedBy ?? '',
    endedAt: iso(doc.endedAt),
    version: doc.version,
  };
}

export function toDocument(link: Guardianship, updatedAt: Date): GuardianshipDocument {
  const { id, consents, linkedAt, endedAt, ...fields } = link;
  return {
    _id: id,
    ...fields,
    activeKey: activeKeyOf(link),
    consents: consents.map((c) => ({
      ...c,
      recordedAt: new Date(c.recordedAt),
      revokedAt: dateOf(c.revokedAt),
    })),
    linkedAt: new Date(linkedAt),
    endedAt: dateOf(endedAt),
    updatedAt,
  };
}

/** The link as the gRPC API returns it. */
export function toMessage(link: Guardianship): GuardianshipMessage {
  return {
    id: link.id,
    school_id: link.schoolId,
    guardian_id: link.guardianId,
    student_id: link.studentId,
    kind: link.kind,
    status: link.status,
    consent_active: isConsentActive(link),
    consents: link.consents.map((c) => ({
      given_on: c.givenOn,
      document: c.document,
      recorded_by: c.recordedBy,
      recorded_at: c.recordedAt,
      revoked_on: c.revokedOn,
      revocation_reason: c.revocationReason,
      revoked_by: c.revokedBy,
      revoked_at: c.revokedAt,
    })),
    linked_at: link.linkedAt,
    linked_by: link.linkedBy,
    ended_on: link.endedOn,
    end_reason: link.endReason,
    ended_by: link.endedBy,
    ended_at: link.endedAt,
    version: String(link.version),
  };
}

/** A name in a guardianship list. */
export function toPersonMessage(name: PersonName): GuardianshipPerson {
  return {
    id: name.id,
    school_id: name.schoolId,
    last_name: name.lastName,
    first_name: name.firstName,
    middle_name: name.middleName,
  };
}

/**
 * `edu.events.v1.GuardianshipState`: ids, kind, status and whether a consent is in effect.
 * Nothing else: consumers (diary) decide what a guardian may see with it and must not get
 * personal data.
 */
export function toGuardianshipState(link: Guardianship): GuardianshipState {
  return {
    guardianship_id: link.id,
    school_id: link.schoolId,
    guardian_id: link.guardianId,
    student_id: link.studentId,
    kind: link.kind,
    status: link.status,
    consent_active: isConsentActive(link),
  };
}
