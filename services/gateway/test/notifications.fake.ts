import type { CallOptions } from '@edu/grpc';
import { currentContext } from '@edu/kit';
import type { Notification__Output } from '@edu/proto/dist/generated/edu/notifications/v1/Notification';
import type { Preferences__Output } from '@edu/proto/dist/generated/edu/notifications/v1/Preferences';
import type { Thread__Output } from '@edu/proto/dist/generated/edu/notifications/v1/Thread';
import type { UpstreamCallOptions } from '../src/domain/ports';
import type { NotificationsPort } from '../src/domain/ports';

// A fake notifications port for the gateway's unit tests: messages as the service sends them (proto
// names, int64 as text), shaped by the request where it matters.

/** One call the fake notifications service received. */
export interface NotificationsCall {
  method: string;
  request: unknown;
  options: UpstreamCallOptions;
  contextTraceId: string | undefined;
}

/** A new «5» in mathematics for student-1, unread. */
export function notificationMessage(overrides: Partial<Notification__Output> = {}): Notification__Output {
  return {
    notification_id: 'notification-1',
    trigger: 'mark_posted',
    title: 'Новая отметка по математике',
    body: 'Иванов Иван: «5» за контрольную работу',
    student_id: 'student-1',
    school_id: 'school-1',
    occurred_at: '2026-11-23T04:00:00.000Z',
    created_at: '2026-11-23T04:00:02.000Z',
    read_at: '',
    link: 'diary:week:student-1:2026-11-23',
    ...overrides,
  };
}

/** Guardian-1's preferences at version 3: marks by e-mail at once, the rest in the inbox. */
export function preferencesMessage(overrides: Partial<Preferences__Output> = {}): Preferences__Output {
  return {
    person_id: 'guardian-1',
    triggers: [
      { trigger: 'mark_posted', enabled: true, channels: ['email'], delivery: 'instant' },
      { trigger: 'homework_tomorrow', enabled: false, channels: [], delivery: 'daily' },
    ],
    email: 'ivanova@example.ru',
    phone: '',
    quiet_from: '22:00',
    quiet_until: '07:00',
    digest_time: '19:00',
    digest_weekday: 7,
    version: '3',
    updated_at: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

/** A conversation of guardian-1 with the class teacher about student-1, with one message and a PDF. */
export function threadMessage(overrides: Partial<Thread__Output> = {}): Thread__Output {
  return {
    thread_id: 'thread-1',
    school_id: 'school-1',
    kind: 'conversation',
    subject: 'Пропуск 25 ноября',
    student_id: 'student-1',
    audience: '',
    participants: [
      { person_id: 'guardian-1', display_name: 'Иванова Мария Петровна', role: 'guardian' },
      { person_id: 'staff-1', display_name: 'Петрова Ольга Ивановна', role: 'class_teacher' },
    ],
    messages: [
      {
        message_id: 'message-1',
        author_id: 'guardian-1',
        author_name: 'Иванова Мария Петровна',
        text: 'Ваня 25 ноября будет у врача, справку принесём.',
        attachments: [
          {
            file_id: 'file-1',
            file_name: 'zayavlenie.pdf',
            content_type: 'application/pdf',
            size_bytes: '52340',
            scan_status: 'clean',
          },
        ],
        sent_at: '2026-11-23T06:00:00.000Z',
        edited_at: '',
        deleted: false,
        read_by: [{ person_id: 'staff-1', read_at: '2026-11-23T06:10:00.000Z' }],
      },
    ],
    unread: 0,
    last_message_at: '2026-11-23T06:00:00.000Z',
    reported: false,
    reported_at: '',
    ...overrides,
  };
}

/** A fake notifications port, like `fakeDiary`: records every call, answers, or fails with `failWith`. */
export function fakeNotifications() {
  const calls: NotificationsCall[] = [];
  let failure: unknown;
  const record = (method: string, request: unknown, options?: CallOptions) => {
    calls.push({
      method,
      request,
      options: options as UpstreamCallOptions,
      contextTraceId: currentContext()?.traceId,
    });
    if (failure !== undefined) throw failure;
  };

  const port: NotificationsPort = {
    async ListInbox(request, options) {
      record('ListInbox', request, options);
      return {
        notifications: [
          notificationMessage(),
          notificationMessage({
            notification_id: 'notification-0',
            trigger: 'absence',
            title: 'Пропуск урока',
            read_at: '2026-11-22T08:00:00.000Z',
          }),
        ],
        unread: 1,
        next_cursor: 'cursor-2',
      };
    },
    async MarkRead(request, options) {
      record('MarkRead', request, options);
      return { unread: request.all ? 0 : 4 };
    },
    async GetPreferences(request, options) {
      record('GetPreferences', request, options);
      return preferencesMessage();
    },
    async SetPreferences(request, options) {
      record('SetPreferences', request, options);
      const sent = request.preferences ?? {};
      return preferencesMessage({
        triggers: (sent.triggers ?? []).map((t) => ({
          trigger: t.trigger ?? '',
          enabled: t.enabled ?? false,
          channels: t.channels ?? [],
          delivery: t.delivery ?? '',
        })),
        email: sent.email ?? '',
        phone: sent.phone ?? '',
        quiet_from: sent.quiet_from ?? '',
        quiet_until: sent.quiet_until ?? '',
        digest_time: sent.digest_time ?? '',
        digest_weekday: sent.digest_weekday ?? 0,
        version: String(Number(request.expected_version ?? 0) + 1),
        updated_at: '2026-11-23T07:00:00.000Z',
      });
    },
    async ListProgressReports(request, options) {
      record('ListProgressReports', request, options);
      return {
        class_id: request.class_id ?? '',
        round_starts_on: request.round_starts_on || '2026-11-09',
        round_ends_on: '2026-11-22',
        rows: [
          {
            report_id: 'report-1',
            student_id: 'student-1',
            student_name: 'Иванов Иван Иванович',
            guardian_id: 'guardian-1',
            guardian_name: 'Иванова Мария Петровна',
            sent_at: '2026-11-23T14:00:00.000Z',
            opened_at: '',
          },
        ],
        not_opened: 1,
      };
    },
    async StartThread(request, options) {
      record('StartThread', request, options);
      return threadMessage({
        thread_id: 'thread-new',
        school_id: request.school_id ?? '',
        kind: request.kind ?? '',
        subject: request.subject ?? '',
        student_id: request.student_id ?? '',
        audience: request.audience ?? '',
      });
    },
    async ListThreads(request, options) {
      record('ListThreads', request, options);
      return {
        threads: [threadMessage({ messages: [], unread: 2 })],
        unread: 2,
        next_cursor: '',
      };
    },
    async GetThread(request, options) {
      record('GetThread', request, options);
      return threadMessage({ thread_id: request.thread_id ?? '' });
    },
    async PostMessage(request, options) {
      record('PostMessage', request, options);
      return threadMessage({ thread_id: request.thread_id ?? '' });
    },
    async EditMessage(request, options) {
      record('EditMessage', request, options);
      const thread = threadMessage({ thread_id: request.thread_id ?? '' });
      thread.messages[0] = {
        ...thread.messages[0]!,
        text: request.text ?? '',
        edited_at: '2026-11-23T06:05:00.000Z',
      };
      return thread;
    },
    async DeleteMessage(request, options) {
      record('DeleteMessage', request, options);
      const thread = threadMessage({ thread_id: request.thread_id ?? '' });
      thread.messages[0] = { ...thread.messages[0]!, text: '', attachments: [], deleted: true };
      return thread;
    },
    async ReportThread(request, options) {
      record('ReportThread', request, options);
      return threadMessage({
        thread_id: request.thread_id ?? '',
        reported: true,
        reported_at: '2026-11-23T08:00:00.000Z',
      });
    },
    async GetMessagingSettings(request, options) {
      record('GetMessagingSettings', request, options);
      return { school_id: request.school_id ?? '', students_may_write: false, version: '0' };
    },
    async SetMessagingSettings(request, options) {
      record('SetMessagingSettings', request, options);
      return {
        school_id: request.settings?.school_id ?? '',
        students_may_write: request.settings?.students_may_write ?? false,
        version: String(Number(request.expected_version ?? 0) + 1),
      };
    },
  };
  return {
    port,
    calls,
    failWith(error: unknown) {
      failure = error;
    },
    reset() {
      calls.length = 0;
      failure = undefined;
    },
  };
}
