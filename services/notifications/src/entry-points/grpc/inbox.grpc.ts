import { authorizeWith, requestContext, type CallContext, type ServiceHandlers } from '@edu/grpc';
import type { NotificationsServiceDefinition } from '@edu/proto/dist/generated/edu/notifications/v1/NotificationsService';
import type { Notification } from '@edu/proto/dist/generated/edu/notifications/v1/Notification';
import type {
  Preferences,
  Preferences__Output,
} from '@edu/proto/dist/generated/edu/notifications/v1/Preferences';
import { listInbox, markRead, markReadInput } from '../../domain/inbox';
import type { InboxEntry, PreferencesDoc } from '../../domain/model';
import type { DocReader, UnitRunner } from '../../domain/ports';
import { getPreferences, setPreferences, type PreferencesInput } from '../../domain/preferences';
import { markOpened } from '../../domain/progress';

type InboxHandlers = Pick<
  ServiceHandlers<NotificationsServiceDefinition>,
  'ListInbox' | 'MarkRead' | 'GetPreferences' | 'SetPreferences'
>;

/**
 * The caller's own inbox and preferences: translate, call, translate back. Only a person has an
 * inbox; an account without one (an operator's) is refused.
 */
export function inboxHandlers(deps: { store: DocReader & UnitRunner; now: () => Date }): InboxHandlers {
  const personOf = (ctx: CallContext, action: string): string => {
    const { actor } = requestContext(ctx);
    authorizeWith(ctx)(actor, !!actor.personId, { action, object: 'inbox' });
    return actor.personId!;
  };
  return {
    ListInbox: async (request, ctx) => {
      const page = await listInbox(deps.store, personOf(ctx, 'notifications.list'), {
        unreadOnly: request.unread_only,
        limit: request.limit,
        cursor: request.cursor,
      });
      return {
        notifications: page.entries.map(toNotification),
        unread: page.unread,
        next_cursor: page.nextCursor,
      };
    },

    MarkRead: async (request, ctx) => {
      const personId = personOf(ctx, 'notifications.read');
      const input = markReadInput(request.notification_ids, request.all);
      const now = deps.now();
      const { unread } = await deps.store.unit(async (tx) => {
        const result = await markRead(tx, personId, input, now);
        // A progress report read is a report opened: the class teacher sees it (R7.2).
        await markOpened(tx, result.newlyRead, now);
        return result;
      });
      return { unread };
    },

    GetPreferences: async (_request, ctx) =>
      toPreferences(await getPreferences(deps.store, personOf(ctx, 'preferences.read'))),

    SetPreferences: async (request, ctx) => {
      const personId = personOf(ctx, 'preferences.write');
      const saved = await setPreferences(
        deps.store,
        personId,
        fromPreferences(request.preferences),
        Number(request.expected_version),
        deps.now(),
      );
      return toPreferences(saved);
    },
  };
}

function toNotification(entry: InboxEntry): Notification {
  return {
    notification_id: entry.id,
    trigger: entry.trigger,
    title: entry.title,
    body: entry.body,
    student_id: entry.studentId,
    school_id: entry.schoolId,
    occurred_at: entry.occurredAt,
    created_at: entry.createdAt,
    read_at: entry.readAt,
    link: entry.link,
  };
}

function toPreferences(doc: PreferencesDoc): Preferences {
  return {
    person_id: doc._id,
    triggers: doc.triggers.map((t) => ({
      trigger: t.trigger,
      enabled: t.enabled,
      channels: t.channels,
      delivery: t.delivery,
    })),
    email: doc.email,
    phone: doc.phone,
    quiet_from: doc.quietFrom,
    quiet_until: doc.quietUntil,
    digest_time: doc.digestTime,
    digest_weekday: doc.digestWeekday,
    version: String(doc.version),
    updated_at: doc.updatedAt,
  };
}

/** The request's preferences as given; the domain validates every field. */
function fromPreferences(p: Preferences__Output | null): PreferencesInput {
  return {
    triggers: (p?.triggers ?? []).map((t) => ({
      trigger: t.trigger,
      enabled: t.enabled,
      channels: t.channels,
      delivery: t.delivery,
    })),
    email: p?.email ?? '',
    phone: p?.phone ?? '',
    quietFrom: p?.quiet_from ?? '',
    quietUntil: p?.quiet_until ?? '',
    digestTime: p?.digest_time ?? '',
    digestWeekday: p?.digest_weekday ?? 0,
  } as PreferencesInput;
}
