import type { AcademicYear, OrderRef } from './academic-year';
import type { Enrolment, MovementKind } from './enrolment';
import type { StaffChangeKind, StaffPosition } from './staff-position';
import type { Subgroup } from './subgroup';

// The register of a school's orders (приказы) for one academic year, read back from what the
// orders did: the students' movements, the calendar's changes, the staff positions' steps and the
// subgroups' membership changes. Nothing is stored twice: the register is a view of the history.

/** What an order did, one kind at a time. */
export type OrderActKind =
  | MovementKind
  | `staff_${StaffChangeKind}`
  | 'calendar_changed'
  | 'year_closed'
  | 'year_rolled_over'
  | 'subgroup_members_changed';

/** One kind of act of an order, with whom and which classes (or subgroups) it touched. */
export interface OrderAct {
  kind: OrderActKind;
  /** Students or staff persons, each once, in the order met; none for calendar acts. */
  personIds: string[];
  /** Classes (or subgroups) involved, each once, in the order met. */
  classIds: string[];
  /** Calendar and rollover acts: what changed, in Russian. */
  summary: string[];
}

export interface OrderEntry {
  order: OrderRef;
  acts: OrderAct[];
}

/** The acts in a fixed order, so that the register reads the same every time. */
const ACT_ORDER: OrderActKind[] = [
  'enrolled',
  'transferred',
  'withdrawn',
  'promoted',
  'graduated',
  'subgroup_members_changed',
  'calendar_changed',
  'year_closed',
  'year_rolled_over',
  'staff_hired',
  'staff_changed',
  'staff_dismissed',
];

/** The order's identity in a school: its number and date (the title is how it was written down). */
const orderKey = (order: OrderRef) => `${order.date}\u0000${order.number}`;

/** Collects acts by order and kind. */
class Register {
  private readonly entries = new Map<string, { order: OrderRef; acts: Map<OrderActKind, OrderAct> }>();

  add(
    order: OrderRef,
    kind: OrderActKind,
    what: { personIds?: string[]; classIds?: string[]; summary?: string[] },
  ) {
    if (!order.number && !order.date) return;
    const key = orderKey(order);
    const entry = this.entries.get(key) ?? { order: { ...order }, acts: new Map() };
    if (!entry.order.title && order.title) entry.order.title = order.title;
    this.entries.set(key, entry);
    const act = entry.acts.get(kind) ?? { kind, personIds: [], classIds: [], summary: [] };
    entry.acts.set(kind, act);
    for (const id of what.personIds ?? []) if (id && !act.personIds.includes(id)) act.personIds.push(id);
    for (const id of what.classIds ?? []) if (id && !act.classIds.includes(id)) act.classIds.push(id);
    act.summary.push(...(what.summary ?? []));
  }

  /** The latest order first (by date, then number, numbers compared as people read them). */
  entriesNewestFirst(): OrderEntry[] {
    return [...this.entries.values()]
      .map(({ order, acts }) => ({
        order,
        acts: [...acts.values()].sort((a, b) => ACT_ORDER.indexOf(a.kind) - ACT_ORDER.indexOf(b.kind)),
      }))
      .sort(
        (a, b) =>
          b.order.date.localeCompare(a.order.date) ||
          b.order.number.localeCompare(a.order.number, 'ru', { numeric: true }),
      );
  }
}

const CALENDAR_ACT: Record<string, OrderActKind> = {
  calendar: 'calendar_changed',
  closed: 'year_closed',
  rolled_over: 'year_rolled_over',
};

/**
 * The orders of a school's academic year: every movement of the year's enrolments, every
 * recorded change of the year (calendar, closing, rollover), every membership change of the
 * year's subgroups, and the staff steps that take effect within the year's twelve months from
 * its first day (a hire ordered in August for 1 September belongs to the year it starts).
 * `staff` and the rest may be left empty when the reader may not see them.
 */
export function orderRegister(input: {
  year: AcademicYear;
  enrolments: Enrolment[];
  subgroups: Subgroup[];
  positions: StaffPosition[];
}): OrderEntry[] {
  const { year } = input;
  const register = new Register();
  for (const enrolment of input.enrolments) {
    for (const movement of enrolment.movements) {
      register.add(movement.order, movement.kind, {
        personIds: [enrolment.studentId],
        classIds: [movement.fromClassId, movement.toClassId],
      });
    }
  }
  for (const subgroup of input.subgroups) {
    for (const change of subgroup.history) {
      if (!change.order) continue;
      register.add(change.order, 'subgroup_members_changed', {
        personIds: [...change.added, ...change.removed],
        classIds: [subgroup.id],
      });
    }
  }
  for (const change of year.changes) {
    register.add(change.order, CALENDAR_ACT[change.kind] ?? 'calendar_changed', { summary: change.summary });
  }
  const from = year.days.startsOn;
  const until = `${Number(from.slice(0, 4)) + 1}${from.slice(4)}`;
  for (const position of input.positions) {
    for (const step of position.history) {
      if (step.effectiveOn < from || step.effectiveOn >= until) continue;
      register.add(step.order, `staff_${step.kind}`, { personIds: [position.personId] });
    }
  }
  return register.entriesNewestFirst();
}
