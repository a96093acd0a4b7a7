import { EsiaError, esiaErrorText } from '../../src/esia/errors';

const TECHNICAL = [
  'ESIA-007002',
  'ESIA-007006',
  'ESIA-007014',
  'ESIA-007015',
  'ESIA-007023',
  'ESIA-007053',
  'ESIA-008010',
  'esia.bad_response',
];

describe('esiaErrorText', () => {
  it('tells a person who declined that they declined and how to log in again', () => {
    const text = esiaErrorText('ESIA-007004');
    expect(text.message).toContain('Вы отказались от входа через Госуслуги');
    expect(text.message).toMatch(/начните вход заново/);
    expect(text.technical).toBe(false);
  });

  it.each(TECHNICAL)(
    '%s: says the school system is misconfigured and to contact support with the code',
    (code) => {
      const text = esiaErrorText(code);
      expect(text.technical).toBe(true);
      expect(text.message).toContain('настроен неправильно');
      expect(text.message).toContain('службу поддержки');
      expect(text.message).toContain('код ошибки');
    },
  );

  it('each technical code also says what went wrong, in its own words', () => {
    const messages = new Set(TECHNICAL.map((code) => esiaErrorText(code).message));
    expect(messages.size).toBe(TECHNICAL.length);
    expect(esiaErrorText('ESIA-007053').message).toContain('подпись');
    expect(esiaErrorText('ESIA-007002').message).toContain('сертификат');
  });

  it('an expired code asks to try again', () => {
    const text = esiaErrorText('ESIA-007011');
    expect(text.technical).toBe(false);
    expect(text.message).toContain('попробуйте ещё раз');
  });

  it('ESIA unreachable asks to try later or log in with the school password', () => {
    const text = esiaErrorText('esia.unavailable');
    expect(text.title).toBe('Госуслуги недоступны');
    expect(text.message).toContain('Попробуйте войти через несколько минут');
    expect(text.message).toContain('по логину и паролю');
  });

  it('an unknown code gets a generic text that asks to try again, then support', () => {
    const text = esiaErrorText('ESIA-009999');
    expect(text.message).toContain('Попробуйте войти ещё раз');
    expect(text.message).toContain('службу поддержки');
    expect(text).toEqual(esiaErrorText('esia.unknown'));
  });

  it('no message is English or empty', () => {
    for (const code of [...TECHNICAL, 'ESIA-007004', 'ESIA-007011', 'esia.unavailable', 'x']) {
      const { title, message } = esiaErrorText(code);
      expect(title).toMatch(/[а-яА-Я]/);
      expect(message).toMatch(/^[^a-zA-Z]*$/);
    }
  });
});

describe('EsiaError', () => {
  it('carries the code, the Russian message and an English detail', () => {
    const error = new EsiaError('ESIA-007053', 'token endpoint answered 400');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ESIA-007053');
    expect(error.message).toBe(esiaErrorText('ESIA-007053').message);
    expect(error.title).toBe('Не удалось войти через Госуслуги');
    expect(error.detail).toBe('token endpoint answered 400');
  });
});
