import {
  birthCertificateOf,
  isoDate,
  normalizeChild,
  normalizeGender,
  normalizeProfile,
  normalizeSnils,
  subjectOf,
} from '../../src/esia/normalize';

describe('field normalization', () => {
  it('dates: DD.MM.YYYY → YYYY-MM-DD, impossible or other forms → empty', () => {
    expect(isoDate('01.02.2013')).toBe('2013-02-01');
    expect(isoDate('31.02.2013')).toBe('');
    expect(isoDate('2013-02-01')).toBe('');
    expect(isoDate(undefined)).toBe('');
  });

  it('gender: M/F → male/female', () => {
    expect(normalizeGender('M')).toBe('male');
    expect(normalizeGender('F')).toBe('female');
    expect(normalizeGender('X')).toBe('');
    expect(normalizeGender(undefined)).toBe('');
  });

  it('SNILS: 11 digits without separators, anything else → empty', () => {
    expect(normalizeSnils('123-456-789 64')).toBe('12345678964');
    expect(normalizeSnils('12345678964')).toBe('12345678964');
    expect(normalizeSnils('')).toBe('');
    expect(normalizeSnils('123-456-789')).toBe('');
    expect(normalizeSnils(12345678964)).toBe('');
  });
});

describe('children', () => {
  const certificate = {
    type: 'RF_BRTH_CERT',
    series: 'III-МЮ',
    number: '123456',
    issueDate: '25.06.2016',
    issuedBy: 'ЗАГС',
  };

  it('a kid with SNILS and a birth certificate', () => {
    const child = normalizeChild(
      {
        id: 'kid-1001',
        firstName: 'Пётр',
        lastName: 'Иванов',
        middleName: 'Сергеевич',
        birthDate: '01.02.2013',
        gender: 'M',
        snils: '123-456-789 64',
      },
      [
        { type: 'RF_PASSPORT', series: '4500', number: '111111' },
        { ...certificate, series: 'II-МЮ', number: '654321', issueDate: '10.02.2013' },
      ],
    );
    expect(child).toEqual({
      esiaKidId: 'kid-1001',
      firstName: 'Пётр',
      lastName: 'Иванов',
      middleName: 'Сергеевич',
      birthDate: '2013-02-01',
      gender: 'male',
      snils: '12345678964',
      birthCertificate: { series: 'II-МЮ', number: '654321', issueDate: '2013-02-10' },
    });
  });

  it('a kid without SNILS keeps snils empty, and the certificate identifies them', () => {
    const child = normalizeChild(
      {
        id: 'kid-1002',
        firstName: 'Анна',
        lastName: 'Иванова',
        middleName: 'Сергеевна',
        birthDate: '15.06.2016',
        gender: 'F',
      },
      [certificate],
    );
    expect(child.snils).toBe('');
    expect(child.gender).toBe('female');
    expect(child.birthCertificate).toEqual({ series: 'III-МЮ', number: '123456', issueDate: '2016-06-25' });
  });

  it('a kid without a birth certificate has none (other documents ignored)', () => {
    const child = normalizeChild({ id: 7, firstName: 'А', lastName: 'Б' }, [
      { type: 'FID_DOC', number: '1' },
    ]);
    expect(child.esiaKidId).toBe('7');
    expect(child).not.toHaveProperty('birthCertificate');
    expect(birthCertificateOf([])).toBeUndefined();
  });
});

describe('subject and profile', () => {
  const claims = (sbj: Record<string, unknown>, sub: unknown = 1000000001) => ({
    sub,
    'urn:esia:sbj': {
      'urn:esia:sbj:typ': 'P',
      'urn:esia:sbj:oid': 1000000001,
      'urn:esia:sbj:nam': 'OID.1000000001',
      ...sbj,
    },
  });

  it('trusted only when is_tru is true; level from lvl', () => {
    expect(subjectOf(claims({ 'urn:esia:sbj:is_tru': true, 'urn:esia:sbj:lvl': 'PR' }))).toEqual({
      oid: '1000000001',
      trusted: true,
      level: 'PR',
    });
    expect(subjectOf(claims({ 'urn:esia:sbj:lvl': 'P' })).trusted).toBe(false);
    expect(subjectOf(claims({ 'urn:esia:sbj:is_tru': 'true' })).trusted).toBe(false);
  });

  it('refuses a token whose sub and sbj oid differ, or without an oid', () => {
    expect(() => subjectOf(claims({}, '1000000002'))).toThrow(/differ/);
    expect(() => subjectOf({ sub: 'abc' })).toThrow(/oid/);
  });

  it('builds the profile; an untrusted account never has children', () => {
    const person = {
      firstName: 'Мария',
      lastName: 'Иванова',
      middleName: 'Петровна',
      birthDate: '12.03.1985',
      gender: 'F',
      snils: '112-233-445 95',
    };
    const kid = normalizeChild({ id: 'k', firstName: 'П', lastName: 'И' }, []);
    const fetchedAt = new Date('2026-09-01T07:00:00Z');
    const trusted = normalizeProfile(
      { oid: '1000000001', trusted: true, level: 'PR' },
      person,
      [kid],
      fetchedAt,
    );
    expect(trusted).toEqual({
      oid: '1000000001',
      sub: 'esia:1000000001',
      lastName: 'Иванова',
      firstName: 'Мария',
      middleName: 'Петровна',
      birthDate: '1985-03-12',
      gender: 'female',
      snils: '11223344595',
      trusted: true,
      level: 'PR',
      children: [kid],
      fetchedAt: '2026-09-01T07:00:00.000Z',
    });
    expect(
      normalizeProfile({ oid: '1', trusted: false, level: 'P' }, person, [kid], fetchedAt).children,
    ).toEqual([]);
  });
});
