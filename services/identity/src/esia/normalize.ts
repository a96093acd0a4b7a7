import type { EsiaChild, EsiaProfile } from './profile';

/**
 * Turning ESIA's JSON into `EsiaProfile`. Pure: the client fetches, these shape. Unknown or
 * malformed fields become '' rather than failing the login.
 */

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** "DD.MM.YYYY" → "YYYY-MM-DD"; '' for anything else (or an impossible date). */
export function isoDate(value: unknown): string {
  const match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text(value));
  if (!match) return '';
  const [, day, month, year] = match as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1) return '';
  return `${year}-${month}-${day}`;
}

/** "M"/"F" → "male"/"female"; '' otherwise. */
export function normalizeGender(value: unknown): string {
  const gender = text(value).toUpperCase();
  return gender === 'M' ? 'male' : gender === 'F' ? 'female' : '';
}

/** "123-456-789 64" → "12345678964"; '' unless exactly 11 digits. */
export function normalizeSnils(value: unknown): string {
  const digits = typeof value === 'string' ? value.replace(/[\s-]/g, '') : '';
  return /^\d{11}$/.test(digits) ? digits : '';
}

/** An oid as a string of digits (ESIA sends numbers or strings); '' when it is not one. */
export function oidOf(value: unknown): string {
  const oid = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : text(value);
  return /^\d{1,20}$/.test(oid) ? oid : '';
}

/** The elements of an ESIA collection `{size, elements: [...]}` (or a bare array). */
export function elementsOf(collection: unknown): unknown[] {
  if (Array.isArray(collection)) return collection;
  if (isObject(collection) && Array.isArray(collection.elements)) return collection.elements;
  return [];
}

/** The first RF_BRTH_CERT document among `documents`, if any. */
export function birthCertificateOf(documents: unknown[]): EsiaChild['birthCertificate'] {
  for (const document of documents) {
    if (!isObject(document) || document.type !== 'RF_BRTH_CERT') continue;
    const number = text(document.number);
    if (!number) continue;
    return { series: text(document.series), number, issueDate: isoDate(document.issueDate) };
  }
  return undefined;
}

/** A kid element (with its documents already resolved to objects). */
export function normalizeChild(kid: Json, documents: unknown[]): EsiaChild {
  const child: EsiaChild = {
    esiaKidId: oidOf(kid.id) || text(kid.id),
    lastName: text(kid.lastName),
    firstName: text(kid.firstName),
    middleName: text(kid.middleName),
    birthDate: isoDate(kid.birthDate),
    gender: normalizeGender(kid.gender),
    snils: normalizeSnils(kid.snils),
  };
  const certificate = birthCertificateOf(documents);
  if (certificate) child.birthCertificate = certificate;
  return child;
}

/** What the id_token says about the subject (`urn:esia:sbj`). */
export interface EsiaSubject {
  oid: string;
  trusted: boolean;
  level: string;
}

/** The subject of verified id_token claims; throws when there is no usable oid. */
export function subjectOf(claims: Json): EsiaSubject {
  const sbj = isObject(claims['urn:esia:sbj']) ? claims['urn:esia:sbj'] : {};
  const sub = oidOf(claims.sub);
  const sbjOid = oidOf(sbj['urn:esia:sbj:oid']);
  const oid = sub || sbjOid;
  if (!oid) throw new Error('the id_token has no oid');
  if (sub && sbjOid && sub !== sbjOid) throw new Error('the id_token sub and urn:esia:sbj:oid differ');
  return { oid, trusted: sbj['urn:esia:sbj:is_tru'] === true, level: text(sbj['urn:esia:sbj:lvl']) };
}

/** The profile from the person record and the kids (already resolved). */
export function normalizeProfile(
  subject: EsiaSubject,
  person: Json,
  children: EsiaChild[],
  fetchedAt: Date,
): EsiaProfile {
  return {
    oid: subject.oid,
    sub: `esia:${subject.oid}`,
    lastName: text(person.lastName),
    firstName: text(person.firstName),
    middleName: text(person.middleName),
    birthDate: isoDate(person.birthDate),
    gender: normalizeGender(person.gender),
    snils: normalizeSnils(person.snils),
    trusted: subject.trusted,
    level: subject.level,
    children: subject.trusted ? children : [],
    fetchedAt: fetchedAt.toISOString(),
  };
}
