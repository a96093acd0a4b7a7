/**
 * Reports' own copy of a school card: what its reports print in headers (names, INN, time zone).
 * Built from roster's events, never read from roster's store.
 */
export interface DirectorySchool {
  schoolId: string;
  fullName: string;
  shortName: string;
  inn: string;
  timeZone: string;
  municipalityId: string;
  /** The card's version in roster: a change is applied only over an older one. */
  version: number;
}

export interface SchoolDirectory {
  /**
   * Stores the card unless the stored one is as new or newer; true when it was applied.
   * Idempotent: the same event twice, or an old one after a new one, changes nothing.
   */
  upsertIfNewer(school: DirectorySchool): Promise<boolean>;
  get(schoolId: string): Promise<DirectorySchool | null>;
}

/** A school card changed in roster (created or updated): keep the newest version. */
export async function recordSchoolCard(
  directory: SchoolDirectory,
  school: DirectorySchool,
): Promise<boolean> {
  return directory.upsertIfNewer(school);
}
