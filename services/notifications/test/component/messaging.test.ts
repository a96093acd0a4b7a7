import type { EventEnvelope } from '@edu/events';
import type { Actor } from '@edu/grpc';
import type { StartThreadRequest } from '@edu/proto/dist/generated/edu/notifications/v1/StartThreadRequest';
import type { Thread__Output } from '@edu/proto/dist/generated/edu/notifications/v1/Thread';
import { lastEndedRound, roundOf } from '../../src/domain/progress';
import {
  ANNA,
  BORIS,
  CLASS_A,
  CLASS_B,
  DEPUTY,
  IVAN,
  NOW,
  OLGA,
  PETR,
  SCHOOL,
  TEACHER_A,
  TEACHER_B,
  VERA,
  attendanceRecorded,
  mark,
  marksPosted,
  seedEvents,
} from '../unit/source-fixtures';
import {
  personActor,
  refusal,
  staffActor,
  startNotifications,
  type NotificationsHarness,
  type Source,
} from './harness';

// Messaging (R7.1) and the biweekly progress reports (R7.2) over gRPC, against the real Kafka and
// FerretDB: who may write to whom comes from the roster's copies, every refusal stores nothing, and
// the clock is the test's (the edit window, the end of a round).

let h: NotificationsHarness;

const DIRECTOR = 'director-1';
const teacherA = staffActor(SCHOOL, 'teacher', TEACHER_A);
const teacherB = staffActor(SCHOOL, 'teacher', TEACHER_B);
const director = staffActor(SCHOOL, 'director', DIRECTOR);

const sourceOf = (event: EventEnvelope<unknown>): Source => event.type.split('.')[1] as Source;

async function publishAll(events: EventEnvelope<unknown>[]): Promise<void> {
  for (const source of ['roster', 'schedule', 'gradebook'] as const) {
    const theirs = events.filter((e) => sourceOf(e) === source);
    if (theirs.length > 0) await h.publish(source, theirs);
  }
}

const inbox = async (personId: string) =>
  (
    await h.client.ListInbox(
      { unread_only: false, limit: 200, cursor: '' },
      await h.as(personActor(personId)),
    )
  ).notifications;

const inboxIds = async (personId: string) => (await inbox(personId)).map((n) => n.notification_id);

const threads = async (actor: Actor) =>
  h.client.ListThreads({ query: '', unread_only: false, limit: 0, cursor: '' }, await h.as(actor));

const threadIds = async (actor: Actor) => (await threads(actor)).threads.map((t) => t.thread_id);

/** A conversation of ANNA's with the class teacher about IVAN, unless told otherwise. */
function conversation(overrides: Partial<StartThreadRequest> = {}): StartThreadRequest {
  return {
    school_id: SCHOOL,
    kind: 'conversation',
    subject: 'Контрольная по математике',
    participant_ids: [TEACHER_A],
    student_id: IVAN,
    audience: '',
    text: 'Здравствуйте! Можно ли переписать контрольную?',
    attachments: [],
    ...overrides,
  };
}

const start = async (actor: Actor, request: StartThreadRequest) =>
  h.client.StartThread(request, await h.as(actor));

const getThread = async (actor: Actor, threadId: string) =>
  h.client.GetThread({ thread_id: threadId }, await h.as(actor));

/**
 * The call's refusal, checking that it left no trace: the caller's threads and the inboxes of the
 * people it would have reached are as they were.
 */
async function refusedWithoutTrace(actor: Actor, reached: string[], call: () => Promise<unknown>) {
  const threadsBefore = await threadIds(actor);
  const inboxesBefore = await Promise.all(reached.map(inboxIds));
  const error = await refusal(call());
  expect(await threadIds(actor)).toEqual(threadsBefore);
  expect(await Promise.all(reached.map(inboxIds))).toEqual(inboxesBefore);
  return error;
}

beforeAll(async () => {
  h = await startNotifications({ start: NOW });
  await publishAll(seedEvents());
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('messaging: who may start a conversation', () => {
  it('refuses a guardian writing to a teacher who does not teach her child', async () => {
    const vera = personActor(VERA);
    const error = await refusedWithoutTrace(vera, [TEACHER_B], () =>
      start(vera, conversation({ participant_ids: [TEACHER_B], student_id: OLGA })),
    );
    expect(error.codeName).toBe('PERMISSION_DENIED');
    expect(error.domainError?.code).toBe('access.denied');
    expect(await threadIds(vera)).toEqual([]);
    expect(await inbox(TEACHER_B)).toEqual([]);
    // A refusal is a security event.
    expect(h.logs()).toContainEqual(
      expect.objectContaining({ event: 'access_denied', accountId: `acc-${VERA}` }),
    );
  });

  it("refuses a guardian writing about someone else's child", async () => {
    const anna = personActor(ANNA);
    const error = await refusedWithoutTrace(anna, [TEACHER_A], () =>
      start(anna, conversation({ student_id: OLGA })),
    );
    expect(error.codeName).toBe('PERMISSION_DENIED');
    expect(await threadIds(anna)).toEqual([]);
    expect(await inbox(TEACHER_A)).toEqual([]);
  });

  it('refuses a guardian whose link to the child has no consent', async () => {
    const boris = personActor(BORIS);
    const error = await refusedWithoutTrace(boris, [TEACHER_A], () => start(boris, conversation()));
    expect(error.codeName).toBe('PERMISSION_DENIED');
    expect(await threadIds(boris)).toEqual([]);
    expect(await inbox(TEACHER_A)).toEqual([]);
  });

  it('refuses a student writing to their teacher while the school does not allow it', async () => {
    const ivan = personActor(IVAN);
    const error = await refusedWithoutTrace(ivan, [TEACHER_A], () =>
      start(ivan, conversation({ student_id: '', subject: 'Вопрос по домашнему заданию' })),
    );
    expect(error.codeName).toBe('PERMISSION_DENIED');
    expect(await threadIds(ivan)).toEqual([]);
    expect(await inbox(TEACHER_A)).toEqual([]);
  });

  it('refuses an empty text and a too long subject naming both fields, and stores nothing', async () => {
    const anna = personActor(ANNA);
    const error = await refusedWithoutTrace(anna, [TEACHER_A], () =>
      start(anna, conversation({ subject: 'Т'.repeat(201), text: '   ' })),
    );
    expect(error.codeName).toBe('INVALID_ARGUMENT');
    expect(error.domainError?.code).toBe('messaging.invalid');
    expect(error.domainError?.errors?.map((e) => e.field).sort()).toEqual(['subject', 'text']);
    expect(await threadIds(anna)).toEqual([]);
    expect(await inbox(TEACHER_A)).toEqual([]);
  });
});

describe('messaging: a conversation between a guardian and the class teacher', () => {
  let thread: Thread__Output;

  it('starts a conversation of a guardian with her child’s class teacher and tells the teacher', async () => {
    thread = await start(personActor(ANNA), conversation());
    expect(thread).toMatchObject({
      school_id: SCHOOL,
      kind: 'conversation',
      subject: 'Контрольная по математике',
      student_id: IVAN,
      audience: '',
      reported: false,
      last_message_at: NOW.toISOString(),
    });
    expect(thread.thread_id).not.toBe('');
    expect(thread.participants).toEqual([
      { person_id: ANNA, display_name: 'Иванова Анна', role: 'guardian' },
      { person_id: TEACHER_A, display_name: 'Кузнецова Мария Петровна', role: 'class_teacher' },
    ]);
    expect(thread.messages).toHaveLength(1);
    expect(thread.messages[0]).toMatchObject({
      author_id: ANNA,
      author_name: 'Иванова Анна',
      text: 'Здравствуйте! Можно ли переписать контрольную?',
      sent_at: NOW.toISOString(),
      edited_at: '',
      deleted: false,
      read_by: [],
    });

    const told = (await inbox(TEACHER_A)).filter((n) => n.trigger === 'message_received');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      link: `thread:${thread.thread_id}`,
      title: 'Новое сообщение: Контрольная по математике',
      student_id: IVAN,
      school_id: SCHOOL,
      read_at: '',
    });
    expect(told[0]!.body).toBe('Иванова Анна: Здравствуйте! Можно ли переписать контрольную?');
    // The author is not told of her own message.
    expect(await inbox(ANNA)).toEqual([]);
  });

  it("lists the thread in the teacher's threads with one unread message, without its messages", async () => {
    const list = await threads(teacherA);
    expect(list.unread).toBe(1);
    expect(list.next_cursor).toBe('');
    expect(list.threads.map((t) => t.thread_id)).toEqual([thread.thread_id]);
    expect(list.threads[0]).toMatchObject({ unread: 1, messages: [] });
    // For the author it is read.
    const annas = await threads(personActor(ANNA));
    expect(annas.threads.map((t) => [t.thread_id, t.unread])).toEqual([[thread.thread_id, 0]]);
  });

  it('marks the messages read when the teacher opens the thread, with a read receipt for the author', async () => {
    const opened = await getThread(teacherA, thread.thread_id);
    expect(opened.unread).toBe(0);
    expect(opened.messages[0]!.read_by).toEqual([{ person_id: TEACHER_A, read_at: NOW.toISOString() }]);
    const list = await threads(teacherA);
    expect(list.unread).toBe(0);
    expect(list.threads[0]!.unread).toBe(0);

    const annas = await getThread(personActor(ANNA), thread.thread_id);
    expect(annas.messages[0]!.read_by.map((r) => r.person_id)).toEqual([TEACHER_A]);
  });

  it('tells the guardian of the teacher’s reply', async () => {
    const replied = await h.client.PostMessage(
      { thread_id: thread.thread_id, text: 'Да, в четверг после уроков.', attachments: [] },
      await h.as(teacherA),
    );
    expect(replied.messages.map((m) => m.author_id)).toEqual([ANNA, TEACHER_A]);
    const told = (await inbox(ANNA)).filter((n) => n.trigger === 'message_received');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      link: `thread:${thread.thread_id}`,
      body: 'Кузнецова Мария Петровна: Да, в четверг после уроков.',
      student_id: IVAN,
    });
    const annas = await threads(personActor(ANNA));
    expect(annas.unread).toBe(1);
  });

  it('refuses a stranger reading a thread they are not in', async () => {
    const vera = personActor(VERA);
    const error = await refusal(getThread(vera, thread.thread_id));
    expect(error.codeName).toBe('PERMISSION_DENIED');
    // Reading it did not make it hers, nor mark anything read for her.
    expect(await threadIds(vera)).toEqual([]);
    const stored = await h.service.store().get('threads', thread.thread_id);
    expect(stored!.messages.flatMap((m) => m.readBy.map((r) => r.personId))).not.toContain(VERA);
  });

  it('lets the director read the thread only after a participant reported it, and tells the administration', async () => {
    const denied = await refusal(getThread(director, thread.thread_id));
    expect(denied.codeName).toBe('PERMISSION_DENIED');
    expect((await inbox(DIRECTOR)).filter((n) => n.link === `thread:${thread.thread_id}`)).toEqual([]);

    const reported = await h.client.ReportThread(
      { thread_id: thread.thread_id, reason: 'Грубый тон в ответах' },
      await h.as(personActor(ANNA)),
    );
    expect(reported.reported).toBe(true);
    expect(reported.reported_at).toBe(NOW.toISOString());

    const read = await getThread(director, thread.thread_id);
    expect(read.thread_id).toBe(thread.thread_id);
    expect(read.messages.map((m) => m.text)).toEqual([
      'Здравствуйте! Можно ли переписать контрольную?',
      'Да, в четверг после уроков.',
    ]);
    // The administration only reads: it takes no part and leaves no read receipts.
    expect(read.participants.map((p) => p.person_id)).toEqual([ANNA, TEACHER_A]);
    expect(read.messages.flatMap((m) => m.read_by.map((r) => r.person_id))).not.toContain(DIRECTOR);
    expect(await threadIds(director)).toEqual([]);

    // The director and the deputy are told (the dismissed deputy is not).
    for (const head of [DIRECTOR, DEPUTY]) {
      const told = (await inbox(head)).filter((n) => n.link === `thread:${thread.thread_id}`);
      expect(told).toHaveLength(1);
      expect(told[0]).toMatchObject({ trigger: 'message_received', title: 'Жалоба на переписку' });
      expect(told[0]!.body).toContain('Грубый тон в ответах');
    }
    expect(await inbox('deputy-old')).toEqual([]);
    // A teacher who is no head of the school still may not read it.
    expect((await refusal(getThread(teacherB, thread.thread_id))).codeName).toBe('PERMISSION_DENIED');
  });

  it('refuses deleting a message the other side has read', async () => {
    const first = (await getThread(personActor(ANNA), thread.thread_id)).messages[0]!;
    const error = await refusal(
      h.client.DeleteMessage(
        { thread_id: thread.thread_id, message_id: first.message_id },
        await h.as(personActor(ANNA)),
      ),
    );
    expect(error.domainError?.code).toBe('messaging.already_read');
    expect(error.codeName).toBe('FAILED_PRECONDITION');
    const after = await getThread(personActor(ANNA), thread.thread_id);
    expect(after.messages[0]).toMatchObject({ deleted: false, text: first.text });
  });

  it('deletes a message nobody has read yet, keeping its place in the thread', async () => {
    const anna = await h.as(personActor(ANNA));
    const posted = await h.client.PostMessage(
      { thread_id: thread.thread_id, text: 'Ой, это не вам.', attachments: [] },
      anna,
    );
    const message = posted.messages.at(-1)!;
    expect((await threads(teacherA)).unread).toBe(1);
    const deleted = await h.client.DeleteMessage(
      { thread_id: thread.thread_id, message_id: message.message_id },
      anna,
    );
    expect(deleted.messages.at(-1)).toMatchObject({
      message_id: message.message_id,
      author_id: ANNA,
      deleted: true,
      text: '',
    });
    // The teacher has nothing unread left, and sees the message as deleted.
    expect((await threads(teacherA)).unread).toBe(0);
    const teachers = await getThread(teacherA, thread.thread_id);
    expect(teachers.messages.at(-1)).toMatchObject({ deleted: true, text: '', read_by: [] });
  });

  it('edits a message within 15 minutes, and refuses after', async () => {
    const anna = await h.as(personActor(ANNA));
    const posted = await h.client.PostMessage(
      { thread_id: thread.thread_id, text: 'Спасибо, придём в четвег.', attachments: [] },
      anna,
    );
    const message = posted.messages.at(-1)!;
    const sentAt = Date.parse(message.sent_at);
    expect(message.sent_at).toBe(h.clock.now.toISOString());

    h.clock.now = new Date(sentAt + 14 * 60_000);
    const edited = await h.client.EditMessage(
      { thread_id: thread.thread_id, message_id: message.message_id, text: 'Спасибо, придём в четверг.' },
      anna,
    );
    expect(edited.messages.at(-1)).toMatchObject({
      message_id: message.message_id,
      text: 'Спасибо, придём в четверг.',
      edited_at: h.clock.now.toISOString(),
      sent_at: message.sent_at,
    });

    h.clock.now = new Date(sentAt + 16 * 60_000);
    const error = await refusal(
      h.client.EditMessage(
        { thread_id: thread.thread_id, message_id: message.message_id, text: 'Исправлено ещё раз' },
        anna,
      ),
    );
    expect(error.codeName).toBe('FAILED_PRECONDITION');
    expect(error.domainError?.code).toBe('messaging.edit_window_passed');
    const after = await getThread(personActor(ANNA), thread.thread_id);
    expect(after.messages.at(-1)!.text).toBe('Спасибо, придём в четверг.');

    // Nobody edits another's message.
    const teachers = after.messages.find((m) => m.author_id === TEACHER_A)!;
    const foreign = await refusal(
      h.client.EditMessage(
        { thread_id: thread.thread_id, message_id: teachers.message_id, text: 'Подделка' },
        anna,
      ),
    );
    expect(foreign.codeName).toBe('PERMISSION_DENIED');
  });
});

describe('messaging: class announcements and the school’s settings', () => {
  let announcement: Thread__Output;

  it("reaches the class's guardians with consent, and nobody else", async () => {
    const inboxesBefore = new Map<string, number>();
    for (const id of [ANNA, VERA, BORIS, IVAN, OLGA]) inboxesBefore.set(id, (await inbox(id)).length);
    announcement = await start(teacherA, {
      school_id: SCHOOL,
      kind: 'announcement',
      subject: 'Родительское собрание',
      participant_ids: [],
      student_id: '',
      audience: `class:${CLASS_A}`,
      text: 'Собрание в четверг в 18:00, кабинет 214.',
      attachments: [],
    });
    expect(announcement.kind).toBe('announcement');
    expect(announcement.audience).toBe(`class:${CLASS_A}`);
    // It reached the class's guardians with consent (a response lists only its author and the caller).
    expect(announcement.participants.map((p) => p.person_id)).toEqual([TEACHER_A]);
    const stored = await h.service.store().get('threads', announcement.thread_id);
    expect(stored!.participants).toEqual([
      { personId: TEACHER_A, role: 'class_teacher' },
      { personId: ANNA, role: 'guardian' },
      { personId: VERA, role: 'guardian' },
    ]);

    for (const guardian of [ANNA, VERA]) {
      const told = (await inbox(guardian)).filter((n) => n.link === `thread:${announcement.thread_id}`);
      expect(told).toHaveLength(1);
      expect(told[0]).toMatchObject({
        trigger: 'message_received',
        title: 'Новое сообщение: Родительское собрание',
      });
      expect(await threadIds(personActor(guardian))).toContain(announcement.thread_id);
    }
    for (const other of [BORIS, IVAN, OLGA]) {
      expect((await inbox(other)).length).toBe(inboxesBefore.get(other));
      expect(await threadIds(personActor(other))).not.toContain(announcement.thread_id);
    }
    expect((await refusal(getThread(personActor(BORIS), announcement.thread_id))).codeName).toBe(
      'PERMISSION_DENIED',
    );
  });

  it('shows a guardian only the author and herself, its author who read it, and takes no replies', async () => {
    await getThread(personActor(VERA), announcement.thread_id);
    const annas = await getThread(personActor(ANNA), announcement.thread_id);
    expect(annas.participants.map((p) => p.person_id)).toEqual([TEACHER_A, ANNA]);
    expect(annas.messages[0]!.read_by.map((r) => r.person_id)).toEqual([ANNA]);
    const authors = await getThread(teacherA, announcement.thread_id);
    expect(authors.messages[0]!.read_by.map((r) => r.person_id)).toEqual([VERA, ANNA]);

    const veraInbox = await inboxIds(VERA);
    const error = await refusal(
      h.client.PostMessage(
        { thread_id: announcement.thread_id, text: 'А можно перенести?', attachments: [] },
        await h.as(personActor(ANNA)),
      ),
    );
    expect(error.codeName).toBe('PERMISSION_DENIED');
    expect(error.domainError?.code).toBe('messaging.replies_off');
    expect((await getThread(teacherA, announcement.thread_id)).messages).toHaveLength(1);
    expect(await inboxIds(VERA)).toEqual(veraInbox);
  });

  it('lets the director, not a teacher, allow students to write; then a student may write to the class teacher', async () => {
    const settingsOf = async (actor: Actor) =>
      h.client.GetMessagingSettings({ school_id: SCHOOL }, await h.as(actor));
    expect(await settingsOf(teacherA)).toMatchObject({ students_may_write: false });
    const request = {
      settings: { school_id: SCHOOL, students_may_write: true, version: '0' },
      expected_version: '0',
    };

    const denied = await refusal(h.client.SetMessagingSettings(request, await h.as(teacherA)));
    expect(denied.codeName).toBe('PERMISSION_DENIED');
    expect(await settingsOf(teacherA)).toMatchObject({ students_may_write: false });

    const set = await h.client.SetMessagingSettings(request, await h.as(director));
    expect(set).toMatchObject({ school_id: SCHOOL, students_may_write: true });
    expect(Number(set.version)).toBe(1);
    expect(await settingsOf(teacherA)).toMatchObject({ students_may_write: true });

    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    const teacherInbox = (await inbox(TEACHER_A)).length;
    const thread = await start(
      personActor(IVAN),
      conversation({ student_id: '', subject: 'Вопрос по домашнему заданию', text: 'Какие задачи решать?' }),
    );
    expect(thread.student_id).toBe(IVAN);
    expect(thread.participants.map((p) => [p.person_id, p.role])).toEqual([
      [IVAN, 'student'],
      [TEACHER_A, 'class_teacher'],
    ]);
    const told = await inbox(TEACHER_A);
    expect(told).toHaveLength(teacherInbox + 1);
    expect(told[0]).toMatchObject({ trigger: 'message_received', link: `thread:${thread.thread_id}` });
    // A student still writes only to their own teachers.
    const other = await refusal(
      start(personActor(IVAN), conversation({ student_id: '', participant_ids: [TEACHER_B] })),
    );
    expect(other.codeName).toBe('PERMISSION_DENIED');
  });

  it('pages through the teacher’s threads, newest activity first, and finds them by words', async () => {
    const actor = await h.as(teacherA);
    const list = (request: { query?: string; unread_only?: boolean; limit?: number; cursor?: string }) =>
      h.client.ListThreads({ query: '', unread_only: false, limit: 0, cursor: '', ...request }, actor);
    const pages: string[][] = [];
    let cursor = '';
    do {
      const page = await list({ limit: 1, cursor });
      pages.push(page.threads.map((t) => t.subject));
      cursor = page.next_cursor;
    } while (cursor && pages.length < 10);
    expect(pages).toEqual([
      ['Вопрос по домашнему заданию'],
      ['Родительское собрание'],
      ['Контрольная по математике'],
    ]);
    const subjects = async (request: { query?: string; unread_only?: boolean }) =>
      (await list(request)).threads.map((t) => t.subject);
    // Words are found in subjects and texts, whatever their case; every word must be there.
    expect(await subjects({ query: 'четверг' })).toEqual([
      'Родительское собрание',
      'Контрольная по математике',
    ]);
    expect(await subjects({ query: 'ЧЕТВЕРГ уроков' })).toEqual(['Контрольная по математике']);
    expect(await subjects({ query: 'собрание' })).toEqual(['Родительское собрание']);
    // A deleted message's text is gone.
    expect(await subjects({ query: 'не вам' })).toEqual([]);
    // Ivan's question and Anna's thanks are unread; the teacher's own announcement is not.
    expect(await subjects({ unread_only: true })).toEqual([
      'Вопрос по домашнему заданию',
      'Контрольная по математике',
    ]);
    const bad = await refusal(list({ cursor: 'страница 2' }));
    expect(bad.codeName).toBe('INVALID_ARGUMENT');
    expect(bad.domainError?.errors?.map((e) => e.field)).toEqual(['cursor']);
  });
});

describe('progress reports', () => {
  // The round the marks fall in: the one running at NOW, which ends on a Sunday.
  const round = roundOf('2026-11-18');
  /** 00:30 in Moscow on the Monday after the round (still Sunday in UTC). */
  const afterRound = new Date(`${round.endsOn}T21:30:00.000Z`);

  const reportsOf = async (personId: string) =>
    (await inbox(personId)).filter((n) => n.trigger === 'progress_report');

  const listReports = async (actor: Actor, roundStartsOn = round.startsOn) =>
    h.client.ListProgressReports({ class_id: CLASS_A, round_starts_on: roundStartsOn }, await h.as(actor));

  beforeAll(async () => {
    expect(round).toEqual({ startsOn: '2026-11-16', endsOn: '2026-11-29' });
    expect(lastEndedRound('2026-11-30')).toEqual(round);
    await publishAll([
      marksPosted([mark(IVAN, '5', 'm-r-1'), mark(OLGA, '3', 'm-r-2')], {
        lessonId: 'l-r-1',
        date: '2026-11-17',
      }),
      marksPosted([mark(IVAN, '4', 'm-r-3')], { lessonId: 'l-r-2', date: '2026-11-19' }),
      // Before the round: not in its report.
      marksPosted([mark(IVAN, '2', 'm-r-0')], { lessonId: 'l-r-0', date: '2026-11-13' }),
      attendanceRecorded([{ studentId: IVAN, kind: 'absent', reason: 'unexcused' }], [], {
        lessonId: 'l-r-3',
        date: '2026-11-18',
      }),
    ]);
  }, 60_000);

  it("does not report a round that has not ended in the school's time zone", async () => {
    // 23:30 in Moscow on the round's last day: the round before is reported, not this one.
    h.clock.now = new Date(`${round.endsOn}T20:30:00.000Z`);
    await h.service.runProgressReports();
    const annas = await reportsOf(ANNA);
    expect(annas.length).toBeGreaterThan(0);
    for (const report of annas) expect(report.link).not.toContain(`:${round.startsOn}:`);
  });

  it('tells each guardian with consent of each child once the round has ended, and nobody twice', async () => {
    const before = new Map<string, number>();
    for (const id of [ANNA, VERA, BORIS]) before.set(id, (await reportsOf(id)).length);
    h.clock.now = afterRound;
    // Ivan's and Olga's (5А) and Petr's (5Б) guardians with consent.
    expect(await h.service.runProgressReports()).toBe(3);

    const inRound = async (personId: string) =>
      (await reportsOf(personId)).filter((n) => n.link.includes(`:${round.startsOn}:`));
    const annas = await inRound(ANNA);
    expect(annas.map((n) => n.student_id).sort()).toEqual([IVAN, PETR].sort());
    const ivans = annas.find((n) => n.student_id === IVAN)!;
    expect(ivans.link).toBe(`report:${CLASS_A}:${round.startsOn}:${IVAN}`);
    expect(ivans.title).toContain('Иванов Иван');
    // The mark of 13.11 belongs to the round before.
    expect(ivans.body.split('\n')).toContain('Математика: 5, 4 — средний балл 4,5');
    expect(ivans.body).toContain('Пропущено: 1 урок, из них без уважительной причины: 1.');
    const petrs = annas.find((n) => n.student_id === PETR)!;
    expect(petrs.link).toBe(`report:${CLASS_B}:${round.startsOn}:${PETR}`);
    expect(petrs.body).toContain('Отметок за эти две недели нет.');

    const veras = await inRound(VERA);
    expect(veras.map((n) => n.student_id)).toEqual([OLGA]);
    expect(veras[0]!.body).toContain('Математика: 3 — средний балл 3');
    expect(veras[0]!.body).not.toContain('Иванов');
    expect(await reportsOf(BORIS)).toHaveLength(before.get(BORIS)!);

    // A second run (the timer's next tick) tells nobody again.
    const counts = async () =>
      Promise.all([ANNA, VERA, BORIS].map(async (id) => (await reportsOf(id)).length));
    const after = await counts();
    expect(await h.service.runProgressReports()).toBe(0);
    expect(await counts()).toEqual(after);
  });

  it('shows the class teacher who was sent a report and who has not opened it', async () => {
    const list = await listReports(teacherA);
    expect(list).toMatchObject({
      class_id: CLASS_A,
      round_starts_on: round.startsOn,
      round_ends_on: round.endsOn,
      not_opened: 2,
    });
    expect(list.rows.map((r) => [r.student_id, r.student_name, r.guardian_id, r.guardian_name])).toEqual([
      [IVAN, 'Иванов Иван', ANNA, 'Иванова Анна'],
      [OLGA, 'Смирнова Ольга', VERA, 'Смирнова Вера'],
    ]);
    for (const row of list.rows)
      expect(row).toMatchObject({ sent_at: afterRound.toISOString(), opened_at: '' });
    // The latest ended round is the default.
    expect(await listReports(teacherA, '')).toEqual(list);
  });

  it('counts a report opened once its guardian reads it', async () => {
    const report = (await reportsOf(ANNA)).find(
      (n) => n.link === `report:${CLASS_A}:${round.startsOn}:${IVAN}`,
    )!;
    h.clock.now = new Date(afterRound.getTime() + 3_600_000);
    await h.client.MarkRead(
      { notification_ids: [report.notification_id], all: false },
      await h.as(personActor(ANNA)),
    );
    const list = await listReports(teacherA);
    expect(list.not_opened).toBe(1);
    const ivans = list.rows.find((r) => r.student_id === IVAN)!;
    expect(ivans.opened_at).toBe(h.clock.now.toISOString());
    expect(list.rows.find((r) => r.student_id === OLGA)!.opened_at).toBe('');
  });

  it("refuses another class's teacher and a malformed round", async () => {
    const denied = await refusal(listReports(teacherB));
    expect(denied.codeName).toBe('PERMISSION_DENIED');

    for (const bad of ['2026-13-01', '16.11.2026', '2026-11-18']) {
      const error = await refusal(listReports(teacherA, bad));
      expect(error.codeName).toBe('INVALID_ARGUMENT');
      expect(error.domainError?.code).toBe('progress.invalid');
      expect(error.domainError?.errors?.map((e) => e.field)).toEqual(['round_starts_on']);
    }
  });
});
