// The notifications service's own documents: copies of the relations it decides with (from
// roster's, schedule's and gradebook's events) and what it tells people. Each copy is read by an id
// the service can compute (FerretDB 1.24 uses only the `_id` index) and guarded by its source's
// version, so repeats and cross-topic order change nothing.

/** Triggers: what a person may be told about (R7.2, R6.4, R7.1). */
export const TRIGGERS = [
  'mark_posted',
  'mark_corrected',
  'low_mark',
  'absence',
  'repeated_absence',
  'homework_tomorrow',
  'period_mark',
  'timetable_changed',
  'school_event',
  'message_received',
  'progress_report',
] as const;

export type Trigger = (typeof TRIGGERS)[number];

/** Channels besides the in-app inbox, which always gets a notification. */
export const CHANNELS = ['email', 'sms', 'push'] as const;

export type Channel = (typeof CHANNELS)[number];

// --- Copies ---------------------------------------------------------------------------------------

/** A school: its name for templates, its zone for quiet hours and "tomorrow". */
export interface SchoolCopy {
  _id: string;
  name: string;
  timeZone: string;
  /** From gradebook's policy: a mark at or below it is low (default 2). */
  lowMarkThreshold: number;
  version: number;
  policyVersion: number;
  /** Every class of the school roster has told (open or closed), sorted: a school event's fan-out. */
  classIds: string[];
  /** Every staff position of the school (StaffCopy ids, dismissed ones too), sorted: its deputies. */
  staffPositionIds: string[];
}

export interface ClassCopy {
  _id: string;
  schoolId: string;
  academicYearId: string;
  name: string;
  classTeacherId: string;
  /** 'closed' once roster closed it (a school event no longer fans out to it). */
  status: 'open' | 'closed';
  /**
   * Every student ever moved into the class (some may have left, some arrive later), sorted: the
   * students on a day are those whose `classOn(student, day)` is this class.
   */
  studentIds: string[];
  /** Teachers of the class (active teaching assignments), sorted. */
  teacherIds: string[];
  /** Schedule's teaching assignments of the class, each by its version (`teacherIds` from them). */
  assignments: { assignmentId: string; teacherId: string; active: boolean; version: number }[];
  /** Roster's version of the class (0 while only schedule or a movement has told of it). */
  version: number;
}

/** A person's name and kind; guardians too (messaging shows who writes). */
export interface PersonCopy {
  _id: string;
  schoolId: string;
  /** "student", "guardian" or "staff". */
  kind: string;
  displayName: string;
  version: number;
}

/**
 * A move of a student (one roster student event): from `from` on the student is in `toClassId`
 * ('' = in no class). A graduation's `from` is the day after its last day.
 */
export interface StudentMove {
  enrolmentId: string;
  version: number;
  from: string;
  toClassId: string;
}

/** A student: the class (by dated moves), the guardians who may be told (active guardianship with consent). */
export interface StudentCopy {
  _id: string;
  schoolId: string;
  /**
   * The class of the move with the latest effective day ('' when in no class); it may lie ahead
   * (a promotion told in June): the class on a day is `classOn(student, day)` over `moves`.
   */
  classId: string;
  /** Every move applied, by effective day (then moves out before moves in, enrolment, version). */
  moves: StudentMove[];
  /** Every link, ended ones too; `active`: the link is active and the guardian's consent in effect. */
  guardians: { guardianshipId: string; guardianId: string; active: boolean; version: number }[];
  /** Newest enrolment version applied per enrolment id. */
  applied: Record<string, number>;
}

/** A guardian's children (active guardianships with consent). */
export interface GuardianCopy {
  _id: string;
  /** The children of the active links, sorted. */
  studentIds: string[];
  /** Every link of the guardian, each by its version (`studentIds` from them). */
  links: { guardianshipId: string; studentId: string; active: boolean; version: number }[];
}

/** A school's heads and admins (roster's staff positions): the administration in messaging. */
export interface StaffCopy {
  /** The position id. */
  _id: string;
  schoolId: string;
  personId: string;
  /** Roster's staff position kind, e.g. "director", "deputy", "teacher". */
  kind: string;
  status: 'active' | 'dismissed';
  version: number;
}

/**
 * A subject's name for texts (gradebook's records carry only its id and key): from schedule's
 * catalogue (`subject.created`), else from a teaching assignment or a lesson that named it.
 */
export interface SubjectCopy {
  /** The subject id. */
  _id: string;
  key: string;
  name: string;
  /** "catalogue" (schedule's subject event: final) or "mention" (named by an assignment or a lesson). */
  source: 'catalogue' | 'mention';
}

/** A subgroup of a class with its members now (roster's), so that a subgroup's lesson tells only them. */
export interface SubgroupCopy {
  _id: string;
  schoolId: string;
  classId: string;
  /** Sorted; [] once disbanded. */
  memberIds: string[];
  status: 'open' | 'closed';
  version: number;
}

/**
 * A student's recent absences with whether each is unexcused (R7.2: repeated unexcused absences
 * are told to the class teacher and the deputies; the progress report counts both). One entry per
 * lesson, by the lesson record's version; an entry no longer an absence stays (absent and
 * unexcused false), so that an older event cannot bring it back. Entries more than
 * ABSENCE_MEMORY_DAYS before the newest are dropped.
 */
export interface AbsenceCopy {
  /** The student id. */
  _id: string;
  schoolId: string;
  /** Sorted by date, then lesson id. */
  lessons: {
    lessonId: string;
    classId: string;
    date: string;
    /** Absent from the lesson (a late arrival is not an absence). */
    absent: boolean;
    /** Absent without a good reason. */
    unexcused: boolean;
    version: number;
  }[];
}

/** Days of absences an AbsenceCopy keeps before its newest one. */
export const ABSENCE_MEMORY_DAYS = 60;

/**
 * A student's recent marks (the biweekly progress report, R7.2): one entry per mark by the lesson
 * record's version; a mark no longer standing stays with `active` false, so that an older event
 * cannot bring it back. Entries more than MARK_MEMORY_DAYS before the newest are dropped.
 */
export interface MarksCopy {
  /** The student id. */
  _id: string;
  schoolId: string;
  /** Sorted by date, then lesson id, then mark id. */
  marks: {
    markId: string;
    lessonId: string;
    subjectId: string;
    date: string;
    /** "5", "4", "3", "2", "1", "зачёт" … as gradebook told it. */
    value: string;
    workTypeName: string;
    active: boolean;
    version: number;
  }[];
}

/** Days of marks a MarksCopy keeps before its newest one. */
export const MARK_MEMORY_DAYS = 60;

/** The copies' collections and their documents (the CopyTx port reads and writes by these). */
export interface CopyDocs {
  schools: SchoolCopy;
  classes: ClassCopy;
  people: PersonCopy;
  students: StudentCopy;
  guardians: GuardianCopy;
  staff: StaffCopy;
  subjects: SubjectCopy;
  subgroups: SubgroupCopy;
  absences: AbsenceCopy;
  marks: MarksCopy;
}

export type CopyCollection = keyof CopyDocs;

export const COPY_COLLECTIONS = [
  'schools',
  'classes',
  'people',
  'students',
  'guardians',
  'staff',
  'subjects',
  'subgroups',
  'absences',
  'marks',
] as const satisfies readonly CopyCollection[];

// --- What people are told -------------------------------------------------------------------------

/**
 * What a trigger decided: tell this person this, about this event. The delivery engine turns it
 * into an inbox item (always) and deliveries per channel the person's preferences allow.
 */
export interface NotificationIntent {
  /**
   * The source event's id: with the trigger, the recipient and the student, the notification's
   * identity (one event may tell a guardian of two children twice, once per child).
   */
  eventId: string;
  trigger: Trigger;
  recipientId: string;
  /** The student it is about ('' when none). */
  studentId: string;
  schoolId: string;
  /** The school's name and zone (templates, quiet hours). */
  schoolName: string;
  timeZone: string;
  /** In Russian; no other child's data, ever. */
  title: string;
  body: string;
  /** What to open, e.g. `diary:week:<student>:<date>`. */
  link: string;
  /** The source event's instant (RFC 3339): delivery latency is measured from it. */
  occurredAt: string;
}

/** The identity of the notification of an intent (its inbox entry's id), stable across replays. */
export function notificationId(
  intent: Pick<NotificationIntent, 'eventId' | 'trigger' | 'recipientId' | 'studentId'>,
): string {
  return [intent.eventId, intent.trigger, intent.recipientId, intent.studentId].join(':');
}

// --- Inbox (always delivered) ---------------------------------------------------------------------

export interface InboxEntry {
  /** `notificationId(intent)`. */
  id: string;
  trigger: Trigger;
  title: string;
  body: string;
  studentId: string;
  schoolId: string;
  link: string;
  /** The source event's instant (RFC 3339). */
  occurredAt: string;
  /** When it reached the inbox. */
  createdAt: string;
  /** '' while unread. */
  readAt: string;
}

/**
 * A person's inbox: one document, newest first, at most INBOX_LIMIT entries (the oldest read ones
 * go first; unread ones are kept until read).
 */
export interface InboxDoc {
  /** The person id. */
  _id: string;
  entries: InboxEntry[];
}

export const INBOX_LIMIT = 500;

// --- Preferences (R7.3) ---------------------------------------------------------------------------

/** How a trigger's channel messages go: coalesced over a short window, or in a digest. */
export const DELIVERY_MODES = ['instant', 'daily', 'weekly'] as const;

export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export interface TriggerPreference {
  trigger: Trigger;
  /** Told at all (the inbox gets it whenever true). */
  enabled: boolean;
  /** Channels besides the inbox. */
  channels: Channel[];
  delivery: DeliveryMode;
}

/** A person's preferences; the defaults (`defaultPreferences`) until they set their own. */
export interface PreferencesDoc {
  /** The person id. */
  _id: string;
  /** One per trigger, in TRIGGERS order. */
  triggers: TriggerPreference[];
  /** Contacts the person gave (R7.3); '' when none. */
  email: string;
  phone: string;
  /** "HH:MM" in the school's zone: no e-mail, SMS or push from `quietFrom` until `quietUntil`. */
  quietFrom: string;
  quietUntil: string;
  /** "HH:MM" of digests; 1 = Monday … 7 = Sunday for weekly ones. */
  digestTime: string;
  digestWeekday: number;
  /** 0 for defaults never stored. */
  version: number;
  /** RFC 3339; '' for defaults. */
  updatedAt: string;
}

// --- Deliveries through channels -------------------------------------------------------------------

/** queued: waits for `dueAt`; sent; failed: given up after the last attempt. */
export type DeliveryStatus = 'queued' | 'sent' | 'failed';

/** One delivery per (notification, channel): a replayed event finds it and sends nothing. */
export interface Delivery {
  /** `<notification id>:<channel>`. */
  id: string;
  notificationId: string;
  channel: Channel;
  trigger: Trigger;
  title: string;
  body: string;
  link: string;
  studentId: string;
  schoolName: string;
  timeZone: string;
  mode: DeliveryMode;
  occurredAt: string;
  queuedAt: string;
  /** Not before: the end of the coalescing window, of quiet hours, the digest's time or the retry's. */
  dueAt: string;
  status: DeliveryStatus;
  attempts: number;
  /** The provider's last error ('' when none). */
  lastError: string;
  /** '' until sent. */
  sentAt: string;
}

/**
 * A person's deliveries: queued ones, and those sent or failed within DELIVERY_MEMORY_DAYS (so a
 * replay of a recent event is recognised; an intent older than that is not delivered at all).
 */
export interface DeliveryQueueDoc {
  /** The person id. */
  _id: string;
  deliveries: Delivery[];
}

export const DELIVERY_MEMORY_DAYS = 14;

/** One message through a channel: one delivery, or several coalesced (a digest). */
export interface ChannelMessage {
  channel: Channel;
  recipientId: string;
  /** The e-mail address, the phone number, or the person id for push. */
  address: string;
  /** In Russian, with the school's name. */
  subject: string;
  text: string;
  /** The deliveries it carries. */
  deliveryIds: string[];
}

// --- Progress reports (R7.2) ----------------------------------------------------------------------

/**
 * A class's biweekly reports of one round: per child and guardian, sent and opened (the
 * notification read). Written once per class and round.
 */
export interface ProgressRoundDoc {
  /** `<class id>:<round's first day>`. */
  _id: string;
  classId: string;
  schoolId: string;
  /** YYYY-MM-DD, a Monday; the round is 14 days. */
  startsOn: string;
  endsOn: string;
  rows: {
    /** `<class id>:<first day>:<student id>:<guardian id>`. */
    reportId: string;
    studentId: string;
    guardianId: string;
    /** The inbox entry's id (opened = read). */
    notificationId: string;
    sentAt: string;
    openedAt: string;
  }[];
  createdAt: string;
}

// --- Messaging (R7.1) -----------------------------------------------------------------------------

export interface Attachment {
  /** A reference to a stored file, never the file. */
  fileId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  scanStatus: 'clean' | 'pending' | 'infected';
}

export interface ThreadMessage {
  id: string;
  authorId: string;
  text: string;
  attachments: Attachment[];
  sentAt: string;
  /** '' unless edited. */
  editedAt: string;
  deleted: boolean;
  readBy: { personId: string; readAt: string }[];
}

export type ParticipantRole = 'guardian' | 'student' | 'teacher' | 'class_teacher' | 'administration';

export interface ThreadDoc {
  _id: string;
  schoolId: string;
  kind: 'conversation' | 'announcement';
  subject: string;
  studentId: string;
  /** Announcements: "class:<id>" or "school:<id>"; '' for conversations. */
  audience: string;
  /** Conversations: everyone in it; announcements: the author and everyone it reached. */
  participants: { personId: string; role: ParticipantRole }[];
  messages: ThreadMessage[];
  createdAt: string;
  lastMessageAt: string;
  reported: boolean;
  reportedAt: string;
  reportedBy: string;
  reportReason: string;
}

/** A person's threads (listing, unread counts and search start here). */
export interface ThreadIndexDoc {
  /** The person id. */
  _id: string;
  threads: { threadId: string; lastMessageAt: string; unread: number }[];
}

/** A school's messaging settings. */
export interface MessagingSettingsDoc {
  /** The school id. */
  _id: string;
  /** Students may write to their teachers (R7.1: a school setting; default false). */
  studentsMayWrite: boolean;
  version: number;
}

// --- What the service publishes (edu.notifications.v1) -----------------------------------------------

/** Facts published on the service's topic: that people were told or wrote, never what. */
export type PublishedFact =
  | {
      kind: 'messagePosted';
      threadId: string;
      schoolId: string;
      messageId: string;
      authorId: string;
      threadKind: ThreadDoc['kind'];
      studentId: string;
      /** The message's number in the thread (1 for the first): the event's aggregate version. */
      number: number;
      recipients: number;
      sentAt: string;
    }
  | { kind: 'threadReported'; threadId: string; schoolId: string; reportedBy: string; reportedAt: string }
  | {
      kind: 'progressReportsSent';
      classId: string;
      schoolId: string;
      startsOn: string;
      endsOn: string;
      reports: number;
      sentAt: string;
    };

/** Encoded events waiting for the relay (written with the unit that decided them; see data-access). */
export interface OutboxDoc {
  /** The event id. */
  _id: string;
  outbox: unknown[];
  outboxPending: boolean;
  outboxSince?: Date;
}

// --- Every document of the service ------------------------------------------------------------------

/** Every collection of the service and its documents (the unit of work reads and writes by these). */
export interface NotificationDocs extends CopyDocs {
  inbox: InboxDoc;
  preferences: PreferencesDoc;
  deliveries: DeliveryQueueDoc;
  progress: ProgressRoundDoc;
  threads: ThreadDoc;
  threadIndex: ThreadIndexDoc;
  messagingSettings: MessagingSettingsDoc;
  outbox: OutboxDoc;
}

export type DocCollection = keyof NotificationDocs;

export const DOC_COLLECTIONS = [
  ...COPY_COLLECTIONS,
  'inbox',
  'preferences',
  'deliveries',
  'progress',
  'threads',
  'threadIndex',
  'messagingSettings',
  'outbox',
] as const satisfies readonly DocCollection[];
