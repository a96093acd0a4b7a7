import type { SchoolEventState } from '@edu/proto/dist/generated/edu/events/v1/SchoolEventState';
import type { SchoolEvent as SchoolEventMessage } from '@edu/proto/dist/generated/edu/schedule/v1/SchoolEvent';
import {
  SCHOOL_EVENT_KINDS,
  type SchoolEvent,
  type SchoolEventScope,
  type SchoolEventStatus,
} from '../domain/school-event';
import type { SchoolEventView } from '../domain/school-event.use-cases';
import type { SchoolEventDocument } from './school-event.model';

// School events in their outer shapes: documents, gRPC messages, the event payload.

export function fromDocument(doc: SchoolEventDocument): SchoolEvent {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    kind: doc.kind,
    title: doc.title,
    description: doc.description ?? '',
    startsOn: doc.startsOn,
    endsOn: doc.endsOn,
    startsAt: doc.startsAt ?? '',
    endsAt: doc.endsAt ?? '',
    place: doc.place ?? '',
    scope: doc.scope as SchoolEventScope,
    classIds: [...(doc.classIds ?? [])],
    participantIds: [...(doc.participantIds ?? [])],
    responsibleId: doc.responsibleId ?? '',
    status: doc.status as SchoolEventStatus,
    cancelReason: doc.cancelReason ?? '',
    resultsSummary: doc.resultsSummary ?? '',
    participantResults: (doc.participantResults ?? []).map((r) => ({
      personId: r.personId,
      result: r.result,
    })),
    resultsRecordedAt: doc.resultsRecordedAt ?? '',
    lateNotice: !!doc.lateNotice,
    warnings: (doc.warnings ?? []).map((w) => ({ code: w.code, message: w.message })),
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    updatedBy: doc.updatedBy ?? '',
  };
}

export function toDocument(event: SchoolEvent): SchoolEventDocument {
  const { id, createdAt, updatedAt, ...fields } = event;
  return { _id: id, ...fields, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

export function toMessage(view: SchoolEventView): SchoolEventMessage {
  const { event } = view;
  return {
    id: event.id,
    school_id: event.schoolId,
    academic_year_id: event.academicYearId,
    kind: event.kind,
    kind_name: SCHOOL_EVENT_KINDS[event.kind] ?? '',
    title: event.title,
    description: event.description,
    starts_on: event.startsOn,
    ends_on: event.endsOn,
    starts_at: event.startsAt,
    ends_at: event.endsAt,
    place: event.place,
    scope: event.scope,
    class_ids: event.classIds,
    class_names: view.classNames,
    participant_ids: event.participantIds,
    responsible_id: event.responsibleId,
    responsible_name: view.responsibleName,
    status: event.status,
    cancel_reason: event.cancelReason,
    results_summary: event.resultsSummary,
    participant_results: event.participantResults.map((r) => ({ person_id: r.personId, result: r.result })),
    results_recorded_at: event.resultsRecordedAt,
    late_notice: event.lateNotice,
    warnings: event.warnings,
    version: String(event.version),
    created_at: event.createdAt,
    updated_at: event.updatedAt,
    updated_by: event.updatedBy,
  };
}

/** `edu.events.v1.SchoolEventState`: what the diary shows and notifications tell; ids, no names. */
export function toSchoolEventState(event: SchoolEvent): SchoolEventState {
  return {
    event_id: event.id,
    school_id: event.schoolId,
    academic_year_id: event.academicYearId,
    kind: event.kind,
    kind_name: SCHOOL_EVENT_KINDS[event.kind] ?? '',
    title: event.title,
    description: event.description,
    starts_on: event.startsOn,
    ends_on: event.endsOn,
    starts_at: event.startsAt,
    ends_at: event.endsAt,
    place: event.place,
    scope: event.scope,
    class_ids: event.classIds,
    participant_ids: event.participantIds,
    responsible_id: event.responsibleId,
    status: event.status,
    cancel_reason: event.cancelReason,
    late_notice: event.lateNotice,
    results_summary: event.resultsSummary,
    participant_results: event.participantResults.map((r) => ({ person_id: r.personId, result: r.result })),
  };
}
