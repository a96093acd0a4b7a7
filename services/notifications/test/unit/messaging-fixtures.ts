import { forbidden } from '@edu/kit';
import type { AttachmentInput } from '../../src/domain/attachments';
import type { MessagingDeps, StartThreadInput } from '../../src/domain/messaging';
import type { MessagingActor } from '../../src/domain/messaging-access';
import type {
  Attachment,
  ClassCopy,
  GuardianCopy,
  NotificationIntent,
  PublishedFact,
  PersonCopy,
  StaffCopy,
  StudentCopy,
} from '../../src/domain/model';
import { MemoryDocs } from './memory-copies';

// A school for the messaging tests (Moscow, 24.11.2026):
//   school S1: director DIR, deputy DEP (and a dismissed deputy OLD_DEP), teachers T_A, T_B, MATH,
//     ART, secretary SEC; class 5А (class teacher T_A, taught by MATH and T_A): IVAN (guardians
//     ANNA, active, and BORIS, link ended) and PETR (GLEB); SASHA left 5А on 01.11 (LENA);
//     class 5Б (class teacher T_B, taught by ART): OLGA (VERA); closed class 4В: ZOE (ZOE_MUM).
//   school S2: teacher OTHER, class 5X: XENIA (X_MUM).

export const S1 = 'school-1';
export const S2 = 'school-2';
export const CLASS_A = 'class-5a';
export const CLASS_B = 'class-5b';
export const CLASS_CLOSED = 'class-4v';
export const CLASS_X = 'class-5x';

export const DIR = 'p-dir';
export const DEP = 'p-dep';
export const OLD_DEP = 'p-old-dep';
export const T_A = 'p-teacher-a';
export const T_B = 'p-teacher-b';
export const MATH = 'p-math';
export const ART = 'p-art';
export const SEC = 'p-sec';
export const OTHER = 'p-other';

export const IVAN = 'p-ivan';
export const PETR = 'p-petr';
export const SASHA = 'p-sasha';
export const OLGA = 'p-olga';
export const ZOE = 'p-zoe';
export const XENIA = 'p-xenia';

export const ANNA = 'p-anna';
export const BORIS = 'p-boris';
export const GLEB = 'p-gleb';
export const LENA = 'p-lena';
export const VERA = 'p-vera';
export const ZOE_MUM = 'p-zoe-mum';
export const X_MUM = 'p-x-mum';

export const NOW = '2026-11-24T09:00:00.000Z';

export const NAMES: Record<string, string> = {
  [DIR]: 'Директорова Д. Д.',
  [DEP]: 'Завучева З. З.',
  [T_A]: 'Иванова А. П.',
  [T_B]: 'Борисова Б. Б.',
  [MATH]: 'Математиков М. М.',
  [ART]: 'Художникова Х. Х.',
  [IVAN]: 'Иванов Иван',
  [OLGA]: 'Смирнова Ольга',
  [ANNA]: 'Иванова Анна',
  [VERA]: 'Смирнова Вера',
  [GLEB]: 'Петров Глеб',
};

export function guardianActor(personId: string): MessagingActor {
  return { accountId: `acc-${personId}`, personId, schoolRoles: [], grants: [] };
}

export function staffActor(personId: string, role: string, schoolId = S1): MessagingActor {
  return { accountId: `acc-${personId}`, personId, schoolRoles: [{ schoolId, role }], grants: [] };
}

export const actors = {
  anna: guardianActor(ANNA),
  boris: guardianActor(BORIS),
  vera: guardianActor(VERA),
  gleb: guardianActor(GLEB),
  ivan: guardianActor(IVAN),
  dir: staffActor(DIR, 'director'),
  dep: staffActor(DEP, 'deputy'),
  schoolAdmin: staffActor('p-admin', 'schoolAdmin'),
  tA: staffActor(T_A, 'teacher'),
  tB: staffActor(T_B, 'teacher'),
  math: staffActor(MATH, 'teacher'),
  art: staffActor(ART, 'teacher'),
  sec: staffActor(SEC, 'secretary'),
  other: staffActor(OTHER, 'teacher', S2),
};

function position(id: string, schoolId: string, personId: string, kind: string, active = true): StaffCopy {
  return { _id: id, schoolId, personId, kind, status: active ? 'active' : 'dismissed', version: 1 };
}

function schoolClass(
  id: string,
  schoolId: string,
  name: string,
  classTeacherId: string,
  teacherIds: string[],
  studentIds: string[],
  status: 'open' | 'closed' = 'open',
): ClassCopy {
  return {
    _id: id,
    schoolId,
    academicYearId: 'y2026',
    name,
    classTeacherId,
    status,
    studentIds,
    teacherIds,
    assignments: [],
    version: 1,
  };
}

function student(
  id: string,
  schoolId: string,
  moves: { from: string; toClassId: string }[],
  guardians: { guardianId: string; active: boolean }[],
): StudentCopy {
  return {
    _id: id,
    schoolId,
    classId: moves[moves.length - 1]?.toClassId ?? '',
    moves: moves.map((m, i) => ({ enrolmentId: `y2026:${id}:${i}`, version: 1, ...m })),
    guardians: guardians.map((g) => ({ guardianshipId: `gs-${g.guardianId}-${id}`, version: 1, ...g })),
    applied: {},
  };
}

function guardian(id: string, studentIds: string[]): GuardianCopy {
  return { _id: id, studentIds, links: [] };
}

function person(id: string, schoolId: string, kind: string): PersonCopy {
  return { _id: id, schoolId, kind, displayName: NAMES[id] ?? '', version: 1 };
}

/** The two schools' copies, nothing else. */
export function seededDocs(): MemoryDocs {
  const docs = new MemoryDocs();
  docs.put('schools', {
    _id: S1,
    name: 'Школа № 1',
    timeZone: 'Europe/Moscow',
    lowMarkThreshold: 2,
    version: 1,
    policyVersion: 0,
    classIds: [CLASS_CLOSED, CLASS_A, CLASS_B].sort(),
    staffPositionIds: [
      'pos-art',
      'pos-dep',
      'pos-dir',
      'pos-math',
      'pos-old-dep',
      'pos-sec',
      'pos-ta',
      'pos-tb',
    ],
  });
  docs.put('schools', {
    _id: S2,
    name: 'Школа № 2',
    timeZone: 'Asia/Yekaterinburg',
    lowMarkThreshold: 2,
    version: 1,
    policyVersion: 0,
    classIds: [CLASS_X],
    staffPositionIds: ['pos-other'],
  });
  for (const p of [
    position('pos-dir', S1, DIR, 'director'),
    position('pos-dep', S1, DEP, 'deputy'),
    position('pos-old-dep', S1, OLD_DEP, 'deputy', false),
    position('pos-ta', S1, T_A, 'teacher'),
    position('pos-tb', S1, T_B, 'teacher'),
    position('pos-math', S1, MATH, 'teacher'),
    position('pos-art', S1, ART, 'teacher'),
    position('pos-sec', S1, SEC, 'secretary'),
    position('pos-other', S2, OTHER, 'teacher'),
  ]) {
    docs.put('staff', p);
  }
  docs.put('classes', schoolClass(CLASS_A, S1, '5А', T_A, [MATH, T_A], [IVAN, PETR, SASHA]));
  docs.put('classes', schoolClass(CLASS_B, S1, '5Б', T_B, [ART], [OLGA]));
  docs.put('classes', schoolClass(CLASS_CLOSED, S1, '4В', T_B, [], [ZOE], 'closed'));
  docs.put('classes', schoolClass(CLASS_X, S2, '5X', OTHER, [OTHER], [XENIA]));
  const sept = '2026-09-01';
  docs.put(
    'students',
    student(
      IVAN,
      S1,
      [{ from: sept, toClassId: CLASS_A }],
      [
        { guardianId: ANNA, active: true },
        { guardianId: BORIS, active: false },
      ],
    ),
  );
  docs.put(
    'students',
    student(PETR, S1, [{ from: sept, toClassId: CLASS_A }], [{ guardianId: GLEB, active: true }]),
  );
  docs.put(
    'students',
    student(
      SASHA,
      S1,
      [
        { from: sept, toClassId: CLASS_A },
        { from: '2026-11-01', toClassId: '' },
      ],
      [{ guardianId: LENA, active: true }],
    ),
  );
  docs.put(
    'students',
    student(OLGA, S1, [{ from: sept, toClassId: CLASS_B }], [{ guardianId: VERA, active: true }]),
  );
  docs.put(
    'students',
    student(ZOE, S1, [{ from: sept, toClassId: CLASS_CLOSED }], [{ guardianId: ZOE_MUM, active: true }]),
  );
  docs.put(
    'students',
    student(XENIA, S2, [{ from: sept, toClassId: CLASS_X }], [{ guardianId: X_MUM, active: true }]),
  );
  for (const g of [
    guardian(ANNA, [IVAN]),
    guardian(BORIS, []),
    guardian(GLEB, [PETR]),
    guardian(LENA, [SASHA]),
    guardian(VERA, [OLGA]),
    guardian(ZOE_MUM, [ZOE]),
    guardian(X_MUM, [XENIA]),
  ]) {
    docs.put('guardians', g);
  }
  for (const id of [DIR, DEP, T_A, T_B, MATH, ART]) docs.put('people', person(id, S1, 'staff'));
  for (const id of [IVAN, OLGA]) docs.put('people', person(id, S1, 'student'));
  for (const id of [ANNA, VERA, GLEB]) docs.put('people', person(id, S1, 'guardian'));
  docs.puts = 0;
  return docs;
}

/** The use cases' ports over the documents: a clock to move, ids in order, intents collected. */
export function messagingDeps(docs: MemoryDocs) {
  const clock = { now: new Date(NOW) };
  const told: NotificationIntent[] = [];
  const published: PublishedFact[] = [];
  const scanned: AttachmentInput[] = [];
  const scanResults = new Map<string, Attachment['scanStatus']>();
  let next = 0;
  const deps: MessagingDeps = {
    runner: docs,
    scanner: {
      scan: (a) => {
        scanned.push(a);
        return Promise.resolve(scanResults.get(a.fileId) ?? 'clean');
      },
    },
    now: () => clock.now,
    newId: () => `id-${++next}`,
    authorize: (_actor, allowed) => {
      if (!allowed) throw forbidden('access.denied', 'Недостаточно прав');
    },
    tell: (_tx, intents) => {
      told.push(...intents);
      return Promise.resolve();
    },
    emit: (_tx, fact) => published.push(fact),
  };
  return { deps, clock, told, published, scanned, scanResults };
}

/** A conversation's request; override what a test is about. */
export function conversation(overrides: Partial<StartThreadInput> = {}): StartThreadInput {
  return {
    schoolId: S1,
    kind: 'conversation',
    subject: 'Контрольная по математике',
    participantIds: [T_A],
    studentId: IVAN,
    audience: '',
    text: 'Добрый день! Когда можно переписать контрольную?',
    attachments: [],
    ...overrides,
  };
}

export function announcement(audience: string, overrides: Partial<StartThreadInput> = {}): StartThreadInput {
  return conversation({
    kind: 'announcement',
    subject: 'Родительское собрание',
    participantIds: [],
    studentId: '',
    audience,
    text: 'Собрание в четверг в 18:00, кабинет 21.',
    ...overrides,
  });
}

export function pdf(overrides: Partial<AttachmentInput> = {}): AttachmentInput {
  return {
    fileId: 'file-1',
    fileName: 'справка.pdf',
    contentType: 'application/pdf',
    sizeBytes: 120_000,
    ...overrides,
  };
}
