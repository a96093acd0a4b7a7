/** The school card (R2.1): the tenant of the platform. */
export interface SchoolCard {
  fullName: string;
  shortName: string;
  inn: string;
  ogrn: string;
  address: string;
  timeZone: string;
  licence: { number: string; issuedOn: string; issuedBy: string };
  accreditation: { number: string; issuedOn: string; validUntil: string };
  municipalityId: string;
}

/** A stored school: the card plus identity and version. */
export interface School extends SchoolCard {
  id: string;
  version: number;
  createdAt: string;
}

export interface FieldError {
  field: string;
  message: string;
}

const INN_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];

/** INN of a legal entity: 10 digits, the last one a checksum of the first nine. */
export function isValidLegalEntityInn(inn: string): boolean {
  if (!/^\d{10}$/.test(inn)) return false;
  const sum = INN_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(inn[i]), 0);
  return (sum % 11) % 10 === Number(inn[9]);
}

/** OGRN: 13 digits, the last one (first twelve as a number mod 11) mod 10. */
export function isValidOgrn(ogrn: string): boolean {
  if (!/^\d{13}$/.test(ogrn)) return false;
  return Number((BigInt(ogrn.slice(0, 12)) % 11n) % 10n) === Number(ogrn[12]);
}

/** True for a time zone the runtime's IANA database knows, e.g. "Asia/Krasnoyarsk". */
export function isIanaTimeZone(zone: string): boolean {
  if (!zone.includes('/')) return false; // "UTC", "MSK" and offsets are not a school's zone
  try {
    new Intl.DateTimeFormat('ru-RU', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A real calendar date written `YYYY-MM-DD`. */
export function isPlainDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

const NAME_MAX = 500;

/**
 * Checks a school card and returns every problem at once (a form shows them all), with
 * Russian messages for people. An empty list means the card is valid.
 */
export function validateSchoolCard(card: SchoolCard): FieldError[] {
  const errors: FieldError[] = [];
  const required = (field: string, value: string, label: string) => {
    if (!value.trim()) errors.push({ field, message: `Укажите ${label}` });
    else if (value.length > NAME_MAX)
      errors.push({ field, message: `Поле «${label}» длиннее ${NAME_MAX} символов` });
  };
  required('fullName', card.fullName, 'полное наименование');
  required('shortName', card.shortName, 'краткое наименование');
  required('address', card.address, 'адрес');
  if (!isValidLegalEntityInn(card.inn)) {
    errors.push({ field: 'inn', message: 'ИНН организации — 10 цифр с верным контрольным разрядом' });
  }
  if (!isValidOgrn(card.ogrn)) {
    errors.push({ field: 'ogrn', message: 'ОГРН — 13 цифр с верным контрольным разрядом' });
  }
  if (!isIanaTimeZone(card.timeZone)) {
    errors.push({
      field: 'timeZone',
      message: 'Часовой пояс указывается по базе IANA, например Europe/Moscow',
    });
  }
  required('licence.number', card.licence.number, 'номер лицензии');
  required('licence.issuedBy', card.licence.issuedBy, 'орган, выдавший лицензию');
  if (!isPlainDate(card.licence.issuedOn)) {
    errors.push({ field: 'licence.issuedOn', message: 'Дата выдачи лицензии в формате ГГГГ-ММ-ДД' });
  }
  if (card.accreditation.number || card.accreditation.issuedOn) {
    if (!isPlainDate(card.accreditation.issuedOn)) {
      errors.push({
        field: 'accreditation.issuedOn',
        message: 'Дата выдачи свидетельства об аккредитации в формате ГГГГ-ММ-ДД',
      });
    }
    if (card.accreditation.validUntil && !isPlainDate(card.accreditation.validUntil)) {
      errors.push({
        field: 'accreditation.validUntil',
        message: 'Срок действия аккредитации в формате ГГГГ-ММ-ДД',
      });
    }
  }
  return errors;
}
