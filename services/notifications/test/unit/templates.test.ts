import type { Delivery } from '../../src/domain/model';
import {
  EMAIL_FOOTER,
  SMS_LIMIT,
  countOf,
  dayInWords,
  openLine,
  plural,
  renderMessage,
} from '../../src/domain/templates';

function delivery(n: number, changes: Partial<Delivery> = {}): Delivery {
  return {
    id: `event-${n}:low_mark:mama:ivan:email`,
    notificationId: `event-${n}:low_mark:mama:ivan`,
    channel: 'email',
    trigger: 'low_mark',
    title: `Оценка «2» по математике`,
    body: `Иван получил «2» за самостоятельную работу (${n}).`,
    link: 'diary:week:ivan:2025-11-26',
    studentId: 'ivan',
    schoolName: 'Школа № 1',
    timeZone: 'Europe/Moscow',
    mode: 'instant',
    occurredAt: `2025-11-24T10:0${n}:00.000Z`,
    queuedAt: '2025-11-24T10:00:00.000Z',
    dueAt: '2025-11-24T10:12:00.000Z',
    status: 'queued',
    attempts: 0,
    lastError: '',
    sentAt: '',
    ...changes,
  };
}

describe('Russian plurals', () => {
  it.each([
    [1, '1 уведомление'],
    [2, '2 уведомления'],
    [4, '4 уведомления'],
    [5, '5 уведомлений'],
    [11, '11 уведомлений'],
    [12, '12 уведомлений'],
    [14, '14 уведомлений'],
    [21, '21 уведомление'],
    [22, '22 уведомления'],
    [30, '30 уведомлений'],
    [101, '101 уведомление'],
    [111, '111 уведомлений'],
  ])('when there are %i, then it reads %j', (n, text) => {
    expect(countOf(n)).toBe(text);
  });

  it('when given other words, then the same rule picks the form', () => {
    expect(plural(3, 'день', 'дня', 'дней')).toBe('дня');
    expect(plural(0, 'день', 'дня', 'дней')).toBe('дней');
  });
});

describe('e-mail', () => {
  it('when one delivery goes, then the subject is the school and the title, and the text is the body, what to open and the footer', () => {
    const message = renderMessage([delivery(1)], 'email');

    expect(message.subject).toBe('Школа № 1: Оценка «2» по математике');
    expect(message.text).toBe(
      [
        'Иван получил «2» за самостоятельную работу (1).',
        'Подробнее — в дневнике, неделя с 24.11.2025.',
        '',
        EMAIL_FOOTER,
      ].join('\n'),
    );
  });

  it('when several instant deliveries are coalesced, then the subject counts them and the text lists each, oldest first', () => {
    const message = renderMessage([delivery(3), delivery(1), delivery(2)], 'email');

    expect(message.subject).toBe('Школа № 1: 3 уведомления');
    const positions = [1, 2, 3].map((n) => message.text.indexOf(`(${n}).`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(message.text.match(/• Оценка «2» по математике/g)).toHaveLength(3);
    expect(message.text.endsWith(EMAIL_FOOTER)).toBe(true);
  });

  it('when a daily digest goes, then the subject names its day in words in the school’s zone', () => {
    // 22:30 UTC on the 24th is the 25th in Moscow.
    const digest = [1, 2].map((n) => delivery(n, { mode: 'daily', dueAt: '2025-11-24T22:30:00.000Z' }));

    expect(renderMessage(digest, 'email').subject).toBe('Школа № 1: сводка за 25 ноября');
    expect(
      renderMessage(
        digest.map((d) => ({ ...d, mode: 'weekly' })),
        'email',
      ).subject,
    ).toBe('Школа № 1: сводка за неделю по 25 ноября');
  });

  it('when the children are in two schools, then both names are given; with no name known, the diary’s', () => {
    expect(renderMessage([delivery(1), delivery(2, { schoolName: 'Лицей № 2' })], 'email').subject).toBe(
      'Школа № 1, Лицей № 2: 2 уведомления',
    );
    expect(renderMessage([delivery(1, { schoolName: '' })], 'email').subject).toBe(
      'Электронный дневник: Оценка «2» по математике',
    );
  });

  it('when rendered, then the message holds nothing but the deliveries’ own texts, the school’s name and fixed wording', () => {
    const message = renderMessage(
      [delivery(1, { studentId: 'other-child-id', link: 'journal:lesson:lesson-42' })],
      'email',
    );

    expect(message.text).not.toContain('other-child-id');
    expect(message.text).not.toContain('lesson-42');
  });
});

describe('SMS and push', () => {
  it('when one delivery goes by SMS, then it is one line with the school and the title, at most 160 characters cut with «…»', () => {
    const long = delivery(1, { body: 'Очень длинный текст. '.repeat(20) });

    const short = renderMessage([delivery(1)], 'sms').text;
    const cut = renderMessage([long], 'sms').text;

    expect(short).toBe(
      'Школа № 1: Оценка «2» по математике. Иван получил «2» за самостоятельную работу (1).',
    );
    expect(cut.length).toBe(SMS_LIMIT);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toContain('\n');
  });

  it('when several go by SMS, then it counts them and names the titles', () => {
    const text = renderMessage([delivery(1), delivery(2, { title: 'Пропуск урока' })], 'sms').text;

    expect(text).toBe('Школа № 1: 2 уведомления. Оценка «2» по математике; Пропуск урока');
  });

  it('when push goes, then it has a title and a short body', () => {
    expect(renderMessage([delivery(1)], 'push')).toEqual({
      subject: 'Школа № 1: Оценка «2» по математике',
      text: 'Иван получил «2» за самостоятельную работу (1).',
    });
    const many = renderMessage(
      Array.from({ length: 25 }, (_, n) => delivery(n)),
      'push',
    );
    expect(many.subject).toBe('Школа № 1: 25 уведомлений');
    expect(many.text.length).toBeLessThanOrEqual(240);
  });
});

describe('helpers', () => {
  it.each([
    ['2025-11-24', '24 ноября'],
    ['2026-01-01', '1 января'],
    ['2026-05-09', '9 мая'],
  ])('when the day is %s, then it reads %j', (date, words) => {
    expect(dayInWords(date)).toBe(words);
  });

  it.each([
    ['diary:marks:ivan:year-1', 'Подробнее — в дневнике, раздел «Оценки».'],
    ['journal:attendance:class-1:ivan', 'Подробнее — в журнале, посещаемость ученика.'],
    ['calendar:event:e-1', 'Подробнее — в календаре школы.'],
    ['report:class-1:2025-11-10:ivan', 'Подробнее — в разделе «Уведомления», отчёт об успеваемости.'],
    ['something:else', null],
    ['', null],
  ])('when the link is %j, then what to open reads %j', (link, line) => {
    expect(openLine(link)).toBe(line);
  });
});
