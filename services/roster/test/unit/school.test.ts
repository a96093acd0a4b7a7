import {
  isIanaTimeZone,
  isValidLegalEntityInn,
  isValidOgrn,
  validateSchoolCard,
} from '../../src/domain/school';
import { validCard } from './fixtures';

describe('school card rules', () => {
  it('when INN and OGRN have correct check digits, then they are accepted', () => {
    expect(isValidLegalEntityInn('7707083893')).toBe(true);
    expect(isValidOgrn('1027700132195')).toBe(true);
  });

  it('when a check digit is wrong or the length is off, then INN and OGRN are refused', () => {
    expect(isValidLegalEntityInn('7707083894')).toBe(false);
    expect(isValidLegalEntityInn('770708389')).toBe(false);
    expect(isValidLegalEntityInn('77070838a3')).toBe(false);
    expect(isValidOgrn('1027700132196')).toBe(false);
    expect(isValidOgrn('102770013219')).toBe(false);
  });

  it('when the time zone is an IANA region zone, then it is accepted, and abbreviations are not', () => {
    expect(isIanaTimeZone('Europe/Moscow')).toBe(true);
    expect(isIanaTimeZone('Asia/Krasnoyarsk')).toBe(true);
    expect(isIanaTimeZone('MSK')).toBe(false);
    expect(isIanaTimeZone('Europe/Atlantis')).toBe(false);
  });

  it('when the card is complete and correct, then there are no errors', () => {
    expect(validateSchoolCard(validCard())).toEqual([]);
  });

  it('when several fields are wrong, then every one is named with a Russian message', () => {
    const card = {
      ...validCard(),
      fullName: ' ',
      inn: '1234567890',
      timeZone: 'GMT+7',
      licence: { ...validCard().licence, issuedOn: '2016-02-30' },
    };
    const errors = validateSchoolCard(card);
    expect(errors.map((e) => e.field)).toEqual(['fullName', 'inn', 'timeZone', 'licence.issuedOn']);
    for (const error of errors) expect(error.message).toMatch(/[А-Яа-я]/);
  });
});
