/**
 * What a person is told when a login through ESIA (Госуслуги) fails, by error code. ESIA's own
 * codes look like `ESIA-007004`; the bridge's are `esia.unavailable`, `esia.bad_response`,
 * `esia.unknown`. Every message says what to do next; the technical ones (our configuration, not
 * the person's doing) say so and ask to contact support with the code, which the page shows.
 */
export interface EsiaErrorText {
  /** Short heading of the page. */
  title: string;
  /** What happened and what to do, for the person. */
  message: string;
  /** True when the cause is on our side (misconfiguration): the person cannot fix it. */
  technical: boolean;
}

const MISCONFIGURED =
  'Вход через Госуслуги в школьной системе настроен неправильно. Это не ваша ошибка. ' +
  'Войдите позже или по логину и паролю, выданным школой, и сообщите в службу поддержки код ошибки, указанный ниже.';

function technical(what: string): EsiaErrorText {
  return { title: 'Не удалось войти через Госуслуги', message: `${what} ${MISCONFIGURED}`, technical: true };
}

const TEXTS: Record<string, EsiaErrorText> = {
  'ESIA-007002': technical('Госуслуги не признали сертификат школьной системы.'),
  'ESIA-007004': {
    title: 'Вход отменён',
    message:
      'Вы отказались от входа через Госуслуги или не разрешили доступ к данным. ' +
      'Чтобы войти, начните вход заново и разрешите доступ, либо войдите по логину и паролю, выданным школой.',
    technical: false,
  },
  'ESIA-007006': technical('Школьная система запросила у Госуслуг данные, которые ей не разрешены.'),
  'ESIA-007011': {
    title: 'Время входа истекло',
    message:
      'Вход через Госуслуги занял слишком много времени или ссылка устарела. Вернитесь ко входу и попробуйте ещё раз.',
    technical: false,
  },
  'ESIA-007014': technical('В запросе школьной системы к Госуслугам не хватает данных.'),
  'ESIA-007015': technical('Часы школьной системы расходятся со временем Госуслуг.'),
  'ESIA-007023': technical('Адрес возврата школьной системы не зарегистрирован в Госуслугах.'),
  'ESIA-007053': technical('Госуслуги не приняли подпись запроса школьной системы.'),
  'ESIA-008010': technical('Госуслуги не смогли проверить подлинность школьной системы.'),
  'esia.unavailable': {
    title: 'Госуслуги недоступны',
    message:
      'Сейчас не удаётся связаться с Госуслугами. Попробуйте войти через несколько минут или войдите по логину и паролю, выданным школой. ' +
      'Если ошибка повторяется долго, обратитесь в службу поддержки.',
    technical: false,
  },
  'esia.bad_response': technical('Госуслуги вернули ответ, который школьная система не смогла проверить.'),
};

const UNKNOWN: EsiaErrorText = {
  title: 'Не удалось войти через Госуслуги',
  message:
    'Госуслуги сообщили об ошибке. Попробуйте войти ещё раз. Если ошибка повторится, обратитесь в службу поддержки ' +
    'и сообщите код ошибки, указанный ниже.',
  technical: false,
};

/** The text for an error code; an unknown code gets a generic text (the page still shows the code). */
export function esiaErrorText(code: string): EsiaErrorText {
  return TEXTS[code] ?? UNKNOWN;
}

/**
 * A failure talking to ESIA. `code` is ESIA's (`ESIA-007053`) or the bridge's (`esia.unavailable`,
 * `esia.bad_response`, `esia.unknown`); `message` is the Russian text for the person; `detail`
 * is English for logs and never contains personal data.
 */
export class EsiaError extends Error {
  override readonly name = 'EsiaError';
  readonly title: string;
  readonly technical: boolean;

  constructor(
    readonly code: string,
    readonly detail = '',
  ) {
    const text = esiaErrorText(code);
    super(text.message);
    this.title = text.title;
    this.technical = text.technical;
  }
}
