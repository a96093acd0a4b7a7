import type { EventEnvelope } from '@edu/events';
import {
  ANNA,
  BORIS,
  CLASS_B,
  DEPUTY,
  IVAN,
  NOW,
  OLGA,
  PETR,
  TEACHER_A,
  TOMORROW,
  VERA,
  absenceReasonSet,
  attendanceRecorded,
  calendarEvent,
  homeworkAssigned,
  lessonEvent,
  markCorrected,
  periodMarkEvent,
  seedEvents,
} from '../unit/source-fixtures';
import { personActor, startNotifications, type NotificationsHarness, type Source } from './harness';

// Every trigger through the real Kafka and FerretDB: a source's event reaches exactly the inboxes
// its trigger names (the unit tests hold the texts and the edge cases).

let h: NotificationsHarness;

const sourceOf = (event: EventEnvelope<unknown>): Source => event.type.split('.')[1] as Source;

async function publishAll(events: EventEnvelope<unknown>[]): Promise<void> {
  for (const source of ['roster', 'schedule', 'gradebook'] as const) {
    const theirs = events.filter((e) => sourceOf(e) === source);
    if (theirs.length > 0) await h.publish(source, theirs);
  }
}

/** Who has a notification of the trigger in their inbox (of the people asked), sorted. */
async function toldOf(trigger: string, people: string[]): Promise<string[]> {
  const told: string[] = [];
  for (const personId of people) {
    const { notifications } = await h.client.ListInbox(
      { unread_only: false, limit: 200, cursor: '' },
      await h.as(personActor(personId)),
    );
    if (notifications.some((n) => n.trigger === trigger)) told.push(personId);
  }
  return told.sort();
}

const EVERYONE = [ANNA, BORIS, VERA, IVAN, OLGA, PETR, TEACHER_A, DEPUTY];
const sorted = (ids: string[]) => [...ids].sort();

beforeAll(async () => {
  h = await startNotifications({ start: NOW });
  await publishAll(seedEvents());
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('every trigger, from the real topics to the inboxes', () => {
  it('a corrected mark: the student and the guardian with consent', async () => {
    await publishAll([markCorrected(IVAN, '3', '4', { lessonId: 'l-corrected' })]);
    expect(await toldOf('mark_corrected', EVERYONE)).toEqual(sorted([ANNA, IVAN]));
  });

  it('an absence: the absent child’s guardian with consent only', async () => {
    await publishAll([
      attendanceRecorded([{ studentId: IVAN, kind: 'absent' }], [], { lessonId: 'l-absent' }),
    ]);
    expect(await toldOf('absence', EVERYONE)).toEqual([ANNA]);
  });

  it('the third unexcused absence in 14 days: the class teacher and the deputy', async () => {
    await publishAll([
      absenceReasonSet(OLGA, 'unexcused', { lessonId: 'l-u1', date: '2026-11-12' }),
      absenceReasonSet(OLGA, 'unexcused', { lessonId: 'l-u2', date: '2026-11-20' }),
    ]);
    expect(await toldOf('repeated_absence', EVERYONE)).toEqual([]);
    await publishAll([absenceReasonSet(OLGA, 'unexcused', { lessonId: 'l-u3', date: '2026-11-24' })]);
    expect(await toldOf('repeated_absence', EVERYONE)).toEqual(sorted([DEPUTY, TEACHER_A]));
  });

  it('homework for tomorrow: the class’s students and their guardians with consent', async () => {
    await publishAll([homeworkAssigned([{ text: '№ 125, 126', dueDate: TOMORROW }], { lessonId: 'l-hw' })]);
    expect(await toldOf('homework_tomorrow', EVERYONE)).toEqual(sorted([ANNA, IVAN, OLGA, VERA]));
  });

  it('a year mark: the student and the guardian with consent', async () => {
    await publishAll([periodMarkEvent(PETR, 'year', '5', 1)]);
    expect(await toldOf('period_mark', EVERYONE)).toEqual(sorted([ANNA, PETR]));
  });

  it('tomorrow’s lesson cancelled: the class’s students and their guardians with consent', async () => {
    await publishAll([lessonEvent('cancelled', { date: TOMORROW })]);
    expect(await toldOf('timetable_changed', EVERYONE)).toEqual(sorted([ANNA, IVAN, OLGA, VERA]));
  });

  it('a class event: that class’s students and their guardians with consent', async () => {
    await publishAll([calendarEvent('scheduled', { scope: 'classes', classIds: [CLASS_B] })]);
    expect(await toldOf('school_event', EVERYONE)).toEqual(sorted([ANNA, PETR]));
  });
});
