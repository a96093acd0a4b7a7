import {
  PERSONAL_DATA_FIELDS,
  ageOn,
  checkContacts,
  checkPersonForm,
  dateIn,
  displayName,
  isValidSnils,
  nameError,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  normalizeSnils,
  personSortName,
  snilsCheckNumber,
  type PersonForm,
} from '../../src/domain/person';

/** A valid student of 2026: born 2015 (11 years old), with every optional field. */
const studentForm = (overrides: Partial<PersonForm> = {}): PersonForm => ({
  schoolId: 'school-1',
  kind: 'student',
  lastName: 'Иванова',
  firstName: 'Мария',
  middleName: 'Петровна',
  birthDate: '2015-03-14',
  sex: 'female',
  snils: '112-233-445 95',
  contacts: { phone: '8 (913) 123-45-67', email: 'Maria@Example.RU' },
  birthCertificate: { series: 'iv-ба', number: '123456' },
  ...overrides,
});
const ON = '2026-09-01';

describe('СНИЛС', () => {
  it('when the check number is right, then the number is valid, including sums of 100, 101 and mod 101 = 100 (00)', () => {
    expect(isValidSnils('11223344595')).toBe(true); // sum 95 < 100: the sum itself
    expect(isValidSnils('98765432183')).toBe(true); // sum 285 > 101: 285 mod 101 = 83
    expect(isValidSnils('00132667900')).toBe(true); // sum 100 → 00
    expect(isValidSnils('00150881600')).toBe(true); // sum 101 → 00
    expect(isValidSnils('01799617400')).toBe(true); // sum 201, mod 101 = 100 → 00
    expect(snilsCheckNumber('999999999')).toBe(1); // 405 mod 101
  });

  it('when the check number is wrong, then the number is refused', () => {
    expect(isValidSnils('11223344596')).toBe(false);
    expect(isValidSnils('98765432100')).toBe(false);
    expect(isValidSnils('00132667901')).toBe(false);
    expect(isValidSnils('01799617401')).toBe(false);
  });

  it('when the number is at most 001-001-998, then the check number is not checked; from 001-001-999 on it is', () => {
    expect(isValidSnils('00100199812')).toBe(true);
    expect(isValidSnils('00000000100')).toBe(true);
    expect(isValidSnils('00100199965')).toBe(true);
    expect(isValidSnils('00100199900')).toBe(false);
  });

  it('when written "123-456-789 01" or as 11 digits, then it is normalised to 11 digits; other forms are refused', () => {
    expect(normalizeSnils('112-233-445 95')).toBe('11223344595');
    expect(normalizeSnils(' 11223344595 ')).toBe('11223344595');
    expect(normalizeSnils('112-233-445-95')).toBe('11223344595');
    expect(normalizeSnils('112 233 445 95')).toBeNull();
    expect(normalizeSnils('1122334459')).toBeNull();
    expect(normalizeSnils('112-233-44595')).toBeNull();
    expect(normalizeSnils('1122334459a')).toBeNull();
  });

  it('when the form has a СНИЛС with a wrong check number, then "snils" is named and the number is not echoed', () => {
    const { errors } = checkPersonForm(studentForm({ snils: '112-233-445 96' }), ON);
    expect(errors).toEqual([{ field: 'snils', message: expect.stringContaining('Контрольное число СНИЛС') }]);
    expect(errors[0]!.message).not.toMatch(/\d{3}/);
  });

  it('when the СНИЛС is badly formatted, then the message shows the accepted forms', () => {
    const { errors } = checkPersonForm(studentForm({ snils: '112 233 445 95' }), ON);
    expect(errors).toEqual([{ field: 'snils', message: 'СНИЛС — 11 цифр: 123-456-789 01 или 12345678901' }]);
  });
});

describe('date of birth', () => {
  it('counts full years, the birthday itself included', () => {
    expect(ageOn('2015-09-01', '2026-09-01')).toBe(11);
    expect(ageOn('2015-09-02', '2026-09-01')).toBe(10);
    expect(ageOn('2012-02-29', '2026-02-28')).toBe(13);
    expect(ageOn('2012-02-29', '2026-03-01')).toBe(14);
  });

  test.each([
    ['student', '2021-09-01', true], // 5 today
    ['student', '2021-09-02', false], // 4
    ['student', '2005-09-02', true], // 20
    ['student', '2005-09-01', false], // 21 today
    ['staff', '2010-09-01', true], // 16
    ['staff', '2010-09-02', false], // 15
    ['staff', '1925-09-02', true], // 100
    ['staff', '1925-09-01', false], // 101
    ['guardian', '2012-09-01', true], // 14
    ['guardian', '2012-09-02', false], // 13
    ['guardian', '1906-09-01', true], // 120 today
    ['guardian', '1905-09-01', false], // 121
  ] as const)('a %s born %s on 2026-09-01: accepted = %s', (kind, birthDate, ok) => {
    const { errors } = checkPersonForm(
      studentForm({ kind, birthDate, birthCertificate: { series: '', number: '' } }),
      ON,
    );
    expect(errors.filter((e) => e.field === 'birthDate')).toHaveLength(ok ? 0 : 1);
  });

  it('when the age is out of range, then the message states the range for the kind in Russian', () => {
    const { errors } = checkPersonForm(studentForm({ birthDate: '2023-01-01' }), ON);
    expect(errors).toEqual([
      { field: 'birthDate', message: 'Возраст обучающегося на дату регистрации 01.09.2026 — от 5 до 20 лет' },
    ]);
  });

  it('when the date is not a calendar date, missing or in the future, then "birthDate" is named', () => {
    for (const birthDate of ['2015-02-30', '14.03.2015', '', '2027-01-01']) {
      const { errors } = checkPersonForm(studentForm({ birthDate }), ON);
      expect(errors.map((e) => e.field)).toEqual(['birthDate']);
    }
  });

  it("takes the registration date in the school's time zone", () => {
    // 22:00 UTC on 31 August is already 1 September in Krasnoyarsk (UTC+7).
    expect(dateIn('Asia/Krasnoyarsk', new Date('2026-08-31T22:00:00Z'))).toBe('2026-09-01');
    expect(dateIn('Europe/Moscow', new Date('2026-08-31T20:00:00Z'))).toBe('2026-08-31');
  });
});

describe('names', () => {
  test.each(['Иванова', 'Мария-Луиза', "Д'Артаньян", 'Ким Ир', 'Ёлкина', 'Гәрәев', 'А'])(
    'when the name is "%s", then it is accepted',
    (name) => expect(nameError('lastName', normalizeName(name))).toBeNull(),
  );

  test.each(['Ivanova', 'Иванова2', 'Иванова--Петрова', '-Иванова', 'Иванова-', 'Иван.', 'Анна - Мария'])(
    'when the name is "%s", then it is refused with a Russian message',
    (name) =>
      expect(nameError('lastName', normalizeName(name))).toEqual({
        field: 'lastName',
        message: expect.stringContaining('только буквы кириллицы'),
      }),
  );

  it('when the name has extra spaces or a typographic apostrophe, then it is normalised', () => {
    expect(normalizeName('  Ким   Ир ')).toBe('Ким Ир');
    expect(normalizeName('Д’Артаньян')).toBe("Д'Артаньян");
  });

  it('when a name is empty or longer than 100 characters, then it is refused; an empty middle name is fine', () => {
    expect(nameError('lastName', '')).toEqual({ field: 'lastName', message: 'Укажите фамилию' });
    expect(nameError('firstName', '')).toEqual({ field: 'firstName', message: 'Укажите имя' });
    expect(nameError('middleName', '')).toBeNull();
    expect(nameError('lastName', 'а'.repeat(100))).toBeNull();
    expect(nameError('lastName', 'а'.repeat(101))).toEqual({
      field: 'lastName',
      message: 'Фамилия длиннее 100 символов',
    });
  });

  it('builds the display name and a sort name where ё is е and case does not matter', () => {
    expect(displayName({ lastName: 'Ким', firstName: 'Ир', middleName: '' })).toBe('Ким Ир');
    const sorted = [
      { lastName: 'Ёлкин', firstName: 'Иван' },
      { lastName: 'абрамов', firstName: 'Пётр' },
      { lastName: 'Иванов', firstName: 'Ян' },
      { lastName: 'Иван', firstName: 'Ян' },
      { lastName: 'Егоров', firstName: 'Ян' },
    ]
      .map((p) => ({ p, key: personSortName(p) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .map(({ p }) => p.lastName);
    expect(sorted).toEqual(['абрамов', 'Егоров', 'Ёлкин', 'Иван', 'Иванов']);
  });
});

describe('contacts and documents', () => {
  test.each([
    ['+7 913 123-45-67', '+79131234567'],
    ['8 (913) 123-45-67', '+79131234567'],
    ['79131234567', '+79131234567'],
    ['9131234567', null], // the country prefix is required
    ['+1 202 555 0100', null],
    ['8 913 123-45-6', null],
    ['тел. 89131234567', null],
  ])('phone "%s" → %s', (raw, normal) => expect(normalizePhone(raw)).toBe(normal));

  test.each([
    ['Maria@Example.RU', 'Maria@example.ru'],
    [' ivanova@mail.ru ', 'ivanova@mail.ru'],
    ['ivanova@mail', null],
    ['ivanova mail.ru', null],
    ['iva@nova@mail.ru', null],
    ['ivanova@mail..ru', null],
  ])('e-mail "%s" → %s', (raw, normal) => expect(normalizeEmail(raw)).toBe(normal));

  it('when phone and e-mail are both wrong, then both are named; empty ones are fine', () => {
    expect(checkContacts({ phone: '123', email: 'x' }).errors.map((e) => e.field)).toEqual([
      'contacts.phone',
      'contacts.email',
    ]);
    expect(checkContacts({ phone: ' ', email: '' })).toEqual({
      contacts: { phone: '', email: '' },
      errors: [],
    });
  });

  it('when a guardian has a birth certificate, or a student an incomplete or malformed one, then it is named', () => {
    const guardian = checkPersonForm(studentForm({ kind: 'guardian', birthDate: '1985-01-01' }), ON);
    expect(guardian.errors.map((e) => e.field)).toEqual(['birthCertificate']);
    const halfGiven = checkPersonForm(studentForm({ birthCertificate: { series: 'IV-БА', number: '' } }), ON);
    expect(halfGiven.errors.map((e) => e.field)).toEqual(['birthCertificate.number']);
    const malformed = checkPersonForm(
      studentForm({ birthCertificate: { series: 'IV-BA', number: '12345' } }),
      ON,
    );
    expect(malformed.errors.map((e) => e.field)).toEqual([
      'birthCertificate.series',
      'birthCertificate.number',
    ]);
  });

  it('when the series has Cyrillic look-alikes in the Roman numeral, then they become Latin', () => {
    const { person, errors } = checkPersonForm(
      studentForm({ birthCertificate: { series: 'ХІ-ба', number: '000001' } }),
      ON,
    );
    expect(errors).toEqual([]);
    expect(person.birthCertificate).toEqual({ series: 'XI-БА', number: '000001' });
  });
});

describe('the registration form', () => {
  it('when everything is right, then it is returned in normal form', () => {
    expect(checkPersonForm(studentForm(), ON)).toEqual({
      person: {
        ...studentForm(),
        snils: '11223344595',
        contacts: { phone: '+79131234567', email: 'Maria@example.ru' },
        birthCertificate: { series: 'IV-БА', number: '123456' },
      },
      errors: [],
    });
  });

  it('when SNILS, phone and e-mail are not given, then that is fine for every kind', () => {
    for (const [kind, birthDate] of [
      ['student', '2015-01-01'],
      ['staff', '1980-01-01'],
      ['guardian', '1980-01-01'],
    ] as const) {
      const form = studentForm({
        kind,
        birthDate,
        snils: '',
        contacts: { phone: '', email: '' },
        birthCertificate: { series: '', number: '' },
      });
      expect(checkPersonForm(form, ON).errors).toEqual([]);
    }
  });

  it('when many fields are wrong, then every one is named at once, with Russian messages', () => {
    const form = {
      ...studentForm(),
      kind: 'teacher',
      lastName: 'Ivanova',
      firstName: ' ',
      birthDate: '2015-13-01',
      sex: 'f',
      snils: '123',
      contacts: { phone: '12', email: 'nope' },
      birthCertificate: { series: '', number: '' },
    } as unknown as PersonForm;

    const { errors } = checkPersonForm(form, ON);

    expect(errors.map((e) => e.field)).toEqual([
      'kind',
      'lastName',
      'firstName',
      'birthDate',
      'sex',
      'snils',
      'contacts.phone',
      'contacts.email',
    ]);
    for (const error of errors) expect(error.message).toMatch(/[А-Яа-яЁё]/);
  });

  it('lists the stored fields that are personal data', () => {
    expect(PERSONAL_DATA_FIELDS).toEqual(
      expect.arrayContaining([
        'lastName',
        'firstName',
        'middleName',
        'birthDate',
        'snils',
        'contacts',
        'birthCertificate',
      ]),
    );
  });
});
