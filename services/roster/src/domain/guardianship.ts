import { ruDate } from './academic-year';
import { isPlainDate, type FieldError } from './school';

// Guardianship and consents (R1.9, R3.2): a guardian's link to a student, owned by the student's
// school, with the history of the guardian's written consents. Nothing here is ever deleted.

export const GUARDIAN_KINDS = ['mother', 'father', 'legal_representative'] as const;
/** Mother (мать), father (отец) or legal representative (законный представитель). */
export type GuardianKind = (typeof GUARDIAN_KINDS)[number];

/** How people read the kinds (README, messages). */
export const GUARDIAN_KIND_LABELS: Record<GuardianKind, string> = {
  mother: 'мать',
  father: 'отец',
  legal_representative: 'законный представитель (опекун, попечитель)',
};

export type GuardianshipStatus = 'active' | 'ended';

/** One written consent (R1.9); `revokedOn` is `''` while it is in effect. */
export interface Consent {
  /** YYYY-MM-DD. */
  givenOn: string;
  /** The document it was given in, e.g. «Заявление № 15 от 01.09.2026». */
  document: string;
  /** Account id. */
  recordedBy: string;
  /** RFC 3339. */
  recordedAt: string;
  /** YYYY-MM-DD; `''` while in effect. */
  revokedOn: string;
  revocationReason: string;
  revokedBy: string;
  revokedAt: string;
}

/** A guardian's link to a student. */
export interface Guardianship {
  id: string;
  /** The student's school: the link belongs to it. */
  schoolId: string;
  guardianId: string;
  studentId: string;
  kind: GuardianKind;
  status: GuardianshipStatus;
  /** Oldest first; revoked consents stay. */
  consents: Consent[];
  linkedAt: string;
  linkedBy: string;
  /** `''` while active. */
  endedOn: string;
  endReason: string;
  endedBy: string;
  endedAt: string;
  version: number;
}

/** The consent in effect, if any: the latest one, when it is not revoked. */
export function consentInEffect(link: Pick<Guardianship, 'consents'>): Consent | undefined {
  const last = link.consents.at(-1);
  return last && !last.revokedOn ? last : undefined;
}

/**
 * True when the guardian may see the student's data: the link is active and a consent is in
 * effect. An ended link never counts, whatever its consent history says.
 */
export function isConsentActive(link: Pick<Guardianship, 'status' | 'consents'>): boolean {
  return link.status === 'active' && consentInEffect(link) !== undefined;
}

export const DOCUMENT_MAX = 200;
export const REASON_MAX = 300;

/** How a message names a field: the nominative and the request to fill it in. */
export interface FieldWords {
  /** «Дата согласия». */
  name: string;
  /** «Укажите дату согласия». */
  missing: string;
}

/** Problems with a date that must be a real YYYY-MM-DD and not after `today`. */
export function pastDateErrors(field: string, value: string, today: string, words: FieldWords): FieldError[] {
  if (!value.trim()) return [{ field, message: words.missing }];
  if (!isPlainDate(value)) return [{ field, message: `${words.name} указывается в формате ГГГГ-ММ-ДД` }];
  if (value > today) {
    return [{ field, message: `${words.name} не может быть позже сегодняшнего дня (${ruDate(today)})` }];
  }
  return [];
}

/** Problems with a required free text of at most `max` characters (after trimming). */
export function textErrors(field: string, value: string, max: number, words: FieldWords): FieldError[] {
  const text = value.trim();
  if (!text) return [{ field, message: words.missing }];
  if (text.length > max) return [{ field, message: `${words.name} — не длиннее ${max} символов` }];
  return [];
}

export function kindErrors(kind: string): FieldError[] {
  return (GUARDIAN_KINDS as readonly string[]).includes(kind)
    ? []
    : [
        {
          field: 'kind',
          message:
            'Укажите, кем приходится ребёнку: mother (мать), father (отец) или legal_representative (законный представитель)',
        },
      ];
}

/** Problems with the version a change is based on (required, 1 or more). */
export function versionErrors(expectedVersion: number): FieldError[] {
  return Number.isInteger(expectedVersion) && expectedVersion >= 1
    ? []
    : [{ field: 'expectedVersion', message: 'Укажите версию связи, которую вы изменяете' }];
}
