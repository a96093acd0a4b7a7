import { fieldErrors, schemaValidator } from '../../src/entry-points/http/validation';

describe('request validation against the OpenAPI schemas', () => {
  const validate = schemaValidator('SchoolCard');

  it('when fields are missing, malformed or unknown, then each is named once with a Russian message', () => {
    const ok = validate({
      fullName: 'Школа',
      shortName: 'Ш',
      inn: '12345',
      ogrn: '1027700132195',
      timeZone: 'Europe/Moscow',
      licence: { number: '1', issuedOn: '01.09.2020', issuedBy: 'Минобр' },
      extra: 1,
    });
    expect(ok).toBe(false);
    expect(fieldErrors(validate.errors)).toEqual([
      { field: 'address', message: 'Обязательное поле' },
      { field: 'extra', message: 'Неизвестное поле' },
      { field: 'inn', message: 'Неверный формат' },
      { field: 'licence.issuedOn', message: 'Неверный формат' },
    ]);
  });
});
