import type { StaffPositionState } from '@edu/proto/dist/generated/edu/events/v1/StaffPositionState';
import type { StaffPosition as StaffPositionMessage } from '@edu/proto/dist/generated/edu/roster/v1/StaffPosition';
import type { StaffMember as StaffMemberMessage } from '@edu/proto/dist/generated/edu/roster/v1/StaffMember';
import type { OrderRef } from '../domain/academic-year';
import { titleKey, type StaffPosition } from '../domain/staff-position';
import type { StaffListEntry } from '../domain/staff.use-cases';
import type { StaffPositionDocument } from './staff-position.model';

// A staff position in its outer shapes: document, gRPC messages, event payload.

const NO_ORDER: OrderRef = { number: '', date: '', title: '' };

function orderOf(order: { number?: string; date?: string; title?: string } | null | undefined): OrderRef {
  return { number: order?.number ?? '', date: order?.date ?? '', title: order?.title ?? '' };
}

export function fromDocument(doc: StaffPositionDocument): StaffPosition {
  const dismissalOrder = orderOf(doc.dismissalOrder);
  return {
    id: doc._id,
    schoolId: doc.schoolId,
    personId: doc.personId,
    kind: doc.kind,
    title: doc.title,
    rate: doc.rate,
    hiredOn: doc.hiredOn,
    hireOrder: orderOf(doc.hireOrder),
    status: doc.status,
    dismissedOn: doc.dismissedOn ?? '',
    dismissalOrder: dismissalOrder.number ? dismissalOrder : null,
    dismissalReason: doc.dismissalReason ?? '',
    history: doc.history.map((h) => ({
      kind: h.kind,
      effectiveOn: h.effectiveOn,
      order: orderOf(h.order),
      title: h.title,
      rate: h.rate,
      reason: h.reason ?? '',
      recordedAt: h.recordedAt.toISOString(),
      recordedBy: h.recordedBy,
    })),
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
  };
}

export function toDocument(position: StaffPosition, updatedAt: Date): StaffPositionDocument {
  const { id, createdAt, dismissalOrder, history, ...fields } = position;
  const active = position.status === 'active';
  return {
    _id: id,
    ...fields,
    dismissalOrder: dismissalOrder ?? NO_ORDER,
    history: history.map((h) => ({ ...h, recordedAt: new Date(h.recordedAt) })),
    postKey: active ? `${position.personId}|${position.kind}|${titleKey(position.title)}` : `~${id}`,
    directorKey: active && position.kind === 'director' ? 'director' : `~${id}`,
    createdAt: new Date(createdAt),
    updatedAt,
  };
}

export function toMessage(position: StaffPosition): StaffPositionMessage {
  return {
    id: position.id,
    school_id: position.schoolId,
    person_id: position.personId,
    kind: position.kind,
    title: position.title,
    rate: position.rate,
    hired_on: position.hiredOn,
    hire_order: position.hireOrder,
    status: position.status,
    dismissed_on: position.dismissedOn,
    dismissal_order: position.dismissalOrder ?? NO_ORDER,
    dismissal_reason: position.dismissalReason,
    history: position.history.map((h) => ({
      kind: h.kind,
      effective_on: h.effectiveOn,
      order: h.order,
      title: h.title,
      rate: h.rate,
      reason: h.reason,
      recorded_at: h.recordedAt,
      recorded_by: h.recordedBy,
    })),
    version: String(position.version),
    created_at: position.createdAt,
  };
}

export function toStaffMemberMessage(entry: StaffListEntry): StaffMemberMessage {
  return {
    position_id: entry.positionId,
    person_id: entry.personId,
    last_name: entry.lastName,
    first_name: entry.firstName,
    middle_name: entry.middleName,
    kind: entry.kind,
    title: entry.title,
    status: entry.status,
    rate: entry.rate,
    hired_on: entry.hiredOn,
    dismissed_on: entry.dismissedOn,
  };
}

/** `edu.events.v1.StaffPositionState`: ids, the post and the status; no personal data, no rate. */
export function toStaffPositionState(position: StaffPosition): StaffPositionState {
  return {
    position_id: position.id,
    school_id: position.schoolId,
    person_id: position.personId,
    kind: position.kind,
    title: position.title,
    status: position.status,
  };
}

export function orderFromMessage(order: { number: string; date: string; title: string } | null): OrderRef {
  return orderOf(order);
}
