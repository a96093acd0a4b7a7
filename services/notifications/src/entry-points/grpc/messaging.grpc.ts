import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import type { Attachment as ProtoAttachment } from '@edu/proto/dist/generated/edu/notifications/v1/Attachment';
import type { Attachment__Output } from '@edu/proto/dist/generated/edu/notifications/v1/Attachment';
import type { MessagingSettings } from '@edu/proto/dist/generated/edu/notifications/v1/MessagingSettings';
import type { NotificationsServiceDefinition } from '@edu/proto/dist/generated/edu/notifications/v1/NotificationsService';
import type { Thread } from '@edu/proto/dist/generated/edu/notifications/v1/Thread';
import type { AttachmentInput } from '../../domain/attachments';
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
  type ThreadView,
} from '../../domain/messaging';
import type { Attachment, MessagingSettingsDoc } from '../../domain/model';

type MessagingHandlers = Pick<
  ServiceHandlers<NotificationsServiceDefinition>,
  | 'StartThread'
  | 'ListThreads'
  | 'GetThread'
  | 'PostMessage'
  | 'EditMessage'
  | 'DeleteMessage'
  | 'ReportThread'
  | 'GetMessagingSettings'
  | 'SetMessagingSettings'
>;

/** Threads, messages and the schools' messaging settings (R7.1): translate, call, translate back. */
export function messagingHandlers(ports: Omit<MessagingDeps, 'authorize'>): MessagingHandlers {
  const deps = (ctx: CallContext): MessagingDeps => ({ ...ports, authorize: authorizeWith(ctx) });
  const actorOf = (ctx: CallContext) => requestContext(ctx).actor;
  return {
    StartThread: async (request, ctx) =>
      toThread(
        await startThread(deps(ctx), actorOf(ctx), {
          schoolId: request.school_id,
          kind: request.kind,
          subject: request.subject,
          participantIds: request.participant_ids,
          studentId: request.student_id,
          audience: request.audience,
          text: request.text,
          attachments: request.attachments.map(fromAttachment),
        }),
        true,
      ),

    ListThreads: async (request, ctx) => {
      const list = await listThreads(deps(ctx), actorOf(ctx), {
        query: request.query,
        unreadOnly: request.unread_only,
        limit: request.limit,
        cursor: request.cursor,
      });
      return {
        threads: list.threads.map((t) => toThread(t, false)),
        unread: list.unread,
        next_cursor: list.nextCursor,
      };
    },

    GetThread: async (request, ctx) =>
      toThread(await getThread(deps(ctx), actorOf(ctx), { threadId: request.thread_id }), true),

    PostMessage: async (request, ctx) =>
      toThread(
        await postMessage(deps(ctx), actorOf(ctx), {
          threadId: request.thread_id,
          text: request.text,
          attachments: request.attachments.map(fromAttachment),
        }),
        true,
      ),

    EditMessage: async (request, ctx) =>
      toThread(
        await editMessage(deps(ctx), actorOf(ctx), {
          threadId: request.thread_id,
          messageId: request.message_id,
          text: request.text,
        }),
        true,
      ),

    DeleteMessage: async (request, ctx) =>
      toThread(
        await deleteMessage(deps(ctx), actorOf(ctx), {
          threadId: request.thread_id,
          messageId: request.message_id,
        }),
        true,
      ),

    ReportThread: async (request, ctx) =>
      toThread(
        await reportThread(deps(ctx), actorOf(ctx), { threadId: request.thread_id, reason: request.reason }),
        true,
      ),

    GetMessagingSettings: async (request, ctx) =>
      toSettings(await getMessagingSettings(deps(ctx), actorOf(ctx), { schoolId: request.school_id })),

    SetMessagingSettings: async (request, ctx) =>
      toSettings(
        await setMessagingSettings(deps(ctx), actorOf(ctx), {
          schoolId: request.settings?.school_id ?? '',
          studentsMayWrite: request.settings?.students_may_write === true,
          expectedVersion: Number(request.expected_version),
        }),
      ),
  };
}

function fromAttachment(a: Attachment__Output): AttachmentInput {
  return {
    fileId: a.file_id,
    fileName: a.file_name,
    contentType: a.content_type,
    // int64 arrives as a string; anything not a number fails the size check.
    sizeBytes: Number(a.size_bytes),
  };
}

function toAttachment(a: Attachment): ProtoAttachment {
  return {
    file_id: a.fileId,
    file_name: a.fileName,
    content_type: a.contentType,
    size_bytes: a.sizeBytes,
    scan_status: a.scanStatus,
  };
}

/** The Thread message; a listing leaves the messages out. */
export function toThread(view: ThreadView, withMessages: boolean): Thread {
  const { thread, names } = view;
  return {
    thread_id: thread._id,
    school_id: thread.schoolId,
    kind: thread.kind,
    subject: thread.subject,
    student_id: thread.studentId,
    audience: thread.audience,
    participants: thread.participants.map((p) => ({
      person_id: p.personId,
      display_name: names.get(p.personId) ?? '',
      role: p.role,
    })),
    messages: withMessages
      ? thread.messages.map((m) => ({
          message_id: m.id,
          author_id: m.authorId,
          author_name: names.get(m.authorId) ?? '',
          text: m.text,
          attachments: m.attachments.map(toAttachment),
          sent_at: m.sentAt,
          edited_at: m.editedAt,
          deleted: m.deleted,
          read_by: m.readBy.map((r) => ({ person_id: r.personId, read_at: r.readAt })),
        }))
      : [],
    unread: view.unread,
    last_message_at: thread.lastMessageAt,
    reported: thread.reported,
    reported_at: thread.reportedAt,
  };
}

function toSettings(settings: MessagingSettingsDoc): MessagingSettings {
  return {
    school_id: settings._id,
    students_may_write: settings.studentsMayWrite,
    version: settings.version,
  };
}
