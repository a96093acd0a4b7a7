import type { EventEnvelope, EventHandler } from '@edu/events';
import type { Logger } from '@edu/kit';
import type { SchoolCard } from '@edu/proto/dist/generated/edu/events/v1/SchoolCard';
import { recordSchoolCard, type DirectorySchool, type SchoolDirectory } from '../../domain/school-directory';

/** The roster events reports handles, with their payload messages (for the codec). */
export const HANDLED_ROSTER_EVENTS = {
  'edu.roster.school.created': 'edu.events.v1.SchoolCreated',
  'edu.roster.school.updated': 'edu.events.v1.SchoolUpdated',
};

/** Maps roster's event into reports' own type at the edge (never roster's code). */
function toDirectorySchool(event: EventEnvelope<{ school?: SchoolCard | null }>): DirectorySchool {
  const card = event.payload.school;
  if (!card) throw new Error(`${event.type} ${event.id} carries no school card`);
  return {
    schoolId: event.aggregateId,
    fullName: card.full_name ?? '',
    shortName: card.short_name ?? '',
    inn: card.inn ?? '',
    timeZone: card.time_zone ?? '',
    municipalityId: card.municipality_id ?? '',
    version: event.aggregateVersion,
  };
}

/** Applies `edu.roster.school.created|updated` to the directory, idempotently by aggregate version. */
export function schoolCardHandler(directory: SchoolDirectory, logger: Logger): EventHandler {
  return async (event) => {
    const school = toDirectorySchool(event as EventEnvelope<{ school?: SchoolCard | null }>);
    const applied = await recordSchoolCard(directory, school);
    logger.debug(
      { eventId: event.id, type: event.type, schoolId: school.schoolId, version: school.version, applied },
      applied ? 'school card applied' : 'school card already as new or newer; skipped',
    );
  };
}
