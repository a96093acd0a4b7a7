/**
 * What the ESIA bridge learned about a person at one ESIA login, normalized: the contract between
 * the bridge (which fetches it) and the identity domain (which links accounts and children by it).
 * Personal data: kept only in identity's store, never logged, never in events.
 */
export interface EsiaChild {
  /** ESIA's id of the kid record (not the child's own oid). */
  esiaKidId: string;
  lastName: string;
  firstName: string;
  middleName: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  /** "male" | "female" | "" */
  gender: string;
  /** 11 digits, or '' when ESIA has none. */
  snils: string;
  /** The child's birth certificate (RF_BRTH_CERT), when ESIA has one. */
  birthCertificate?: { series: string; number: string; issueDate: string };
}

export interface EsiaProfile {
  /** ESIA's person id (oid), as a string of digits. */
  oid: string;
  /** `esia:<oid>`: the subject the bridge gives Keycloak. */
  sub: string;
  lastName: string;
  firstName: string;
  middleName: string;
  /** YYYY-MM-DD, or '' when the scope was not granted. */
  birthDate: string;
  /** "male" | "female" | "" */
  gender: string;
  /** 11 digits, or ''. */
  snils: string;
  /** Confirmed account (`urn:esia:sbj:is_tru`). */
  trusted: boolean;
  /** `urn:esia:sbj:lvl`: "P" (simplified), "PR" (confirmed) or "KD" (a child's account). */
  level: string;
  /** The kids ESIA lists for this account; [] for untrusted accounts (never asked). */
  children: EsiaChild[];
  /** RFC 3339: when the bridge fetched this. */
  fetchedAt: string;
}

/** Where the bridge hands a fresh profile: identity stores it and re-links (children too). */
export type EsiaProfileSink = (profile: EsiaProfile) => Promise<void>;
