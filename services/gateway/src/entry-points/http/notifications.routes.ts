import { Router, type Request } from 'express';
import type { Attachment } from '@edu/proto/dist/generated/edu/notifications/v1/Attachment';
import type { Thread__Output } from '@edu/proto/dist/generated/edu/notifications/v1/Thread';
import type { ActorSignerPort, NotificationsPort } from '../../domain/ports';
import { restShape } from '../../wire-case';
import { validateRequest } from './request.middleware';
import { commandOptions, upstreamOptions } from './upstream';

export interface NotificationsRoutesDeps {
  notifications: NotificationsPort;
  signer: ActorSignerPort;
}

interface NewAttachment {
  fileId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

interface TriggerPreferenceBody {
  trigger: string;
  enabled: boolean;
  channels: string[];
  delivery: string;
}

interface PreferencesBody {
  expectedVersion: number;
  triggers: TriggerPreferenceBody[];
  email?: string;
  phone?: string;
  quietFrom: string;
  quietUntil: string;
  digestTime: string;
  digestWeekday: number;
}

interface StartThreadBody {
  schoolId: string;
  kind: string;
  subject: string;
  participantIds?: string[];
  studentId?: string;
  audience?: string;
  text: string;
  attachments?: NewAttachment[];
}

/** The paging of a list as the service takes it: 0 (its default) and "" (the first page) when not given. */
function pageOf(req: Request) {
  const query = req.query as { unreadOnly?: string; limit?: string; cursor?: string };
  return {
    unread_only: query.unreadOnly === 'true',
    limit: query.limit === undefined ? 0 : Number(query.limit),
    cursor: query.cursor ?? '',
  };
}

const threadOf = (req: Request) => String(req.params.threadId);

// The scan status is the service's (from its virus scan), so a client's attachment never has one.
function attachmentsOf(attachments: NewAttachment[] | undefined): Attachment[] {
  return (attachments ?? []).map((a) => ({
    file_id: a.fileId,
    file_name: a.fileName,
    content_type: a.contentType,
    size_bytes: String(a.sizeBytes),
  }));
}

/** A thread in REST form: attachment sizes (int64, text in gRPC) as numbers. */
function threadShape(thread: Thread__Output) {
  return restShape({
    ...thread,
    messages: thread.messages.map((message) => ({
      ...message,
      attachments: message.attachments.map((a) => ({ ...a, size_bytes: Number(a.size_bytes) })),
    })),
  });
}

const threadLocation = (thread: Thread__Output) =>
  `/api/v1/messages/threads/${encodeURIComponent(thread.thread_id)}`;

/**
 * Notifications and messaging (R7.1–R7.3, R6.4): REST in front of the notifications service. The
 * caller's inbox and preferences, a class's progress reports, the caller's threads with the school
 * and a school's messaging settings. Everything is the caller's own or the service's decision: the
 * gateway only checks the request and passes the actor on.
 */
export function notificationsRouter({ notifications, signer }: NotificationsRoutesDeps): Router {
  const router = Router({ caseSensitive: true });

  router.get('/api/v1/notifications/inbox', validateRequest('listNotifications'), async (req, res) => {
    const inbox = await notifications.ListInbox(pageOf(req), await upstreamOptions(res, signer));
    res.json(restShape(inbox));
  });

  router.post(
    '/api/v1/notifications/inbox/read',
    validateRequest('markNotificationsRead'),
    async (req, res) => {
      const body = req.body as { notificationIds?: string[]; all?: boolean };
      const answer = await notifications.MarkRead(
        { notification_ids: body.notificationIds ?? [], all: body.all ?? false },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(answer));
    },
  );

  router.get(
    '/api/v1/notifications/preferences',
    validateRequest('getNotificationPreferences'),
    async (_req, res) => {
      const preferences = await notifications.GetPreferences({}, await upstreamOptions(res, signer));
      res.json(restShape(preferences));
    },
  );

  // The preferences are replaced whole; whose they are is the actor's, never the body's.
  router.put(
    '/api/v1/notifications/preferences',
    validateRequest('setNotificationPreferences'),
    async (req, res) => {
      const body = req.body as PreferencesBody;
      const preferences = await notifications.SetPreferences(
        {
          preferences: {
            triggers: body.triggers.map((t) => ({
              trigger: t.trigger,
              enabled: t.enabled,
              channels: t.channels,
              delivery: t.delivery,
            })),
            email: body.email ?? '',
            phone: body.phone ?? '',
            quiet_from: body.quietFrom,
            quiet_until: body.quietUntil,
            digest_time: body.digestTime,
            digest_weekday: body.digestWeekday,
          },
          expected_version: String(body.expectedVersion),
        },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(preferences));
    },
  );

  router.get(
    '/api/v1/notifications/progress-reports',
    validateRequest('listProgressReports'),
    async (req, res) => {
      const query = req.query as { classId: string; roundStartsOn?: string };
      const reports = await notifications.ListProgressReports(
        { class_id: query.classId, round_starts_on: query.roundStartsOn ?? '' },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(reports));
    },
  );

  router.get('/api/v1/messages/threads', validateRequest('listMessageThreads'), async (req, res) => {
    const query = req.query as { query?: string };
    const page = await notifications.ListThreads(
      { query: query.query ?? '', ...pageOf(req) },
      await upstreamOptions(res, signer),
    );
    res.json({
      threads: page.threads.map(threadShape),
      unread: page.unread,
      nextCursor: page.next_cursor,
    });
  });

  router.post('/api/v1/messages/threads', validateRequest('startMessageThread'), async (req, res) => {
    const body = req.body as StartThreadBody;
    const thread = await notifications.StartThread(
      {
        school_id: body.schoolId,
        kind: body.kind,
        subject: body.subject,
        participant_ids: body.participantIds ?? [],
        student_id: body.studentId ?? '',
        audience: body.audience ?? '',
        text: body.text,
        attachments: attachmentsOf(body.attachments),
      },
      await commandOptions(req, res, signer),
    );
    res.status(201).location(threadLocation(thread)).json(threadShape(thread));
  });

  router.get('/api/v1/messages/threads/:threadId', validateRequest('getMessageThread'), async (req, res) => {
    const thread = await notifications.GetThread(
      { thread_id: threadOf(req) },
      await upstreamOptions(res, signer),
    );
    res.json(threadShape(thread));
  });

  // A message has no address of its own: the answer is its thread, and so is the Location.
  router.post(
    '/api/v1/messages/threads/:threadId/messages',
    validateRequest('postThreadMessage'),
    async (req, res) => {
      const body = req.body as { text: string; attachments?: NewAttachment[] };
      const thread = await notifications.PostMessage(
        { thread_id: threadOf(req), text: body.text, attachments: attachmentsOf(body.attachments) },
        await commandOptions(req, res, signer),
      );
      res.status(201).location(threadLocation(thread)).json(threadShape(thread));
    },
  );

  router.patch(
    '/api/v1/messages/threads/:threadId/messages/:messageId',
    validateRequest('editThreadMessage'),
    async (req, res) => {
      const body = req.body as { text: string };
      const thread = await notifications.EditMessage(
        { thread_id: threadOf(req), message_id: String(req.params.messageId), text: body.text },
        await commandOptions(req, res, signer),
      );
      res.json(threadShape(thread));
    },
  );

  router.delete(
    '/api/v1/messages/threads/:threadId/messages/:messageId',
    validateRequest('deleteThreadMessage'),
    async (req, res) => {
      const thread = await notifications.DeleteMessage(
        { thread_id: threadOf(req), message_id: String(req.params.messageId) },
        await commandOptions(req, res, signer),
      );
      res.json(threadShape(thread));
    },
  );

  router.post(
    '/api/v1/messages/threads/:threadId/report',
    validateRequest('reportMessageThread'),
    async (req, res) => {
      const body = req.body as { reason: string };
      const thread = await notifications.ReportThread(
        { thread_id: threadOf(req), reason: body.reason },
        await commandOptions(req, res, signer),
      );
      res.json(threadShape(thread));
    },
  );

  router.get(
    '/api/v1/messages/settings/:schoolId',
    validateRequest('getMessagingSettings'),
    async (req, res) => {
      const settings = await notifications.GetMessagingSettings(
        { school_id: String(req.params.schoolId) },
        await upstreamOptions(res, signer),
      );
      res.json(restShape(settings));
    },
  );

  router.put(
    '/api/v1/messages/settings/:schoolId',
    validateRequest('setMessagingSettings'),
    async (req, res) => {
      const body = req.body as { studentsMayWrite: boolean; expectedVersion: number };
      const settings = await notifications.SetMessagingSettings(
        {
          settings: { school_id: String(req.params.schoolId), students_may_write: body.studentsMayWrite },
          expected_version: String(body.expectedVersion),
        },
        await commandOptions(req, res, signer),
      );
      res.json(restShape(settings));
    },
  );

  return router;
}
