import type { GradingPolicyState } from '@edu/proto/dist/generated/edu/events/v1/GradingPolicyState';
import type { GradingPolicy } from '../domain/grading-policy';
import type { PolicyDocument } from './policy.model';

export function toDocument(policy: GradingPolicy, createdAt: Date): PolicyDocument {
  const { schoolId, ...fields } = policy;
  return { _id: schoolId, ...fields, createdAt };
}

export function fromDocument(doc: PolicyDocument): GradingPolicy {
  const {
    _id,
    createdAt: _createdAt,
    outbox: _outbox,
    outboxPending: _pending,
    outboxSince: _since,
    ...fields
  } = doc;
  return { schoolId: _id, ...fields };
}

export function toPolicyState(policy: GradingPolicy): GradingPolicyState {
  return {
    school_id: policy.schoolId,
    scales: policy.scales.map((s) => ({
      grades: [...s.grades],
      subject_keys: [...s.subjectKeys],
      scale: s.scale,
    })),
    work_types: policy.workTypes.map((w) => ({
      key: w.key,
      name: w.name,
      weight: w.weight,
      active: w.active,
    })),
    entry_deadline: policy.entryDeadline,
    entry_days: policy.entryDays,
    correction_days: policy.correctionDays,
    period_mark_window_days: policy.periodMarkWindowDays,
    accumulation: policy.accumulation.map((a) => ({
      min_hours_per_week: a.minHoursPerWeek,
      min_marks: a.minMarks,
    })),
    allow_not_attested: policy.allowNotAttested,
    allow_exempt: policy.allowExempt,
    rounding_threshold: policy.roundingThreshold,
    low_mark_threshold: policy.lowMarkThreshold,
    updated_by: policy.updatedBy,
    updated_at: policy.updatedAt,
    version: String(policy.version),
  };
}

/** A policy from the wire (a whole policy, school id from the request). */
export function fromPolicyState(
  state: GradingPolicyState,
): Omit<GradingPolicy, 'updatedBy' | 'updatedAt' | 'version'> {
  return {
    schoolId: state.school_id ?? '',
    scales: (state.scales ?? []).map((s) => ({
      grades: [...(s.grades ?? [])],
      subjectKeys: [...(s.subject_keys ?? [])],
      scale: (s.scale ?? '') as GradingPolicy['scales'][number]['scale'],
    })),
    workTypes: (state.work_types ?? []).map((w) => ({
      key: w.key ?? '',
      name: w.name ?? '',
      weight: Number(w.weight ?? 0),
      active: w.active ?? false,
    })),
    entryDeadline: (state.entry_deadline ?? '') as GradingPolicy['entryDeadline'],
    entryDays: state.entry_days ?? 0,
    correctionDays: state.correction_days ?? 0,
    periodMarkWindowDays: state.period_mark_window_days ?? 0,
    accumulation: (state.accumulation ?? []).map((a) => ({
      minHoursPerWeek: Number(a.min_hours_per_week ?? 0),
      minMarks: a.min_marks ?? 0,
    })),
    allowNotAttested: state.allow_not_attested ?? false,
    allowExempt: state.allow_exempt ?? false,
    roundingThreshold: Number(state.rounding_threshold ?? 0),
    lowMarkThreshold: state.low_mark_threshold ?? 0,
  };
}
