import { conflict, invalid, localDate, notFound, precondition, forbidden, type FieldError } from '@edu/kit';
import { attachmentErrors, scannedAttachments, type AttachmentInput } from './attachments';
import { FALLBACK_TIME_ZONE, read, sameValue } from './copies';
import {
  announcementRecipients,
  announcerRole,
  childrenOf,
  conversationParticipants,
  isAdministration,
  managesSettings,
  parseAudience,
  readsSettings,
  schoolScope,
  settingsOf,
  studentScope,
  threadAccess,
  type MessagingActor,
  type Participant,
  type ThreadAccess,
} from './messaging-access';
import type {
  Attachment,
  MessagingSettingsDoc,
  NotificationIntent,
  ThreadDoc,
  ThreadIndexDoc,
  ThreadMessage,
} from './model';
import type { DocReader, Emit, FileScanner, UnitRunner, UnitTx } from './ports';

// Messaging (R7.1): threads between guardians, students and staff, and announcements. Every
// change is one unit of work: the thread, each participant's index (last activity, unread count)
// and the "new message" intents are written together. A unit's function may run again, so ids and
// `now` are fixed before it and a refusal is returned from it, then authorized (and logged) after.
//
// Record keeping: a message is never removed. Its author may change it within 15 minutes and
// delete it while nobody else has read it; a deleted message keeps its place, author and times,
// with its text and files gone. The administration reads a thread only once a participant
// reported it, and then only reads.

export interface MessagingDeps {
  runner: UnitRunner;
  scanner: FileScanner;
  now: () => Date;
  newId: () => string;
  /** Refuses (403 `access.denied`, logged as a security event) unless `allowed`. */
  authorize: (actor: MessagingActor, allowed: boolean, what: { action: string; object: string }) => void;
  /** Hands intents to the inboxes and deliveries, in the same unit. */
  tell: (tx: UnitTx, intents: NotificationIntent[]) => Promise<void>;
  /** Publishes that a message was posted or a thread reported (never what), with the unit. */
  emit: Emit;
}

export const MAX_SUBJECT_LENGTH = 200;
export const MAX_TEXT_LENGTH = 5000;
export const MAX_PARTICIPANTS = 20;
export const MAX_REASON_LENGTH = 1000;
export const EDIT_WINDOW_MS = 15 * 60 * 1000;
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;
/** Characters of a message a notification quotes. */
const QUOTE_LENGTH = 200;
const INVALID = 'messaging.invalid';
const INVALID_DETAIL = 'Сообщение заполнено с ошибками';

/** A thread as the actor sees it, with the names of who shows in it. */
export interface ThreadView {
  thread: ThreadDoc;
  access: Exclude<ThreadAccess, null>;
  /** The actor's unread messages in it. */
  unread: number;
  /** Display names by person id (participants and authors shown). */
  names: Map<string, string>;
}

export interface StartThreadInput {
  schoolId: string;
  kind: string;
  subject: string;
  /** Conversations: the other participants. */
  participantIds: string[];
  /** The student a conversation is about ('' for none). */
  studentId: string;
  /** Announcements: "class:<id>" or "school:<id>". */
  audience: string;
  text: string;
  attachments: AttachmentInput[];
}

type Refusal = { refused: { action: string; object: string } };
type Outcome<T> = { done: T } | Refusal;

// --- Starting a thread ------------------------------------------------------------------------------

/** Starts a conversation or an announcement with its first message and tells the others. */
export async function startThread(
  deps: MessagingDeps,
  actor: MessagingActor,
  input: StartThreadInput,
): Promise<ThreadView> {
  const draft = validStart(input, actor.personId ?? '');
  const attachments = await scannedAttachments(deps.scanner, input.attachments);
  const at = deps.now().toISOString();
  const ids = { threadId: deps.newId(), messageId: deps.newId() };
  const outcome = await deps.runner.unit(async (tx): Promise<Outcome<ThreadDoc>> => {
    const participants = await startingParticipants(tx, actor, draft, at);
    if (!participants) return { refused: { action: `messaging.${draft.kind}.start`, object: draft.target } };
    const message = newMessage(ids.messageId, actor.personId!, draft.text, attachments, at);
    const thread: ThreadDoc = {
      _id: ids.threadId,
      schoolId: draft.schoolId,
      kind: draft.kind,
      subject: draft.subject,
      studentId: participants.studentId,
      audience: draft.kind === 'announcement' ? draft.audience : '',
      participants: participants.list,
      messages: [message],
      createdAt: at,
      lastMessageAt: at,
      reported: false,
      reportedAt: '',
      reportedBy: '',
      reportReason: '',
    };
    await saveThread(
      tx,
      thread,
      thread.participants.map((p) => p.personId),
    );
    await tellPosted(deps, tx, thread, message);
    return { done: thread };
  });
  return viewAfter(deps, actor, outcome, 'participant');
}

interface StartDraft {
  schoolId: string;
  kind: 'conversation' | 'announcement';
  subject: string;
  otherIds: string[];
  studentId: string;
  audience: string;
  text: string;
  /** What the security log names on a refusal. */
  target: string;
}

function validStart(input: StartThreadInput, actorId: string): StartDraft {
  const errors: FieldError[] = [];
  const schoolId = input.schoolId.trim();
  if (!schoolId) errors.push({ field: 'school_id', message: 'Школа: укажите школу' });
  const kind = input.kind.trim();
  if (kind !== 'conversation' && kind !== 'announcement') {
    errors.push({ field: 'kind', message: 'Вид: переписка (conversation) или объявление (announcement)' });
  }
  const subject = input.subject.trim();
  if (!subject || subject.length > MAX_SUBJECT_LENGTH) {
    errors.push({ field: 'subject', message: `Тема: от 1 до ${MAX_SUBJECT_LENGTH} символов` });
  }
  errors.push(...textErrors(input.text));
  const otherIds = [...new Set(input.participantIds.map((id) => id.trim()))].filter(
    (id) => id && id !== actorId,
  );
  if (kind === 'conversation' && (otherIds.length === 0 || otherIds.length > MAX_PARTICIPANTS)) {
    errors.push({ field: 'participant_ids', message: `Участники: от 1 до ${MAX_PARTICIPANTS} человек` });
  }
  const audience = input.audience.trim();
  if (kind === 'announcement' && !parseAudience(audience)) {
    errors.push({ field: 'audience', message: 'Адресаты: класс (class:<id>) или вся школа (school:<id>)' });
  }
  errors.push(...attachmentErrors(input.attachments));
  if (errors.length > 0) throw invalid(INVALID, INVALID_DETAIL, errors);
  const studentId = input.studentId.trim();
  return {
    schoolId,
    kind: kind as StartDraft['kind'],
    subject,
    otherIds,
    studentId,
    audience,
    text: input.text.trim(),
    target: kind === 'announcement' ? audience : `school:${schoolId}`,
  };
}

function textErrors(text: string): FieldError[] {
  const trimmed = text.trim();
  if (trimmed && trimmed.length <= MAX_TEXT_LENGTH) return [];
  return [{ field: 'text', message: `Текст: от 1 до ${MAX_TEXT_LENGTH} символов` }];
}

/** Who the new thread holds (the actor first) and its student; null when the actor may not start it. */
async function startingParticipants(
  tx: UnitTx,
  actor: MessagingActor,
  draft: StartDraft,
  at: string,
): Promise<{ list: Participant[]; studentId: string } | null> {
  if (!actor.personId) return null;
  const school = await schoolScope(tx, draft.schoolId);
  const today = localDate(at, (await schoolView(tx, draft.schoolId)).timeZone);
  if (draft.kind === 'announcement') {
    const audience = parseAudience(draft.audience)!;
    const schoolClass = audience.kind === 'class' ? await read(tx, 'classes', audience.classId) : null;
    const role = announcerRole(actor, audience, school, schoolClass);
    if (!role) return null;
    const recipients = await announcementRecipients(tx, audience, school, today);
    const others = recipients.filter((p) => p.personId !== actor.personId);
    return { list: [{ personId: actor.personId, role }, ...others], studentId: '' };
  }
  // A student writing names no student: the thread is about them.
  const ownStudent = !draft.studentId && (await read(tx, 'students', actor.personId)) ? actor.personId : '';
  const studentId = draft.studentId || ownStudent;
  const student = studentId ? await studentScope(tx, studentId, draft.schoolId, today) : null;
  // A named student unknown in the school is refused like a foreign one.
  if (studentId && !student) return null;
  const list = conversationParticipants(
    actor,
    {
      school,
      student,
      children: await childrenOf(tx, actor.personId),
      studentsMayWrite: (await settingsOf(tx, draft.schoolId)).studentsMayWrite,
    },
    draft.otherIds,
  );
  return list ? { list, studentId } : null;
}

function newMessage(
  id: string,
  authorId: string,
  text: string,
  attachments: Attachment[],
  at: string,
): ThreadMessage {
  return { id, authorId, text, attachments, sentAt: at, editedAt: '', deleted: false, readBy: [] };
}

// --- Messages -----------------------------------------------------------------------------------------

/** Adds a message to a thread the actor is in (an announcement takes none but its author's). */
export async function postMessage(
  deps: MessagingDeps,
  actor: MessagingActor,
  input: { threadId: string; text: string; attachments: AttachmentInput[] },
): Promise<ThreadView> {
  const errors = [
    ...threadIdErrors(input.threadId),
    ...textErrors(input.text),
    ...attachmentErrors(input.attachments),
  ];
  if (errors.length > 0) throw invalid(INVALID, INVALID_DETAIL, errors);
  const attachments = await scannedAttachments(deps.scanner, input.attachments);
  const at = deps.now().toISOString();
  const messageId = deps.newId();
  const action = { action: 'messaging.message.post', object: `thread:${input.threadId}` };
  const outcome = await deps.runner.unit(async (tx): Promise<Outcome<ThreadDoc>> => {
    const thread = await tx.get('threads', input.threadId.trim());
    if (!thread || threadAccess(actor, thread, false) !== 'participant') return { refused: action };
    if (thread.kind === 'announcement' && authorOf(thread) !== actor.personId) {
      throw forbidden('messaging.replies_off', 'На объявление нельзя ответить');
    }
    const message = newMessage(messageId, actor.personId!, input.text.trim(), attachments, at);
    const changed: ThreadDoc = { ...thread, messages: [...thread.messages, message], lastMessageAt: at };
    await saveThread(
      tx,
      changed,
      changed.participants.map((p) => p.personId),
    );
    await tellPosted(deps, tx, changed, message);
    return { done: changed };
  });
  return viewAfter(deps, actor, outcome, 'participant');
}

/** Tells the other participants of a new message and publishes that it was posted. */
async function tellPosted(
  deps: MessagingDeps,
  tx: UnitTx,
  thread: ThreadDoc,
  message: ThreadMessage,
): Promise<void> {
  const intents = await messageIntents(tx, thread, message);
  await deps.tell(tx, intents);
  deps.emit(tx, {
    kind: 'messagePosted',
    threadId: thread._id,
    schoolId: thread.schoolId,
    messageId: message.id,
    authorId: message.authorId,
    threadKind: thread.kind,
    studentId: thread.studentId,
    number: thread.messages.length,
    recipients: intents.length,
    sentAt: message.sentAt,
  });
}

/** Changes the text of the actor's own message, within 15 minutes of sending it. */
export async function editMessage(
  deps: MessagingDeps,
  actor: MessagingActor,
  input: { threadId: string; messageId: string; text: string },
): Promise<ThreadView> {
  const errors = [
    ...threadIdErrors(input.threadId),
    ...messageIdErrors(input.messageId),
    ...textErrors(input.text),
  ];
  if (errors.length > 0) throw invalid(INVALID, INVALID_DETAIL, errors);
  const now = deps.now();
  const action = { action: 'messaging.message.edit', object: `thread:${input.threadId}` };
  const outcome = await deps.runner.unit(async (tx): Promise<Outcome<ThreadDoc>> => {
    const found = await ownMessage(tx, actor, input.threadId, input.messageId);
    if (!found) return { refused: action };
    const { thread, message } = found;
    if (message.deleted) throw precondition('messaging.message_deleted', 'Сообщение удалено');
    if (now.getTime() - Date.parse(message.sentAt) > EDIT_WINDOW_MS) {
      throw precondition(
        'messaging.edit_window_passed',
        'Сообщение можно изменить только в течение 15 минут после отправки',
      );
    }
    const edited: ThreadMessage = { ...message, text: input.text.trim(), editedAt: now.toISOString() };
    const changed = withMessage(thread, edited);
    tx.put('threads', changed);
    return { done: changed };
  });
  return viewAfter(deps, actor, outcome, 'participant');
}

/**
 * Deletes the actor's own message while nobody else has read it: the record stays (author,
 * times, `deleted`), its text and files go.
 */
export async function deleteMessage(
  deps: MessagingDeps,
  actor: MessagingActor,
  input: { threadId: string; messageId: string },
): Promise<ThreadView> {
  const errors = [...threadIdErrors(input.threadId), ...messageIdErrors(input.messageId)];
  if (errors.length > 0) throw invalid(INVALID, INVALID_DETAIL, errors);
  const action = { action: 'messaging.message.delete', object: `thread:${input.threadId}` };
  const outcome = await deps.runner.unit(async (tx): Promise<Outcome<ThreadDoc>> => {
    const found = await ownMessage(tx, actor, input.threadId, input.messageId);
    if (!found) return { refused: action };
    const { thread, message } = found;
    if (message.deleted) return { done: thread };
    if (message.readBy.some((r) => r.personId !== message.authorId)) {
      throw precondition('messaging.already_read', 'Сообщение уже прочитано, удалить его нельзя');
    }
    const changed = withMessage(thread, { ...message, deleted: true, text: '', attachments: [] });
    const others = changed.participants.map((p) => p.personId).filter((id) => id !== actor.personId);
    await saveThread(tx, changed, others);
    return { done: changed };
  });
  return viewAfter(deps, actor, outcome, 'participant');
}

/** The actor's message in a thread they are in; null when either is not theirs (refused alike). */
async function ownMessage(
  tx: UnitTx,
  actor: MessagingActor,
  threadId: string,
  messageId: string,
): Promise<{ thread: ThreadDoc; message: ThreadMessage } | null> {
  const thread = await tx.get('threads', threadId.trim());
  if (!thread || threadAccess(actor, thread, false) !== 'participant') return null;
  const message = thread.messages.find((m) => m.id === messageId.trim());
  if (!message) throw notFound('messaging.message_not_found', 'Сообщение не найдено');
  return message.authorId === actor.personId ? { thread, message } : null;
}

function withMessage(thread: ThreadDoc, message: ThreadMessage): ThreadDoc {
  return { ...thread, messages: thread.messages.map((m) => (m.id === message.id ? message : m)) };
}

function authorOf(thread: ThreadDoc): string {
  return thread.messages[0]?.authorId ?? thread.participants[0]?.personId ?? '';
}

function threadIdErrors(threadId: string): FieldError[] {
  return threadId.trim() ? [] : [{ field: 'thread_id', message: 'Переписка: укажите переписку' }];
}

function messageIdErrors(messageId: string): FieldError[] {
  return messageId.trim() ? [] : [{ field: 'message_id', message: 'Сообщение: укажите сообщение' }];
}

// --- Reading ------------------------------------------------------------------------------------------

/**
 * A thread with its messages. A participant's reading marks the others' messages read (read
 * receipts) and zeroes their unread count; the administration reads a reported one and changes
 * nothing.
 */
export async function getThread(
  deps: MessagingDeps,
  actor: MessagingActor,
  input: { threadId: string },
): Promise<ThreadView> {
  const errors = threadIdErrors(input.threadId);
  if (errors.length > 0) throw invalid(INVALID, INVALID_DETAIL, errors);
  const at = deps.now().toISOString();
  const threadId = input.threadId.trim();
  const action = { action: 'messaging.thread.read', object: `thread:${threadId}` };
  const outcome = await deps.runner.unit(
    async (tx): Promise<Outcome<{ thread: ThreadDoc; access: ThreadAccess }>> => {
      const thread = await tx.get('threads', threadId);
      const access = thread && (await accessTo(tx, actor, thread));
      if (!thread || !access) return { refused: action };
      if (access === 'reviewer') return { done: { thread, access } };
      const seen = readBy(thread, actor.personId!, at);
      if (seen !== thread) tx.put('threads', seen);
      await saveIndexEntry(tx, actor.personId!, seen);
      return { done: { thread: seen, access } };
    },
  );
  if ('refused' in outcome) return refuse(deps, actor, outcome);
  return view(deps.runner, actor, outcome.done.thread, outcome.done.access!);
}

/** The thread with every message of others marked read by the person (itself when nothing changes). */
function readBy(thread: ThreadDoc, personId: string, at: string): ThreadDoc {
  let changed = false;
  const messages = thread.messages.map((m) => {
    if (m.authorId === personId || m.deleted || m.readBy.some((r) => r.personId === personId)) return m;
    changed = true;
    return { ...m, readBy: [...m.readBy, { personId, readAt: at }] };
  });
  return changed ? { ...thread, messages } : thread;
}

async function accessTo(reader: DocReader, actor: MessagingActor, thread: ThreadDoc): Promise<ThreadAccess> {
  const asParticipant = threadAccess(actor, thread, false);
  if (asParticipant || !thread.reported) return asParticipant;
  return threadAccess(actor, thread, isAdministration(actor, await schoolScope(reader, thread.schoolId)));
}

export interface ListThreadsInput {
  query: string;
  unreadOnly: boolean;
  /** 0 for the default. */
  limit: number;
  /** '' for the first page. */
  cursor: string;
}

export interface ThreadList {
  /** Newest activity first (messages included: the caller leaves them out). */
  threads: ThreadView[];
  /** Unread messages over all the actor's threads. */
  unread: number;
  /** '' on the last page. */
  nextCursor: string;
}

/** The actor's threads, newest activity first; `query` finds words in subjects and texts. */
export async function listThreads(
  deps: Pick<MessagingDeps, 'runner'>,
  actor: MessagingActor,
  input: ListThreadsInput,
): Promise<ThreadList> {
  const { limit, offset, words } = validListing(input);
  const entries = actor.personId
    ? ((await deps.runner.get('threadIndex', actor.personId))?.threads ?? [])
    : [];
  const unread = entries.reduce((sum, e) => sum + e.unread, 0);
  const ordered = [...entries]
    .filter((e) => !input.unreadOnly || e.unread > 0)
    .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt) || a.threadId.localeCompare(b.threadId));
  const found: ThreadDoc[] = [];
  // Without a query only the page's threads are loaded; with one, every thread until the page is full.
  for (const entry of ordered) {
    if (found.length >= offset + limit + 1) break;
    const thread = await deps.runner.get('threads', entry.threadId);
    if (thread && isIn(thread, actor) && (words.length === 0 || matches(thread, words))) found.push(thread);
  }
  const page = found.slice(offset, offset + limit);
  const threads = await Promise.all(page.map((t) => view(deps.runner, actor, t, 'participant')));
  return { threads, unread, nextCursor: found.length > offset + limit ? String(offset + limit) : '' };
}

function isIn(thread: ThreadDoc, actor: MessagingActor): boolean {
  return threadAccess(actor, thread, false) === 'participant';
}

function validListing(input: ListThreadsInput): { limit: number; offset: number; words: string[] } {
  const errors: FieldError[] = [];
  const cursor = input.cursor.trim();
  if (cursor && !/^\d{1,9}$/.test(cursor)) {
    errors.push({ field: 'cursor', message: 'Курсор: значение next_cursor предыдущей страницы' });
  }
  if (!Number.isInteger(input.limit) || input.limit < 0) {
    errors.push({ field: 'limit', message: `Количество: от 1 до ${MAX_PAGE}` });
  }
  if (input.query.length > MAX_SUBJECT_LENGTH) {
    errors.push({ field: 'query', message: `Поиск: не больше ${MAX_SUBJECT_LENGTH} символов` });
  }
  if (errors.length > 0) throw invalid(INVALID, 'Запрос заполнен с ошибками', errors);
  return {
    limit: Math.min(input.limit || DEFAULT_PAGE, MAX_PAGE),
    offset: cursor ? Number(cursor) : 0,
    words: input.query.toLowerCase().split(/\s+/).filter(Boolean),
  };
}

/** Every word is in the subject or in a message that is not deleted. */
function matches(thread: ThreadDoc, words: string[]): boolean {
  const texts = [thread.subject, ...thread.messages.filter((m) => !m.deleted).map((m) => m.text)].map((t) =>
    t.toLowerCase(),
  );
  return words.every((word) => texts.some((t) => t.includes(word)));
}

// --- Reports ------------------------------------------------------------------------------------------

/**
 * A participant reports the thread: from then on the school's administration may read it, and
 * they are told. The first report stands; a later one changes nothing.
 */
export async function reportThread(
  deps: MessagingDeps,
  actor: MessagingActor,
  input: { threadId: string; reason: string },
): Promise<ThreadView> {
  const reason = input.reason.trim();
  const errors = threadIdErrors(input.threadId);
  if (!reason || reason.length > MAX_REASON_LENGTH) {
    errors.push({ field: 'reason', message: `Причина: от 1 до ${MAX_REASON_LENGTH} символов` });
  }
  if (errors.length > 0) throw invalid(INVALID, INVALID_DETAIL, errors);
  const at = deps.now().toISOString();
  const action = { action: 'messaging.thread.report', object: `thread:${input.threadId}` };
  const outcome = await deps.runner.unit(async (tx): Promise<Outcome<ThreadDoc>> => {
    const thread = await tx.get('threads', input.threadId.trim());
    if (!thread || threadAccess(actor, thread, false) !== 'participant') return { refused: action };
    if (thread.reported) return { done: thread };
    const reported: ThreadDoc = {
      ...thread,
      reported: true,
      reportedAt: at,
      reportedBy: actor.personId!,
      reportReason: reason,
    };
    tx.put('threads', reported);
    await deps.tell(tx, await reportIntents(tx, reported));
    deps.emit(tx, {
      kind: 'threadReported',
      threadId: reported._id,
      schoolId: reported.schoolId,
      reportedBy: reported.reportedBy,
      reportedAt: reported.reportedAt,
    });
    return { done: reported };
  });
  return viewAfter(deps, actor, outcome, 'participant');
}

// --- Settings -----------------------------------------------------------------------------------------

function schoolIdErrors(schoolId: string): FieldError[] {
  return schoolId.trim() ? [] : [{ field: 'school_id', message: 'Школа: укажите школу' }];
}

/** The school's messaging settings (any of its staff). */
export async function getMessagingSettings(
  deps: Pick<MessagingDeps, 'runner' | 'authorize'>,
  actor: MessagingActor,
  input: { schoolId: string },
): Promise<MessagingSettingsDoc> {
  const errors = schoolIdErrors(input.schoolId);
  if (errors.length > 0) throw invalid(INVALID, 'Запрос заполнен с ошибками', errors);
  const schoolId = input.schoolId.trim();
  const school = await schoolScope(deps.runner, schoolId);
  deps.authorize(actor, readsSettings(actor, school), {
    action: 'messaging.settings.read',
    object: `school:${schoolId}`,
  });
  return settingsOf(deps.runner, schoolId);
}

/** Changes them (the administration), if nobody changed them since `expectedVersion` was read. */
export async function setMessagingSettings(
  deps: Pick<MessagingDeps, 'runner' | 'authorize'>,
  actor: MessagingActor,
  input: { schoolId: string; studentsMayWrite: boolean; expectedVersion: number },
): Promise<MessagingSettingsDoc> {
  const errors = schoolIdErrors(input.schoolId);
  if (!Number.isInteger(input.expectedVersion) || input.expectedVersion < 0) {
    errors.push({ field: 'expected_version', message: 'Версия: номер прочитанной версии настроек' });
  }
  if (errors.length > 0) throw invalid(INVALID, 'Запрос заполнен с ошибками', errors);
  const schoolId = input.schoolId.trim();
  const action = { action: 'messaging.settings.write', object: `school:${schoolId}` };
  const outcome = await deps.runner.unit(async (tx): Promise<Outcome<MessagingSettingsDoc>> => {
    if (!managesSettings(actor, await schoolScope(tx, schoolId))) return { refused: action };
    const stored = await settingsOf(tx, schoolId);
    if (stored.version !== input.expectedVersion) {
      throw conflict('messaging.version_conflict', 'Настройки уже изменил кто-то другой: откройте их заново');
    }
    const changed = {
      ...stored,
      studentsMayWrite: input.studentsMayWrite === true,
      version: stored.version + 1,
    };
    tx.put('messagingSettings', changed);
    return { done: changed };
  });
  if ('refused' in outcome) return refuse(deps, actor, outcome);
  return outcome.done;
}

// --- Indexes ------------------------------------------------------------------------------------------

/** A person's unread messages in a thread: others' messages, not deleted, not read by them. */
export function unreadFor(thread: ThreadDoc, personId: string): number {
  return thread.messages.filter(
    (m) => m.authorId !== personId && !m.deleted && !m.readBy.some((r) => r.personId === personId),
  ).length;
}

/** Puts the thread and the index entries of `personIds`. */
async function saveThread(tx: UnitTx, thread: ThreadDoc, personIds: string[]): Promise<void> {
  tx.put('threads', thread);
  for (const personId of personIds) await saveIndexEntry(tx, personId, thread);
}

/** The person's index entry for the thread as the thread now stands (put only when it changed). */
async function saveIndexEntry(tx: UnitTx, personId: string, thread: ThreadDoc): Promise<void> {
  const stored = await tx.get('threadIndex', personId);
  const index: ThreadIndexDoc = stored ?? { _id: personId, threads: [] };
  const entry = {
    threadId: thread._id,
    lastMessageAt: thread.lastMessageAt,
    unread: unreadFor(thread, personId),
  };
  const threads = [...index.threads.filter((e) => e.threadId !== thread._id), entry].sort(
    (a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt) || a.threadId.localeCompare(b.threadId),
  );
  if (stored && sameValue(stored.threads, threads)) return;
  tx.put('threadIndex', { ...index, threads });
}

// --- Intents ------------------------------------------------------------------------------------------

async function schoolView(reader: DocReader, schoolId: string): Promise<{ name: string; timeZone: string }> {
  const school = await read(reader, 'schools', schoolId);
  return { name: school?.name ?? '', timeZone: school?.timeZone || FALLBACK_TIME_ZONE };
}

async function nameOf(reader: DocReader, personId: string): Promise<string> {
  return (await read(reader, 'people', personId))?.displayName || 'Пользователь';
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > QUOTE_LENGTH ? `${flat.slice(0, QUOTE_LENGTH)}…` : flat;
}

/** "New message" to every participant but its author. */
async function messageIntents(
  reader: DocReader,
  thread: ThreadDoc,
  message: ThreadMessage,
): Promise<NotificationIntent[]> {
  const school = await schoolView(reader, thread.schoolId);
  const body = `${await nameOf(reader, message.authorId)}: ${quote(message.text)}`;
  return thread.participants
    .filter((p) => p.personId !== message.authorId)
    .map((p) => ({
      eventId: message.id,
      trigger: 'message_received' as const,
      recipientId: p.personId,
      studentId: thread.studentId,
      schoolId: thread.schoolId,
      schoolName: school.name,
      timeZone: school.timeZone,
      title: `Новое сообщение: ${thread.subject}`,
      body,
      link: `thread:${thread._id}`,
      occurredAt: message.sentAt,
    }));
}

/** A report, to the school's administration (but the reporter). */
async function reportIntents(reader: DocReader, thread: ThreadDoc): Promise<NotificationIntent[]> {
  const school = await schoolView(reader, thread.schoolId);
  const { administration } = await schoolScope(reader, thread.schoolId);
  const body = `${await nameOf(reader, thread.reportedBy)} сообщает о переписке «${thread.subject}»: ${quote(thread.reportReason)}`;
  return administration
    .filter((id) => id !== thread.reportedBy)
    .map((recipientId) => ({
      eventId: `${thread._id}:report`,
      trigger: 'message_received' as const,
      recipientId,
      studentId: thread.studentId,
      schoolId: thread.schoolId,
      schoolName: school.name,
      timeZone: school.timeZone,
      title: 'Жалоба на переписку',
      body,
      link: `thread:${thread._id}`,
      occurredAt: thread.reportedAt,
    }));
}

// --- Views --------------------------------------------------------------------------------------------

function refuse(deps: Pick<MessagingDeps, 'authorize'>, actor: MessagingActor, outcome: Refusal): never {
  deps.authorize(actor, false, outcome.refused);
  // authorize throws when not allowed; this only guards a policy port that does not.
  throw forbidden('access.denied', 'Недостаточно прав для этого действия');
}

async function viewAfter(
  deps: MessagingDeps,
  actor: MessagingActor,
  outcome: Outcome<ThreadDoc>,
  access: Exclude<ThreadAccess, null>,
): Promise<ThreadView> {
  if ('refused' in outcome) return refuse(deps, actor, outcome);
  return view(deps.runner, actor, outcome.done, access);
}

/**
 * The thread as the actor may see it. An announcement reaches hundreds or thousands: nobody but
 * its author sees who else it reached or who read it, and it shows only its author and the actor.
 */
export async function view(
  reader: DocReader,
  actor: MessagingActor,
  thread: ThreadDoc,
  access: Exclude<ThreadAccess, null>,
): Promise<ThreadView> {
  const actorId = actor.personId ?? '';
  const shown = thread.kind === 'announcement' ? announcementAsSeenBy(thread, actorId) : thread;
  const ids = new Set([
    ...shown.participants.map((p) => p.personId),
    ...shown.messages.map((m) => m.authorId),
  ]);
  const names = new Map<string, string>();
  for (const id of ids) names.set(id, await nameOf(reader, id));
  return { thread: shown, access, unread: access === 'participant' ? unreadFor(thread, actorId) : 0, names };
}

function announcementAsSeenBy(thread: ThreadDoc, personId: string): ThreadDoc {
  const author = authorOf(thread);
  const participants = thread.participants.filter((p) => p.personId === author || p.personId === personId);
  if (personId === author) return { ...thread, participants };
  const messages = thread.messages.map((m) => ({
    ...m,
    readBy: m.readBy.filter((r) => r.personId === personId),
  }));
  return { ...thread, participants, messages };
}
