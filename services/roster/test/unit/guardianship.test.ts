import {
  consentInEffect,
  isConsentActive,
  kindErrors,
  pastDateErrors,
  textErrors,
  type Consent,
} from '../../src/domain/guardianship';

// The rules of a guardianship link without I/O.

const given = (givenOn: string, revokedOn = ''): Consent => ({
  givenOn,
  document: 'Заявление № 15 от 01.09.2026',
  recordedBy: 'acc',
  recordedAt: '2026-09-01T00:00:00.000Z',
  revokedOn,
  revocationReason: revokedOn ? 'Отзыв' : '',
  revokedBy: revokedOn ? 'acc' : '',
  revokedAt: revokedOn ? '2026-09-02T00:00:00.000Z' : '',
});

describe('guardianship rules', () => {
  it('the consent in effect is the latest one when not revoked', () => {
    expect(consentInEffect({ consents: [] })).toBeUndefined();
    expect(consentInEffect({ consents: [given('2026-09-01', '2026-09-05')] })).toBeUndefined();
    expect(
      consentInEffect({ consents: [given('2026-09-01', '2026-09-05'), given('2026-09-06')] }),
    ).toMatchObject({
      givenOn: '2026-09-06',
    });
  });

  it('an ended link has no active consent, whatever its history says', () => {
    expect(isConsentActive({ status: 'active', consents: [given('2026-09-01')] })).toBe(true);
    expect(isConsentActive({ status: 'ended', consents: [given('2026-09-01')] })).toBe(false);
    expect(isConsentActive({ status: 'active', consents: [] })).toBe(false);
  });

  it('kinds are mother, father and legal_representative', () => {
    for (const kind of ['mother', 'father', 'legal_representative']) expect(kindErrors(kind)).toEqual([]);
    for (const kind of ['', 'Mother', 'guardian', 'grandmother']) {
      expect(kindErrors(kind)).toEqual([
        { field: 'kind', message: expect.stringContaining('mother (мать)') },
      ]);
    }
  });

  it('a date is a real YYYY-MM-DD, not after today; texts are required and bounded', () => {
    const words = { name: 'Дата согласия', missing: 'Укажите дату согласия' };
    expect(pastDateErrors('givenOn', '2026-09-01', '2026-09-01', words)).toEqual([]);
    expect(pastDateErrors('givenOn', '', '2026-09-01', words)).toEqual([
      { field: 'givenOn', message: 'Укажите дату согласия' },
    ]);
    expect(pastDateErrors('givenOn', '2026-02-29', '2026-09-01', words)[0]!.message).toContain('ГГГГ-ММ-ДД');
    expect(pastDateErrors('givenOn', '2026-09-02', '2026-09-01', words)[0]!.message).toBe(
      'Дата согласия не может быть позже сегодняшнего дня (01.09.2026)',
    );
    const text = { name: 'Причина', missing: 'Укажите причину' };
    expect(textErrors('reason', '  ', 10, text)).toEqual([{ field: 'reason', message: 'Укажите причину' }]);
    expect(textErrors('reason', 'x'.repeat(11), 10, text)[0]!.message).toBe(
      'Причина — не длиннее 10 символов',
    );
    expect(textErrors('reason', ` ${'x'.repeat(10)} `, 10, text)).toEqual([]);
  });
});
