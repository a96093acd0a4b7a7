import type { Model } from 'mongoose';
import { outboxFields, withOutbox, type EventCodec, type OutboxLock } from '@edu/events';
import type { AssignmentEvent, AssignmentRepository, RequestContext } from '../domain/ports';
import { assignmentVersionConflict } from '../domain/teaching-assignment.use-cases';
import { fromDocument, toAssignmentState, toDocument } from './teaching-assignment.mapper';
import type { TeachingAssignmentDocument } from './teaching-assignment.model';
import { scheduleEnvelope } from './schedule-events';

/** More than any school's year has; the lists are not paged. */
const LIST_LIMIT = 5_000;

export interface AssignmentRepositoryOptions {
  codec: EventCodec;
  /** `edu.schedule.v1` with the environment's prefix. */
  topic: string;
  onEventsWritten: () => void;
  /** The relay's lock: on FerretDB 1.x an update must not interleave with the relay's. */
  lock: OutboxLock;
}

function payloadOf(event: AssignmentEvent) {
  const assignment = toAssignmentState(event.assignment);
  return event.type === 'edu.schedule.teaching.unassigned'
    ? { assignment, previous_ends_on: event.previousEndsOn, reason: event.reason }
    : { assignment };
}

/** Assignments in their own collection; a change and its events are one write (outbox). */
export function createAssignmentRepository(
  assignments: Model<TeachingAssignmentDocument>,
  { codec, topic, onEventsWritten, lock }: AssignmentRepositoryOptions,
): AssignmentRepository {
  const envelopes = (events: AssignmentEvent[], ctx: RequestContext) =>
    events.map((event) =>
      scheduleEnvelope(
        {
          type: event.type,
          schoolId: event.assignment.schoolId,
          aggregateId: event.assignment.id,
          aggregateVersion: event.assignment.version,
          payload: payloadOf(event),
        },
        ctx,
      ),
    );
  const list = async (filter: Record<string, unknown>) =>
    (await assignments.find(filter).limit(LIST_LIMIT).lean<TeachingAssignmentDocument[]>()).map(fromDocument);

  return {
    async create(assignment, events, ctx) {
      await assignments.create({
        ...toDocument(assignment, new Date()),
        ...outboxFields(envelopes(events, ctx), { topic, codec }),
      });
      onEventsWritten();
    },

    async update(assignment, expectedVersion, events, ctx) {
      const { _id, createdAt: _createdAt, ...fields } = toDocument(assignment, new Date());
      const update = withOutbox<TeachingAssignmentDocument>({ $set: fields }, envelopes(events, ctx), {
        topic,
        codec,
      });
      // FerretDB 1.x: the version filter is no compare-and-set; the lock makes it one in-process.
      const { matchedCount } = await lock.run(assignments, [_id], () =>
        assignments.updateOne({ _id, version: expectedVersion }, update),
      );
      if (matchedCount === 0) throw assignmentVersionConflict();
      onEventsWritten();
    },

    async get(id) {
      const doc = await assignments.findById(id).lean<TeachingAssignmentDocument>();
      return doc ? fromDocument(doc) : null;
    },

    listByYear: (schoolId, academicYearId) => list({ schoolId, academicYearId }),
    listByClass: (classId) => list({ classId }),
    listByTeacher: (teacherId, academicYearId) => list({ teacherId, academicYearId }),

    // A key of its own under the collection's name (ids are UUIDs: no document has this one), so
    // the relay, which locks documents by id, never waits for it.
    exclusive: (classId, subjectId, work) => lock.run(assignments, [`target:${classId}:${subjectId}`], work),
  };
}
