import * as grpc from '@grpc/grpc-js';
import type { CallContext } from '@edu/grpc';
import { createLogger, DomainError } from '@edu/kit';
import type { Attachment__Output } from '@edu/proto/dist/generated/edu/notifications/v1/Attachment';
import { messagingHandlers } from '../../src/entry-points/grpc/messaging.grpc';
import type { MessagingActor } from '../../src/domain/messaging-access';
import type { MemoryDocs } from './memory-copies';
import { ANNA, IVAN, NOW, S1, T_A, actors, messagingDeps, seededDocs } from './messaging-fixtures';

// The messaging handlers: requests in, Thread and MessagingSettings messages out, the policy bound
// to the call (a refusal is the policy's `access.denied`).

function call(actor: MessagingActor): CallContext {
  return {
    actor,
    traceId: 'trace-1',
    signal: new AbortController().signal,
    logger: createLogger({ service: 'notifications-test', level: 'silent' }),
    metadata: new grpc.Metadata(),
  };
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const START = {
  school_id: S1,
  kind: 'conversation',
  subject: 'Контрольная',
  participant_ids: [T_A],
  student_id: IVAN,
  audience: '',
  text: 'Когда можно переписать?',
  attachments: [] as Attachment__Output[],
};

describe('messaging handlers', () => {
  let docs: MemoryDocs;
  let h: ReturnType<typeof messagingHandlers>;
  let told: ReturnType<typeof messagingDeps>['told'];

  beforeEach(() => {
    docs = seededDocs();
    const env = messagingDeps(docs);
    told = env.told;
    const { authorize: _policy, ...ports } = env.deps;
    h = messagingHandlers(ports);
  });

  it('StartThread answers the Thread message with names, roles and attachments', async () => {
    const thread = await h.StartThread(
      {
        ...START,
        attachments: [
          {
            file_id: 'f-1',
            file_name: 'справка.pdf',
            content_type: 'application/pdf',
            size_bytes: '2048',
            scan_status: '',
          },
        ],
      },
      call(actors.anna),
    );
    expect(thread).toEqual({
      thread_id: 'id-1',
      school_id: S1,
      kind: 'conversation',
      subject: 'Контрольная',
      student_id: IVAN,
      audience: '',
      participants: [
        { person_id: ANNA, display_name: 'Иванова Анна', role: 'guardian' },
        { person_id: T_A, display_name: 'Иванова А. П.', role: 'class_teacher' },
      ],
      messages: [
        {
          message_id: 'id-2',
          author_id: ANNA,
          author_name: 'Иванова Анна',
          text: 'Когда можно переписать?',
          attachments: [
            {
              file_id: 'f-1',
              file_name: 'справка.pdf',
              content_type: 'application/pdf',
              size_bytes: 2048,
              scan_status: 'clean',
            },
          ],
          sent_at: NOW,
          edited_at: '',
          deleted: false,
          read_by: [],
        },
      ],
      unread: 0,
      last_message_at: NOW,
      reported: false,
      reported_at: '',
    });
    expect(told.map((i) => i.recipientId)).toEqual([T_A]);
  });

  it('ListThreads leaves the messages out and counts unread', async () => {
    await h.StartThread(START, call(actors.anna));
    const list = await h.ListThreads(
      { query: '', unread_only: false, limit: 0, cursor: '' },
      call(actors.tA),
    );
    expect(list.unread).toBe(1);
    expect(list.next_cursor).toBe('');
    expect(list.threads).toHaveLength(1);
    expect(list.threads![0]).toMatchObject({ thread_id: 'id-1', unread: 1, messages: [] });
  });

  it('GetThread marks read; EditMessage, DeleteMessage and ReportThread answer the thread', async () => {
    await h.StartThread(START, call(actors.anna));
    const read = await h.GetThread({ thread_id: 'id-1' }, call(actors.tA));
    expect(read.messages![0]!.read_by).toEqual([{ person_id: T_A, read_at: NOW }]);
    const posted = await h.PostMessage(
      { thread_id: 'id-1', text: 'Во вторник', attachments: [] },
      call(actors.tA),
    );
    expect(posted.messages).toHaveLength(2);
    const edited = await h.EditMessage(
      { thread_id: 'id-1', message_id: 'id-3', text: 'В среду' },
      call(actors.tA),
    );
    expect(edited.messages![1]).toMatchObject({ text: 'В среду', edited_at: NOW });
    const deleted = await h.DeleteMessage({ thread_id: 'id-1', message_id: 'id-3' }, call(actors.tA));
    expect(deleted.messages![1]).toMatchObject({ text: '', deleted: true });
    const reported = await h.ReportThread({ thread_id: 'id-1', reason: 'Проверьте' }, call(actors.anna));
    expect(reported).toMatchObject({ reported: true, reported_at: NOW });
  });

  it('refuses through the call’s policy and stores nothing', async () => {
    const before = docs.puts;
    const error = await refusal(
      h.StartThread({ ...START, participant_ids: ['p-teacher-b'] }, call(actors.anna)),
    );
    expect(error.code).toBe('access.denied');
    expect(error.kind).toBe('forbidden');
    expect(docs.puts).toBe(before);
  });

  it('reads and sets the settings, taking the version as int64 text', async () => {
    expect(await h.GetMessagingSettings({ school_id: S1 }, call(actors.tA))).toEqual({
      school_id: S1,
      students_may_write: false,
      version: 0,
    });
    const saved = await h.SetMessagingSettings(
      { settings: { school_id: S1, students_may_write: true, version: '0' }, expected_version: '0' },
      call(actors.dir),
    );
    expect(saved).toEqual({ school_id: S1, students_may_write: true, version: 1 });
    const stale = await refusal(
      h.SetMessagingSettings(
        { settings: { school_id: S1, students_may_write: false, version: '0' }, expected_version: '0' },
        call(actors.dir),
      ),
    );
    expect(stale.code).toBe('messaging.version_conflict');
  });

  it('refuses settings without a school as bad input', async () => {
    const error = await refusal(
      h.SetMessagingSettings({ settings: null, expected_version: '0' }, call(actors.dir)),
    );
    expect(error.code).toBe('messaging.invalid');
    expect(error.errors!.map((e) => e.field)).toEqual(['school_id']);
  });
});
