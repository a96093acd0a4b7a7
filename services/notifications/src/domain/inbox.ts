import { invalid, type FieldError } from '@edu/kit';
import type { InboxDoc, InboxEntry } from './model';
import type { DocReader, UnitTx } from './ports';

// The in-app inbox: every notification a person is told reaches it, whatever their channels and
// quiet hours. One document per person, newest first; a page is a slice of it, the cursor the
// offset of the next entry.

export const INBOX_PAGE_DEFAULT = 50;
export const INBOX_PAGE_MAX = 200;
/** Ids one MarkRead may name. */
const MARK_READ_MAX = 500;

export interface InboxPage {
  entries: InboxEntry[];
  unread: number;
  /** '' on the last page. */
  nextCursor: string;
}

export interface InboxQuery {
  unreadOnly: boolean;
  /** 0: the default. */
  limit: number;
  cursor: string;
}

const unreadOf = (doc: InboxDoc | null) => (doc?.entries ?? []).filter((e) => !e.readAt).length;

/** A page of the person's inbox; bad paging is refused with the field named. */
export async function listInbox(reader: DocReader, personId: string, query: InboxQuery): Promise<InboxPage> {
  const errors: FieldError[] = [];
  if (query.limit < 0 || query.limit > INBOX_PAGE_MAX)
    errors.push({ field: 'limit', message: `Укажите число от 1 до ${INBOX_PAGE_MAX}` });
  if (query.cursor !== '' && !/^\d{1,6}$/.test(query.cursor))
    errors.push({ field: 'cursor', message: 'Курсор страницы не распознан: начните с первой страницы' });
  if (errors.length > 0) throw invalid('inbox.invalid', 'Запрос уведомлений заполнен с ошибками', errors);
  const doc = await reader.get('inbox', personId);
  const all = (doc?.entries ?? []).filter((e) => !query.unreadOnly || !e.readAt);
  const offset = query.cursor === '' ? 0 : Number(query.cursor);
  const limit = query.limit || INBOX_PAGE_DEFAULT;
  const entries = all.slice(offset, offset + limit);
  const next = offset + entries.length;
  return { entries, unread: unreadOf(doc), nextCursor: next < all.length ? String(next) : '' };
}

export type MarkReadInput = { ids: string[]; all: false } | { ids: []; all: true };

/** Checks a MarkRead request: some ids, or all. */
export function markReadInput(ids: string[], all: boolean): MarkReadInput {
  if (all) return { ids: [], all: true };
  const errors: FieldError[] = [];
  if (ids.length === 0)
    errors.push({ field: 'notificationIds', message: 'Укажите уведомления или отметьте все' });
  if (ids.length > MARK_READ_MAX)
    errors.push({ field: 'notificationIds', message: `Не больше ${MARK_READ_MAX} уведомлений за раз` });
  if (ids.some((id) => id.trim() === ''))
    errors.push({ field: 'notificationIds', message: 'Пустой идентификатор уведомления' });
  if (errors.length > 0) throw invalid('inbox.invalid', 'Запрос заполнен с ошибками', errors);
  return { ids, all: false };
}

/**
 * Marks the person's notifications read (unknown or foreign ids change nothing: an inbox holds only
 * its owner's). Returns the unread count after and the entries read just now (a progress report
 * read counts as opened).
 */
export async function markRead(
  tx: UnitTx,
  personId: string,
  input: MarkReadInput,
  now: Date,
): Promise<{ unread: number; newlyRead: InboxEntry[] }> {
  const doc = await tx.get('inbox', personId);
  if (!doc) return { unread: 0, newlyRead: [] };
  const wanted = new Set(input.ids);
  const at = now.toISOString();
  const newlyRead: InboxEntry[] = [];
  const entries = doc.entries.map((entry) => {
    if (entry.readAt || !(input.all || wanted.has(entry.id))) return entry;
    const read = { ...entry, readAt: at };
    newlyRead.push(read);
    return read;
  });
  if (newlyRead.length > 0) tx.put('inbox', { ...doc, entries });
  return { unread: entries.filter((e) => !e.readAt).length, newlyRead };
}
