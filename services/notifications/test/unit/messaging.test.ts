import { DomainError } from '@edu/kit';
import { MAX_ATTACHMENT_BYTES } from '../../src/domain/attachments';
import {
  deleteMessage,
  editMessage,
  getMessagingSettings,
  getThread,
  listThreads,
  postMessage,
  reportThread,
  setMessagingSettings,
  startThread,
  type MessagingDeps,
} from '../../src/domain/messaging';
import type { MessagingActor } from '../../src/domain/messaging-access';
import type { NotificationIntent } from '../../src/domain/model';
import type { UnitRunner } from '../../src/domain/ports';
import type { MemoryDocs } from './memory-copies';
import {
  ANNA,
  ART,
  BORIS,
  CLASS_A,
  DEP,
  DIR,
  GLEB,
  IVAN,
  LENA,
  MATH,
  NOW,
  OLD_DEP,
  OLGA,
  OTHER,
  S1,
  S2,
  SEC,
  T_A,
  T_B,
  VERA,
  ZOE_MUM,
  actors,
  announcement,
  conversation,
  messagingDeps,
  pdf,
  seededDocs,
} from './messaging-fixtures';

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

function recipientsOf(intents: NotificationIntent[]): string[] {
  return intents.map((i) => i.recipientId).sort();
}

/** Every stored document (a read of a collection never written leaves an empty one in MemoryDocs). */
function stored(docs: MemoryDocs): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(docs.snapshot()).filter(([, all]) => all.length > 0));
}

function minutesAfterNow(minutes: number): Date {
  return new Date(Date.parse(NOW) + minutes * 60_000);
}

describe('messaging', () => {
  let docs: MemoryDocs;
  let deps: MessagingDeps;
  let told: NotificationIntent[];
  let clock: { now: Date };
  let env: ReturnType<typeof messagingDeps>;

  beforeEach(() => {
    docs = seededDocs();
    env = messagingDeps(docs);
    ({ deps, told, clock } = env);
  });

  /** Asserts the call is refused with `code` and stores nothing. */
  async function expectRefused(
    call: () => Promise<unknown>,
    code: string,
    kind?: string,
  ): Promise<DomainError> {
    const before = stored(docs);
    const error = await refusal(call());
    expect(error.code).toBe(code);
    if (kind) expect(error.kind).toBe(kind);
    expect(stored(docs)).toEqual(before);
    return error;
  }

  async function annaAsksClassTeacher() {
    const view = await startThread(deps, actors.anna, conversation());
    told.length = 0;
    return view.thread;
  }

  describe('conversations a guardian starts', () => {
    it('reaches the class teacher of their child, who is told and has it unread', async () => {
      const view = await startThread(deps, actors.anna, conversation());
      const thread = view.thread;
      expect(thread).toMatchObject({
        _id: 'id-1',
        schoolId: S1,
        kind: 'conversation',
        subject: 'Контрольная по математике',
        studentId: IVAN,
        audience: '',
        participants: [
          { personId: ANNA, role: 'guardian' },
          { personId: T_A, role: 'class_teacher' },
        ],
        createdAt: NOW,
        lastMessageAt: NOW,
        reported: false,
      });
      expect(thread.messages).toEqual([
        {
          id: 'id-2',
          authorId: ANNA,
          text: 'Добрый день! Когда можно переписать контрольную?',
          attachments: [],
          sentAt: NOW,
          editedAt: '',
          deleted: false,
          readBy: [],
        },
      ]);
      expect(docs.all('threads')).toHaveLength(1);
      expect(docs.all('threadIndex')).toEqual([
        { _id: ANNA, threads: [{ threadId: 'id-1', lastMessageAt: NOW, unread: 0 }] },
        { _id: T_A, threads: [{ threadId: 'id-1', lastMessageAt: NOW, unread: 1 }] },
      ]);
      // Published: that a message was posted and to how many — not its text.
      expect(env.published).toEqual([
        {
          kind: 'messagePosted',
          threadId: 'id-1',
          schoolId: S1,
          messageId: 'id-2',
          authorId: ANNA,
          threadKind: 'conversation',
          studentId: IVAN,
          number: 1,
          recipients: 1,
          sentAt: NOW,
        },
      ]);
      expect(told).toEqual([
        {
          eventId: 'id-2',
          trigger: 'message_received',
          recipientId: T_A,
          studentId: IVAN,
          schoolId: S1,
          schoolName: 'Школа № 1',
          timeZone: 'Europe/Moscow',
          title: 'Новое сообщение: Контрольная по математике',
          body: 'Иванова Анна: Добрый день! Когда можно переписать контрольную?',
          link: 'thread:id-1',
          occurredAt: NOW,
        },
      ]);
      expect(view.names.get(T_A)).toBe('Иванова А. П.');
      expect(view.unread).toBe(0);
    });

    it('reaches a subject teacher of the child’s class and the school’s administration', async () => {
      const view = await startThread(deps, actors.anna, conversation({ participantIds: [MATH, DIR] }));
      expect(view.thread.participants).toEqual([
        { personId: ANNA, role: 'guardian' },
        { personId: MATH, role: 'teacher' },
        { personId: DIR, role: 'administration' },
      ]);
      expect(recipientsOf(told)).toEqual([DIR, MATH].sort());
    });

    it('quotes at most 200 characters of the text in the notification', async () => {
      await startThread(deps, actors.anna, conversation({ text: 'я'.repeat(300) }));
      expect(told[0]!.body).toBe(`Иванова Анна: ${'я'.repeat(200)}…`);
    });

    it.each([
      ['a teacher of another child’s class', conversation({ participantIds: [T_B] })],
      ['someone else’s child', conversation({ participantIds: [T_B], studentId: OLGA })],
      ['no child named', conversation({ studentId: '' })],
      ['a child unknown to the copies', conversation({ studentId: 'p-nobody' })],
      ['another guardian', conversation({ participantIds: [VERA] })],
      ['a dismissed deputy', conversation({ participantIds: [OLD_DEP] })],
      ['a person unknown to the copies', conversation({ participantIds: ['p-ghost'] })],
      ['one allowed and one forbidden person', conversation({ participantIds: [T_A, T_B] })],
      ['the child’s teacher in another school', conversation({ participantIds: [OTHER], schoolId: S2 })],
    ])('is refused when writing to %s', async (_what, input) => {
      await expectRefused(() => startThread(deps, actors.anna, input), 'access.denied', 'forbidden');
      expect(told).toEqual([]);
    });

    it('is refused to a guardian whose link has ended', async () => {
      await expectRefused(() => startThread(deps, actors.boris, conversation()), 'access.denied');
    });

    it('is refused to an account without a person', async () => {
      const operator: MessagingActor = { accountId: 'acc-op', schoolRoles: [], grants: ['regionOperator'] };
      await expectRefused(() => startThread(deps, operator, conversation()), 'access.denied');
    });
  });

  describe('conversations a student starts', () => {
    const toMath = conversation({ participantIds: [MATH], studentId: '' });

    it('is refused while the school has not allowed students to write', async () => {
      await expectRefused(() => startThread(deps, actors.ivan, toMath), 'access.denied');
    });

    it('reaches their teachers once the school allows it, about themselves', async () => {
      docs.put('messagingSettings', { _id: S1, studentsMayWrite: true, version: 1 });
      const view = await startThread(deps, actors.ivan, toMath);
      expect(view.thread.studentId).toBe(IVAN);
      expect(view.thread.participants).toEqual([
        { personId: IVAN, role: 'student' },
        { personId: MATH, role: 'teacher' },
      ]);
      expect(recipientsOf(told)).toEqual([MATH]);
    });

    it('never reaches anyone but their teachers', async () => {
      docs.put('messagingSettings', { _id: S1, studentsMayWrite: true, version: 1 });
      for (const to of [T_B, DIR, ANNA]) {
        await expectRefused(
          () => startThread(deps, actors.ivan, conversation({ participantIds: [to], studentId: '' })),
          'access.denied',
        );
      }
    });
  });

  describe('conversations staff start', () => {
    it('lets a teacher write to the guardian of a student they teach', async () => {
      const view = await startThread(deps, actors.math, conversation({ participantIds: [ANNA] }));
      expect(view.thread.participants).toEqual([
        { personId: MATH, role: 'teacher' },
        { personId: ANNA, role: 'guardian' },
      ]);
      expect(recipientsOf(told)).toEqual([ANNA]);
    });

    it.each([
      [
        'a guardian of a student they do not teach',
        conversation({ participantIds: [VERA], studentId: OLGA }),
      ],
      ['a guardian whose link has ended', conversation({ participantIds: [BORIS] })],
      ['a guardian without naming the student', conversation({ participantIds: [ANNA], studentId: '' })],
      ['staff of another school', conversation({ participantIds: [OTHER], studentId: '' })],
    ])('refuses a teacher writing to %s', async (_what, input) => {
      await expectRefused(() => startThread(deps, actors.math, input), 'access.denied');
    });

    it('lets staff write to staff of their school', async () => {
      const view = await startThread(
        deps,
        actors.sec,
        conversation({ participantIds: [DIR, ART], studentId: '' }),
      );
      expect(view.thread.participants).toEqual([
        { personId: SEC, role: 'teacher' },
        { personId: DIR, role: 'administration' },
        { personId: ART, role: 'teacher' },
      ]);
    });

    it('refuses staff of another school', async () => {
      await expectRefused(
        () => startThread(deps, actors.other, conversation({ participantIds: [T_A], studentId: '' })),
        'access.denied',
      );
    });
  });

  describe('announcements', () => {
    it('from the class teacher reach the active guardians of the class’s current students', async () => {
      const view = await startThread(deps, actors.tA, announcement(`class:${CLASS_A}`));
      expect(view.thread.kind).toBe('announcement');
      expect(view.thread.audience).toBe(`class:${CLASS_A}`);
      const stored = docs.all('threads')[0]!;
      expect(stored.participants).toEqual([
        { personId: T_A, role: 'class_teacher' },
        { personId: ANNA, role: 'guardian' },
        { personId: GLEB, role: 'guardian' },
      ]);
      // Boris's link ended; Lena's child has left the class.
      expect(recipientsOf(told)).toEqual([ANNA, GLEB].sort());
      expect(told.every((i) => i.studentId === '')).toBe(true);
      expect(docs.all('threadIndex').map((i) => i._id)).toEqual([ANNA, GLEB, T_A].sort());
    });

    it('from the administration may go to a class', async () => {
      const view = await startThread(deps, actors.dir, announcement(`class:${CLASS_A}`));
      expect(view.thread.participants[0]).toEqual({ personId: DIR, role: 'administration' });
    });

    it('to the school reach the guardians of every open class and the staff', async () => {
      await startThread(deps, actors.dir, announcement(`school:${S1}`));
      // Not the dismissed deputy, not the closed class's guardian, not the author.
      expect(recipientsOf(told)).toEqual([ANNA, ART, DEP, GLEB, MATH, SEC, T_A, T_B, VERA].sort());
      expect(recipientsOf(told)).not.toContain(ZOE_MUM);
      expect(recipientsOf(told)).not.toContain(LENA);
      expect(recipientsOf(told)).not.toContain(OLD_DEP);
    });

    it.each([
      ['a subject teacher to the class', () => actors.math, `class:${CLASS_A}`],
      ['another class’s teacher to the class', () => actors.tB, `class:${CLASS_A}`],
      ['a guardian to the class', () => actors.anna, `class:${CLASS_A}`],
      ['a class teacher to the school', () => actors.tA, `school:${S1}`],
      ['the administration to another school', () => actors.dir, `school:${S2}`],
      ['the administration to an unknown class', () => actors.dir, 'class:class-none'],
    ])('are refused from %s', async (_what, actor, audience) => {
      await expectRefused(() => startThread(deps, actor(), announcement(audience)), 'access.denied');
    });

    it('take no replies, but their author may add to them', async () => {
      const { thread } = await startThread(deps, actors.tA, announcement(`class:${CLASS_A}`));
      await expectRefused(
        () => postMessage(deps, actors.anna, { threadId: thread._id, text: 'Спасибо', attachments: [] }),
        'messaging.replies_off',
        'forbidden',
      );
      told.length = 0;
      await postMessage(deps, actors.tA, {
        threadId: thread._id,
        text: 'Перенесли на пятницу',
        attachments: [],
      });
      expect(recipientsOf(told)).toEqual([ANNA, GLEB].sort());
    });

    it('show a recipient only the author and themself, and only their own receipt', async () => {
      const { thread } = await startThread(deps, actors.tA, announcement(`class:${CLASS_A}`));
      await getThread(deps, actors.gleb, { threadId: thread._id });
      const seen = await getThread(deps, actors.anna, { threadId: thread._id });
      expect(seen.thread.participants.map((p) => p.personId)).toEqual([T_A, ANNA]);
      expect(seen.thread.messages[0]!.readBy.map((r) => r.personId)).toEqual([ANNA]);
      const author = await getThread(deps, actors.tA, { threadId: thread._id });
      expect(author.thread.messages[0]!.readBy.map((r) => r.personId)).toEqual([GLEB, ANNA]);
    });
  });

  describe('bad input', () => {
    it('names every wrong field and stores nothing', async () => {
      const error = await expectRefused(
        () => startThread(deps, actors.anna, conversation({ kind: 'chat', subject: '   ', text: '' })),
        'messaging.invalid',
        'invalid',
      );
      expect(error.errors!.map((e) => e.field).sort()).toEqual(['kind', 'subject', 'text']);
      expect(error.errors!.find((e) => e.field === 'subject')!.message).toMatch(/^Тема/);
      expect(env.scanned).toEqual([]);
    });

    it.each([
      ['a subject over 200 characters', conversation({ subject: 'т'.repeat(201) }), 'subject'],
      ['a text over 5000 characters', conversation({ text: 'т'.repeat(5001) }), 'text'],
      ['no other participant', conversation({ participantIds: [ANNA] }), 'participant_ids'],
      [
        'more than 20 participants',
        conversation({ participantIds: Array.from({ length: 21 }, (_, i) => `p-${i}`) }),
        'participant_ids',
      ],
      ['an audience of an unknown form', announcement('grade:5'), 'audience'],
      ['no school', conversation({ schoolId: ' ' }), 'school_id'],
    ])('refuses %s', async (_what, input, field) => {
      const error = await expectRefused(() => startThread(deps, actors.anna, input), 'messaging.invalid');
      expect(error.errors!.map((e) => e.field)).toEqual([field]);
    });

    it('accepts a subject of exactly 200 characters and a text of 5000', async () => {
      const view = await startThread(
        deps,
        actors.anna,
        conversation({ subject: ` ${'т'.repeat(200)} `, text: 'т'.repeat(5000) }),
      );
      expect(view.thread.subject).toHaveLength(200);
    });
  });

  describe('attachments', () => {
    it('are kept as references with their scan status; a pending scan is kept as pending', async () => {
      env.scanResults.set('file-2', 'pending');
      const view = await startThread(
        deps,
        actors.anna,
        conversation({
          attachments: [pdf(), pdf({ fileId: 'file-2', fileName: 'фото.heic', contentType: 'Image/HEIC' })],
        }),
      );
      expect(view.thread.messages[0]!.attachments).toEqual([
        {
          fileId: 'file-1',
          fileName: 'справка.pdf',
          contentType: 'application/pdf',
          sizeBytes: 120_000,
          scanStatus: 'clean',
        },
        {
          fileId: 'file-2',
          fileName: 'фото.heic',
          contentType: 'image/heic',
          sizeBytes: 120_000,
          scanStatus: 'pending',
        },
      ]);
      expect(env.scanned.map((a) => a.fileId)).toEqual(['file-1', 'file-2']);
    });

    it.each([
      ['more than 5 files', Array.from({ length: 6 }, (_, i) => pdf({ fileId: `f-${i}` })), 'attachments'],
      ['a file over 10 MiB', [pdf({ sizeBytes: MAX_ATTACHMENT_BYTES + 1 })], 'attachments[0].size_bytes'],
      ['a size that is not a number', [pdf({ sizeBytes: Number.NaN })], 'attachments[0].size_bytes'],
      ['an executable', [pdf({ contentType: 'application/x-msdownload' })], 'attachments[0].content_type'],
      ['a file without a name', [pdf(), pdf({ fileName: ' ' })], 'attachments[1].file_name'],
      ['a file without an id', [pdf({ fileId: '' })], 'attachments[0].file_id'],
    ])('refuse %s', async (_what, attachments, field) => {
      const error = await expectRefused(
        () => startThread(deps, actors.anna, conversation({ attachments })),
        'messaging.invalid',
      );
      expect(error.errors!.map((e) => e.field)).toEqual([field]);
      expect(env.scanned).toEqual([]);
    });

    it('accept a file of exactly 10 MiB', async () => {
      const view = await startThread(
        deps,
        actors.anna,
        conversation({ attachments: [pdf({ sizeBytes: MAX_ATTACHMENT_BYTES })] }),
      );
      expect(view.thread.messages[0]!.attachments).toHaveLength(1);
    });

    it('refuse the whole message when a file is infected', async () => {
      env.scanResults.set('file-bad', 'infected');
      const error = await expectRefused(
        () =>
          startThread(deps, actors.anna, conversation({ attachments: [pdf(), pdf({ fileId: 'file-bad' })] })),
        'messaging.attachment_infected',
      );
      expect(error.errors).toEqual([
        { field: 'attachments[1]', message: expect.stringContaining('справка.pdf') },
      ]);
      expect(told).toEqual([]);
    });

    it('are checked on replies too', async () => {
      const thread = await annaAsksClassTeacher();
      env.scanResults.set('file-bad', 'infected');
      await expectRefused(
        () =>
          postMessage(deps, actors.tA, {
            threadId: thread._id,
            text: 'Вот',
            attachments: [pdf({ fileId: 'file-bad' })],
          }),
        'messaging.attachment_infected',
      );
    });
  });

  describe('replies, read receipts and unread counts', () => {
    it('marks the others’ messages read when a participant opens the thread', async () => {
      const thread = await annaAsksClassTeacher();
      clock.now = minutesAfterNow(5);
      const view = await getThread(deps, actors.tA, { threadId: thread._id });
      expect(view.thread.messages[0]!.readBy).toEqual([
        { personId: T_A, readAt: minutesAfterNow(5).toISOString() },
      ]);
      expect(view.unread).toBe(0);
      expect((await docs.get('threadIndex', T_A))!.threads[0]!.unread).toBe(0);
      // Opening it again changes nothing.
      const before = stored(docs);
      await getThread(deps, actors.tA, { threadId: thread._id });
      expect(stored(docs)).toEqual(before);
      // The author's own messages never count as read by them.
      const annaView = await getThread(deps, actors.anna, { threadId: thread._id });
      expect(annaView.thread.messages[0]!.readBy.map((r) => r.personId)).toEqual([T_A]);
    });

    it('counts replies unread for the others until they open the thread', async () => {
      const thread = await annaAsksClassTeacher();
      clock.now = minutesAfterNow(10);
      await postMessage(deps, actors.tA, {
        threadId: thread._id,
        text: 'Во вторник после уроков.',
        attachments: [],
      });
      await postMessage(deps, actors.tA, { threadId: thread._id, text: 'Кабинет 21.', attachments: [] });
      expect(recipientsOf(told)).toEqual([ANNA, ANNA]);
      expect(told.map((i) => i.eventId)).toEqual(['id-3', 'id-4']);
      expect(told[0]!.body).toBe('Иванова А. П.: Во вторник после уроков.');
      expect((await docs.get('threadIndex', ANNA))!.threads).toEqual([
        { threadId: thread._id, lastMessageAt: minutesAfterNow(10).toISOString(), unread: 2 },
      ]);
      expect(
        (await listThreads(deps, actors.anna, { query: '', unreadOnly: false, limit: 0, cursor: '' })).unread,
      ).toBe(2);
      await getThread(deps, actors.anna, { threadId: thread._id });
      expect(
        (await listThreads(deps, actors.anna, { query: '', unreadOnly: false, limit: 0, cursor: '' })).unread,
      ).toBe(0);
    });

    it('refuses posts from outsiders, even the administration', async () => {
      const thread = await annaAsksClassTeacher();
      for (const actor of [actors.vera, actors.dir, actors.tB]) {
        await expectRefused(
          () => postMessage(deps, actor, { threadId: thread._id, text: 'Здравствуйте', attachments: [] }),
          'access.denied',
        );
      }
      await expectRefused(
        () =>
          postMessage(deps, actors.tA, { threadId: 'thread-none', text: 'Здравствуйте', attachments: [] }),
        'access.denied',
      );
    });

    it('refuses an empty reply', async () => {
      const thread = await annaAsksClassTeacher();
      const error = await expectRefused(
        () => postMessage(deps, actors.tA, { threadId: thread._id, text: ' ', attachments: [] }),
        'messaging.invalid',
      );
      expect(error.errors!.map((e) => e.field)).toEqual(['text']);
    });
  });

  describe('editing and deleting', () => {
    it('lets the author edit within 15 minutes, and not after', async () => {
      const thread = await annaAsksClassTeacher();
      const messageId = thread.messages[0]!.id;
      clock.now = minutesAfterNow(15);
      const view = await editMessage(deps, actors.anna, {
        threadId: thread._id,
        messageId,
        text: 'Исправлено',
      });
      expect(view.thread.messages[0]).toMatchObject({
        text: 'Исправлено',
        editedAt: minutesAfterNow(15).toISOString(),
      });
      clock.now = new Date(minutesAfterNow(15).getTime() + 1);
      await expectRefused(
        () => editMessage(deps, actors.anna, { threadId: thread._id, messageId, text: 'Ещё раз' }),
        'messaging.edit_window_passed',
        'precondition',
      );
    });

    it('refuses edits by anyone but the author', async () => {
      const thread = await annaAsksClassTeacher();
      const messageId = thread.messages[0]!.id;
      await expectRefused(
        () => editMessage(deps, actors.tA, { threadId: thread._id, messageId, text: 'Чужое' }),
        'access.denied',
      );
      await expectRefused(
        () => editMessage(deps, actors.anna, { threadId: thread._id, messageId: 'id-none', text: 'Нет' }),
        'messaging.message_not_found',
        'not_found',
      );
    });

    it('lets the author delete an unread message, keeping its record', async () => {
      const thread = await annaAsksClassTeacher();
      const messageId = thread.messages[0]!.id;
      const view = await deleteMessage(deps, actors.anna, { threadId: thread._id, messageId });
      expect(view.thread.messages[0]).toMatchObject({
        id: messageId,
        authorId: ANNA,
        sentAt: NOW,
        deleted: true,
        text: '',
      });
      expect((await docs.get('threadIndex', T_A))!.threads[0]!.unread).toBe(0);
      await expectRefused(
        () => editMessage(deps, actors.anna, { threadId: thread._id, messageId, text: 'Снова' }),
        'messaging.message_deleted',
      );
    });

    it('refuses to delete a message someone has read, or someone else’s', async () => {
      const thread = await annaAsksClassTeacher();
      const messageId = thread.messages[0]!.id;
      await expectRefused(
        () => deleteMessage(deps, actors.tA, { threadId: thread._id, messageId }),
        'access.denied',
      );
      await getThread(deps, actors.tA, { threadId: thread._id });
      await expectRefused(
        () => deleteMessage(deps, actors.anna, { threadId: thread._id, messageId }),
        'messaging.already_read',
        'precondition',
      );
    });
  });

  describe('reports and the administration', () => {
    it('keeps an unreported thread from the administration', async () => {
      const thread = await annaAsksClassTeacher();
      for (const actor of [actors.dir, actors.dep, actors.schoolAdmin]) {
        await expectRefused(() => getThread(deps, actor, { threadId: thread._id }), 'access.denied');
      }
    });

    it('lets the administration read a reported thread without changing it', async () => {
      const thread = await annaAsksClassTeacher();
      clock.now = minutesAfterNow(30);
      const reported = await reportThread(deps, actors.anna, {
        threadId: thread._id,
        reason: ' Грубость учителя ',
      });
      expect(reported.thread).toMatchObject({
        reported: true,
        reportedAt: minutesAfterNow(30).toISOString(),
        reportedBy: ANNA,
        reportReason: 'Грубость учителя',
      });
      expect(recipientsOf(told)).toEqual([DEP, DIR]);
      // Published: that it was reported, by whom — never the reason.
      expect(env.published.at(-1)).toEqual({
        kind: 'threadReported',
        threadId: thread._id,
        schoolId: S1,
        reportedBy: ANNA,
        reportedAt: minutesAfterNow(30).toISOString(),
      });
      expect(told[0]).toMatchObject({
        eventId: `${thread._id}:report`,
        trigger: 'message_received',
        title: 'Жалоба на переписку',
        link: `thread:${thread._id}`,
        studentId: IVAN,
      });
      const before = stored(docs);
      for (const actor of [actors.dir, actors.schoolAdmin]) {
        const view = await getThread(deps, actor, { threadId: thread._id });
        expect(view.access).toBe('reviewer');
        expect(view.thread.messages[0]!.readBy).toEqual([]);
      }
      expect(stored(docs)).toEqual(before);
      await expectRefused(
        () => postMessage(deps, actors.dir, { threadId: thread._id, text: 'Разберёмся', attachments: [] }),
        'access.denied',
      );
      // Another school's administration still may not.
      await expectRefused(
        () =>
          getThread(
            deps,
            { ...actors.other, schoolRoles: [{ schoolId: S2, role: 'director' }] },
            { threadId: thread._id },
          ),
        'access.denied',
      );
    });

    it('keeps the first report', async () => {
      const thread = await annaAsksClassTeacher();
      await reportThread(deps, actors.anna, { threadId: thread._id, reason: 'Первая' });
      told.length = 0;
      const published = env.published.length;
      const view = await reportThread(deps, actors.tA, { threadId: thread._id, reason: 'Вторая' });
      expect(view.thread).toMatchObject({ reportedBy: ANNA, reportReason: 'Первая' });
      expect(told).toEqual([]);
      expect(env.published).toHaveLength(published);
    });

    it('refuses a report without a reason, with a too long one, or from an outsider', async () => {
      const thread = await annaAsksClassTeacher();
      const empty = await expectRefused(
        () => reportThread(deps, actors.anna, { threadId: thread._id, reason: '  ' }),
        'messaging.invalid',
      );
      expect(empty.errors!.map((e) => e.field)).toEqual(['reason']);
      await expectRefused(
        () => reportThread(deps, actors.anna, { threadId: thread._id, reason: 'ж'.repeat(1001) }),
        'messaging.invalid',
      );
      await expectRefused(
        () => reportThread(deps, actors.dir, { threadId: thread._id, reason: 'Проверка' }),
        'access.denied',
      );
    });
  });

  describe('listing and search', () => {
    async function threeThreads() {
      const first = (
        await startThread(
          deps,
          actors.anna,
          conversation({ subject: 'Экскурсия', text: 'Сколько стоит поездка?' }),
        )
      ).thread;
      clock.now = minutesAfterNow(1);
      const second = (
        await startThread(
          deps,
          actors.anna,
          conversation({ participantIds: [MATH], subject: 'Дроби', text: 'Не понимаем ДОМАШНЕЕ задание' }),
        )
      ).thread;
      clock.now = minutesAfterNow(2);
      const third = (
        await startThread(
          deps,
          actors.anna,
          conversation({ participantIds: [DIR], subject: 'Питание', text: 'Меню столовой' }),
        )
      ).thread;
      return { first, second, third };
    }

    const all = { query: '', unreadOnly: false, limit: 0, cursor: '' };

    it('lists the actor’s threads, newest activity first, without others’', async () => {
      const { first, second, third } = await threeThreads();
      clock.now = minutesAfterNow(3);
      await postMessage(deps, actors.tA, { threadId: first._id, text: 'Пятьсот рублей', attachments: [] });
      const list = await listThreads(deps, actors.anna, all);
      expect(list.threads.map((t) => t.thread._id)).toEqual([first._id, third._id, second._id]);
      expect(list.threads.map((t) => t.unread)).toEqual([1, 0, 0]);
      expect(list.unread).toBe(1);
      expect((await listThreads(deps, actors.math, all)).threads.map((t) => t.thread._id)).toEqual([
        second._id,
      ]);
      expect((await listThreads(deps, actors.vera, all)).threads).toEqual([]);
      const unreadOnly = await listThreads(deps, actors.anna, { ...all, unreadOnly: true });
      expect(unreadOnly.threads.map((t) => t.thread._id)).toEqual([first._id]);
    });

    it('pages with a cursor', async () => {
      const { first, second, third } = await threeThreads();
      const page1 = await listThreads(deps, actors.anna, { ...all, limit: 2 });
      expect(page1.threads.map((t) => t.thread._id)).toEqual([third._id, second._id]);
      expect(page1.nextCursor).toBe('2');
      const page2 = await listThreads(deps, actors.anna, { ...all, limit: 2, cursor: page1.nextCursor });
      expect(page2.threads.map((t) => t.thread._id)).toEqual([first._id]);
      expect(page2.nextCursor).toBe('');
    });

    it('finds every word of the query in the subject or the texts, whatever the case', async () => {
      const { first, second } = await threeThreads();
      const find = async (query: string) =>
        (await listThreads(deps, actors.anna, { ...all, query })).threads.map((t) => t.thread._id);
      expect(await find('домашнее')).toEqual([second._id]);
      expect(await find('дроби задание')).toEqual([second._id]);
      expect(await find('экскурсия поездка')).toEqual([first._id]);
      expect(await find('экскурсия дроби')).toEqual([]);
    });

    it('does not find the text of a deleted message', async () => {
      const { second } = await threeThreads();
      await deleteMessage(deps, actors.anna, { threadId: second._id, messageId: second.messages[0]!.id });
      expect((await listThreads(deps, actors.anna, { ...all, query: 'домашнее' })).threads).toEqual([]);
    });

    it('refuses a cursor it did not give', async () => {
      const error = await refusal(listThreads(deps, actors.anna, { ...all, cursor: 'abc' }));
      expect(error.code).toBe('messaging.invalid');
      expect(error.errors!.map((e) => e.field)).toEqual(['cursor']);
    });
  });

  describe('units of work', () => {
    /** A store that runs every unit twice, the first pass's writes thrown away (it fetched what it missed). */
    function replaying(store: MemoryDocs): UnitRunner {
      return {
        get: (collection, id) => store.get(collection, id),
        unit: async (work) => {
          await work({ get: (collection, id) => store.get(collection, id), put: () => undefined });
          return store.unit(work);
        },
      };
    }

    it('end the same when a unit runs more than once', async () => {
      const scenario = async (d: MessagingDeps, time: { now: Date }) => {
        const { thread } = await startThread(d, actors.anna, conversation({ attachments: [pdf()] }));
        time.now = minutesAfterNow(3);
        await postMessage(d, actors.tA, { threadId: thread._id, text: 'Ответ', attachments: [] });
        await getThread(d, actors.anna, { threadId: thread._id });
        await editMessage(d, actors.tA, { threadId: thread._id, messageId: 'id-3', text: 'Ответ исправлен' });
        await reportThread(d, actors.anna, { threadId: thread._id, reason: 'Проверьте' });
      };
      await scenario(deps, clock);
      const other = seededDocs();
      const replayed = messagingDeps(other);
      await scenario({ ...replayed.deps, runner: replaying(other) }, replayed.clock);
      expect(stored(other)).toEqual(stored(docs));
    });
  });

  describe('settings', () => {
    it('are read by any staff of the school, with the defaults before any are set', async () => {
      expect(await getMessagingSettings(deps, actors.math, { schoolId: S1 })).toEqual({
        _id: S1,
        studentsMayWrite: false,
        version: 0,
      });
    });

    it('are not read by guardians or another school’s staff', async () => {
      await expectRefused(() => getMessagingSettings(deps, actors.anna, { schoolId: S1 }), 'access.denied');
      await expectRefused(() => getMessagingSettings(deps, actors.other, { schoolId: S1 }), 'access.denied');
    });

    it('are changed by the administration with the version read', async () => {
      const saved = await setMessagingSettings(deps, actors.dep, {
        schoolId: S1,
        studentsMayWrite: true,
        expectedVersion: 0,
      });
      expect(saved).toEqual({ _id: S1, studentsMayWrite: true, version: 1 });
      await expectRefused(
        () =>
          setMessagingSettings(deps, actors.dir, {
            schoolId: S1,
            studentsMayWrite: false,
            expectedVersion: 0,
          }),
        'messaging.version_conflict',
        'conflict',
      );
    });

    it('are not changed by a teacher', async () => {
      await expectRefused(
        () =>
          setMessagingSettings(deps, actors.tA, { schoolId: S1, studentsMayWrite: true, expectedVersion: 0 }),
        'access.denied',
      );
    });
  });
});
