import type { Model } from 'mongoose';
import { outboxFields, withOutbox, type EventCodec, type OutboxLock } from '@edu/events';
import { conflict } from '@edu/kit';
import type { AcademicYear } from '../domain/academic-year';
import type { AcademicYearEvent, AcademicYearRepository, RequestContext } from '../domain/ports';
import { fromDocument, toDocument, toYearRolledOver, toYearState } from './academic-year.mapper';
import type { AcademicYearDocument } from './academic-year.model';
import { toEnrolmentState, toMovementFact } from './enrolment.mapper';
import { rosterEnvelope } from './roster-events';

const DUPLICATE_KEY = 11000;

export interface AcademicYearRepositoryOptions {
  codec: EventCodec;
  /** `edu.roster.v1` with the environment's prefix. */
  topic: string;
  onEventsWritten: () => void;
  /** The relay's lock: on FerretDB 1.x an update must not interleave with the relay's. */
  lock: OutboxLock;
}

function payloadOf(event: Exclude<AcademicYearEvent, { type: 'edu.roster.student.graduated' }>) {
  switch (event.type) {
    case 'edu.roster.academic_year.calendar_changed':
      return { academic_year: toYearState(event.academicYear), order: event.order, summary: event.summary };
    case 'edu.roster.academic_year.closed':
      return {
        academic_year: toYearState(event.academicYear),
        order: event.order,
        closed_on: event.closedOn,
      };
    case 'edu.roster.academic_year.rolled_over':
      return toYearRolledOver(event.academicYear.schoolId, event.rollover);
    default:
      return { academic_year: toYearState(event.academicYear) };
  }
}

/** Academic years in their own collection; a year and its events are one write (outbox). */
export function createAcademicYearRepository(
  years: Model<AcademicYearDocument>,
  { codec, topic, onEventsWritten, lock }: AcademicYearRepositoryOptions,
): AcademicYearRepository {
  const envelope = (event: AcademicYearEvent, ctx: RequestContext) =>
    event.type === 'edu.roster.student.graduated'
      ? rosterEnvelope(
          {
            type: event.type,
            schoolId: event.enrolment.schoolId,
            aggregateId: event.enrolment.id,
            aggregateVersion: event.enrolment.version,
            payload: {
              enrolment: toEnrolmentState(event.enrolment),
              movement: toMovementFact(event.movement),
            },
          },
          ctx,
        )
      : rosterEnvelope(
          {
            type: event.type,
            schoolId: event.academicYear.schoolId,
            aggregateId: event.academicYear.id,
            aggregateVersion: event.academicYear.version,
            payload: payloadOf(event),
          },
          ctx,
        );

  return {
    async create(year: AcademicYear, events, ctx) {
      const outbox = outboxFields(
        events.map((event) => envelope(event, ctx)),
        { topic, codec },
      );
      try {
        await years.create({ ...toDocument(year), ...outbox });
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) {
          throw conflict('academic_year.overlaps', `Учебный год ${year.name} в этой школе уже открыт`);
        }
        throw error;
      }
      onEventsWritten();
    },

    async update(year, expectedVersion, events, ctx) {
      const { _id, ...fields } = toDocument(year);
      const update = withOutbox<AcademicYearDocument>(
        { $set: fields },
        events.map((event) => envelope(event, ctx)),
        { topic, codec },
      );
      const { matchedCount } = await lock.run(years, [_id], () =>
        years.updateOne({ _id, version: expectedVersion }, update),
      );
      if (matchedCount === 0) {
        throw conflict(
          'academic_year.version_conflict',
          'Календарь уже изменили: обновите страницу и повторите',
        );
      }
      onEventsWritten();
    },

    async get(id) {
      const doc = await years.findById(id).lean<AcademicYearDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async listBySchool(schoolId) {
      const docs = await years
        .find({ schoolId })
        .sort({ 'days.startsOn': -1 })
        .limit(100)
        .lean<AcademicYearDocument[]>();
      return docs.map(fromDocument);
    },
  };
}
