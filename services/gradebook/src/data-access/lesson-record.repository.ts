import type { Model } from 'mongoose';
import { saveVersioned, type VersionedSaveOptions } from '@edu/events';
import { conflict } from '@edu/kit';
import type { Attendance, Homework, LessonRecord, Mark } from '../domain/lesson-record';
import type { GradebookFact, LessonRecordRepository } from '../domain/ports';
import { gradebookEnvelopes } from './gradebook-events';
import {
  fromDocument,
  toAttendanceState,
  toDocument,
  toHomeworkState,
  toMarkState,
  toRecordState,
} from './lesson-record.mapper';
import type { LessonRecordDocument } from './lesson-record.model';

export interface RepositoryOptions extends VersionedSaveOptions {
  onEventsWritten: () => void;
}

/** The conflict of two saves of one lesson: the second must read the lesson again. */
export function recordVersionConflict(): Error {
  return conflict(
    'record.version_conflict',
    'Урок уже изменён другим пользователем или в другой вкладке: обновите страницу и повторите ввод',
  );
}

/** The domain's facts of a record as the event messages carry them (edu/events/v1/gradebook.proto). */
export function encodeRecordFact(fact: GradebookFact): GradebookFact {
  const p = fact.payload as {
    record?: LessonRecord;
    marks?: Mark[];
    mark?: Mark;
    changed?: Attendance[];
    attendance?: Attendance;
    homework?: Homework[];
  };
  return {
    ...fact,
    payload: {
      ...fact.payload,
      ...(p.record && { record: toRecordState(p.record) }),
      ...(p.marks && { marks: p.marks.map(toMarkState) }),
      ...(p.mark && { mark: toMarkState(p.mark) }),
      ...(p.changed && { changed: p.changed.map(toAttendanceState) }),
      ...(p.attendance && { attendance: toAttendanceState(p.attendance) }),
      ...(p.homework && { homework: p.homework.map(toHomeworkState) }),
    },
  };
}

/** Lesson records, one document each with its events (embedded outbox). */
export function createLessonRecordRepository(
  records: Model<LessonRecordDocument>,
  { onEventsWritten, ...options }: RepositoryOptions,
): LessonRecordRepository {
  return {
    async get(lessonId) {
      const doc = await records.findById(lessonId).lean<LessonRecordDocument>();
      return doc ? fromDocument(doc) : null;
    },

    async getMany(lessonIds) {
      if (lessonIds.length === 0) return [];
      const docs = await records.find({ _id: { $in: lessonIds } }).lean<LessonRecordDocument[]>();
      return docs.map(fromDocument);
    },

    async save(record, expectedVersion, facts, ctx) {
      await saveVersioned(
        records,
        toDocument(record, new Date()),
        expectedVersion,
        gradebookEnvelopes(facts.map(encodeRecordFact), ctx),
        options,
        recordVersionConflict,
      );
      onEventsWritten();
    },
  };
}
