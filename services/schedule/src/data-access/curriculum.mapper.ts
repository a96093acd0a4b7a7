import type { CurriculumState } from '@edu/proto/dist/generated/edu/events/v1/CurriculumState';
import type { Curriculum as CurriculumMessage } from '@edu/proto/dist/generated/edu/schedule/v1/Curriculum';
import {
  CURRICULUM_COMPONENTS,
  hoursPerYear,
  periodTotals,
  totalHoursPerWeek,
  type Curriculum,
  type StudyWeeks,
} from '../domain/curriculum';
import type { CurriculumView } from '../domain/curriculum.use-cases';
import { EDUCATION_AREAS } from '../domain/subject';
import type { CurriculumDocument } from './curriculum.model';

// A curriculum in its outer shapes: document, gRPC message, event payload.

export function fromDocument(doc: CurriculumDocument): Curriculum {
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    academicYearId: doc.academicYearId,
    classId: doc.classId,
    grade: doc.grade,
    lines: (doc.lines ?? []).map((line) => ({
      subjectId: line.subjectId,
      subjectKey: line.subjectKey,
      subjectName: line.subjectName,
      educationArea: line.educationArea,
      component: line.component,
      hoursPerWeek: line.hoursPerWeek,
      periodHours: (line.periodHours ?? []).map((p) => ({ period: p.period, hoursPerWeek: p.hoursPerWeek })),
    })),
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    updatedBy: doc.updatedBy ?? '',
  };
}

export function toDocument(curriculum: Curriculum): CurriculumDocument {
  const { id, createdAt, updatedAt, ...fields } = curriculum;
  return { _id: id, ...fields, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export function toMessage({
  curriculum,
  className,
  weeks,
  maxHoursPerWeek,
}: CurriculumView): CurriculumMessage {
  const lines = curriculum.lines.map((line) => ({
    subject_id: line.subjectId,
    subject_key: line.subjectKey,
    subject_name: line.subjectName,
    education_area: line.educationArea,
    education_area_name: EDUCATION_AREAS[line.educationArea] ?? '',
    component: line.component,
    component_name: CURRICULUM_COMPONENTS[line.component],
    hours_per_week: line.hoursPerWeek,
    period_hours: line.periodHours.map((p) => ({ period: p.period, hours_per_week: p.hoursPerWeek })),
    hours_per_year: hoursPerYear(line, weeks),
  }));
  const totals = new Map(periodTotals(curriculum.lines, weeks).map((t) => [t.period, t.hoursPerWeek]));
  return {
    id: curriculum.id,
    school_id: curriculum.schoolId,
    academic_year_id: curriculum.academicYearId,
    class_id: curriculum.classId,
    class_name: className,
    grade: curriculum.grade,
    lines,
    total_hours_per_week: totalHoursPerWeek(curriculum.lines),
    max_hours_per_week: maxHoursPerWeek,
    total_hours_per_year: round2(lines.reduce((sum, line) => sum + line.hours_per_year, 0)),
    weeks: {
      source: weeks.source,
      period_kind: weeks.periodKind,
      per_year: weeks.perYear,
      periods: weeks.periods.map((p) => ({
        number: p.number,
        name: p.name,
        starts_on: p.startsOn,
        ends_on: p.endsOn,
        weeks: p.weeks,
        total_hours_per_week: totals.get(p.number) ?? 0,
      })),
    },
    version: String(curriculum.version),
    updated_at: curriculum.updatedAt,
    updated_by: curriculum.updatedBy,
  };
}

/** `edu.events.v1.CurriculumState`, with the hours per year of the weeks known at the change. */
export function toCurriculumState(curriculum: Curriculum, weeks: StudyWeeks): CurriculumState {
  return {
    curriculum_id: curriculum.id,
    school_id: curriculum.schoolId,
    academic_year_id: curriculum.academicYearId,
    class_id: curriculum.classId,
    grade: curriculum.grade,
    lines: curriculum.lines.map((line) => ({
      subject_id: line.subjectId,
      subject_key: line.subjectKey,
      subject_name: line.subjectName,
      education_area: line.educationArea,
      component: line.component,
      hours_per_week: line.hoursPerWeek,
      period_hours: line.periodHours.map((p) => ({ period: p.period, hours_per_week: p.hoursPerWeek })),
      hours_per_year: hoursPerYear(line, weeks),
    })),
    total_hours_per_week: totalHoursPerWeek(curriculum.lines),
    weeks_per_year: weeks.perYear,
    weeks_source: weeks.source,
  };
}
