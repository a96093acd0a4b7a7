import type { EventEnvelope } from '@edu/events';
import {
  enrolmentFrom,
  guardianshipFrom,
  personFrom,
  requiredPayload,
  rosterEventParts,
  rosterEventsAbout,
  schoolFrom,
  staffPositionFrom,
  type RosterPayload,
} from '@edu/roster-events';
import type { RosterFact } from '../../domain/copies';

// The edge between roster's events and identity's facts: the types kept (with their payload
// messages, for the codec) and how each becomes a fact. Read through @edu/roster-events.

export const ROSTER_EVENTS = rosterEventsAbout([
  'school',
  'person',
  'student',
  'guardian',
  'consent',
  'staff',
]);

interface WithEffectiveOn {
  effective_on?: string;
  movement?: { effective_on?: string } | null;
}

export function factsOf(event: EventEnvelope<unknown>): RosterFact[] {
  if (!(event.type in ROSTER_EVENTS)) return [];
  const payload = event.payload as RosterPayload & WithEffectiveOn;
  const { entity, action } = rosterEventParts(event.type);
  switch (entity) {
    case 'school': {
      const school = schoolFrom(requiredPayload(payload.school, event, 'school'), event);
      return [{ kind: 'school', id: school.id, timeZone: school.timeZone, version: school.version }];
    }
    case 'person': {
      const p = personFrom(requiredPayload(payload.person, event, 'person'), event);
      return [
        {
          kind: 'person',
          id: p.id,
          schoolId: p.schoolId,
          personKind: p.kind,
          displayName: p.displayName,
          status: p.status,
          version: p.version,
        },
      ];
    }
    case 'staff': {
      const p = staffPositionFrom(requiredPayload(payload.position, event, 'position'), event);
      return [
        {
          kind: 'position',
          action: action === 'hired' ? 'hired' : action === 'dismissed' ? 'dismissed' : 'changed',
          id: p.id,
          schoolId: p.schoolId,
          personId: p.personId,
          positionKind: p.kind,
          status: p.status,
          effectiveOn: payload.effective_on ?? '',
          version: p.version,
        },
      ];
    }
    case 'student': {
      const e = enrolmentFrom(requiredPayload(payload.enrolment, event, 'enrolment'), event);
      return [
        {
          kind: 'enrolment',
          action,
          id: e.id,
          schoolId: e.schoolId,
          studentId: e.studentId,
          status: e.status,
          effectiveOn: payload.movement?.effective_on ?? '',
          version: e.version,
        },
      ];
    }
    case 'guardian':
    case 'consent': {
      const g = guardianshipFrom(requiredPayload(payload.guardianship, event, 'guardianship'), event);
      return [
        {
          kind: 'guardianship',
          id: g.id,
          schoolId: g.schoolId,
          guardianId: g.guardianId,
          studentId: g.studentId,
          guardianshipKind: g.kind,
          status: g.status,
          consentActive: g.consentActive,
          version: g.version,
        },
      ];
    }
    default:
      return [];
  }
}
