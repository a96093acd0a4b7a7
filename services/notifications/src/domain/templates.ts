import { addDays, formatDate, isDate, localDate } from '@edu/kit';
import { FALLBACK_TIME_ZONE } from './copies';
import type { Channel, Delivery } from './model';

// The texts of channel messages, in Russian. They carry only the deliveries' own titles and bodies
// (the triggers wrote those about the recipient's own child alone), the school's name and what to
// open: nothing else about anybody, so a message cannot leak another child's marks.

export const EMAIL_FOOTER =
  'Это письмо отправлено автоматически. Настроить уведомления можно в разделе «Настройки» дневника.';
export const SMS_LIMIT = 160;
const PUSH_TITLE_LIMIT = 100;
const PUSH_TEXT_LIMIT = 240;
/** When a school has not told its name yet. */
const NO_SCHOOL_NAME = 'Электронный дневник';

const MONTHS = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

export interface RenderedMessage {
  subject: string;
  text: string;
}

/** One message of the deliveries (one, or several coalesced or a digest) through a channel. */
export function renderMessage(deliveries: Delivery[], channel: Channel): RenderedMessage {
  const ordered = [...deliveries].sort(
    (a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id),
  );
  if (channel === 'sms') return { subject: '', text: smsText(ordered) };
  if (channel === 'push') return pushMessage(ordered);
  return emailMessage(ordered);
}

function emailMessage(deliveries: Delivery[]): RenderedMessage {
  const school = schoolOf(deliveries);
  const [only] = deliveries;
  if (only && deliveries.length === 1) {
    return {
      subject: `${school}: ${only.title}`,
      text: [only.body, openLine(only.link), '', EMAIL_FOOTER].filter((l) => l !== null).join('\n'),
    };
  }
  const items = deliveries.map((d) =>
    [`• ${d.title}`, d.body, openLine(d.link)].filter((l) => l !== null).join('\n'),
  );
  return { subject: `${school}: ${severalSubject(deliveries)}`, text: [...items, EMAIL_FOOTER].join('\n\n') };
}

/** A digest is named by its day; a coalesced burst by its count. */
function severalSubject(deliveries: Delivery[]): string {
  const digests = deliveries.filter((d) => d.mode !== 'instant');
  if (digests.length === 0) return countOf(deliveries.length);
  const last = digests.reduce((a, b) => (b.dueAt > a.dueAt ? b : a));
  const day = dayInWords(localDate(last.dueAt, last.timeZone || FALLBACK_TIME_ZONE));
  return digests.every((d) => d.mode === 'weekly') ? `сводка за неделю по ${day}` : `сводка за ${day}`;
}

function smsText(deliveries: Delivery[]): string {
  const school = schoolOf(deliveries);
  const [only] = deliveries;
  const line =
    only && deliveries.length === 1
      ? `${school}: ${sentence(only.title)} ${only.body}`
      : `${school}: ${countOf(deliveries.length)}. ${deliveries.map((d) => d.title).join('; ')}`;
  return cut(oneLine(line), SMS_LIMIT);
}

function pushMessage(deliveries: Delivery[]): RenderedMessage {
  const school = schoolOf(deliveries);
  const [only] = deliveries;
  if (only && deliveries.length === 1)
    return {
      subject: cut(`${school}: ${only.title}`, PUSH_TITLE_LIMIT),
      text: cut(oneLine(only.body), PUSH_TEXT_LIMIT),
    };
  return {
    subject: cut(`${school}: ${countOf(deliveries.length)}`, PUSH_TITLE_LIMIT),
    text: cut(oneLine(deliveries.map((d) => d.title).join('; ')), PUSH_TEXT_LIMIT),
  };
}

/** The school's name (a guardian of children in two schools gets both names). */
function schoolOf(deliveries: Delivery[]): string {
  const names = [...new Set(deliveries.map((d) => d.schoolName.trim()).filter((n) => n !== ''))];
  return names.length > 0 ? names.join(', ') : NO_SCHOOL_NAME;
}

/** «N уведомлений» with the Russian plural. */
export function countOf(n: number): string {
  return `${n} ${plural(n, 'уведомление', 'уведомления', 'уведомлений')}`;
}

/** The Russian form for n: one (1, 21), few (2–4, 22–24), many (5–20, 25…, 11–14). */
export function plural(n: number, one: string, few: string, many: string): string {
  const tens = Math.abs(n) % 100;
  const units = tens % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  if (units >= 2 && units <= 4) return few;
  return many;
}

/** "2025-11-24" → «24 ноября». */
export function dayInWords(date: string): string {
  const [, month, day] = date.split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1] ?? ''}`.trim();
}

/** What to open for a link, in words (null when the link is none the templates know). */
export function openLine(link: string): string | null {
  const [kind, what, , date] = link.split(':');
  if (kind === 'diary' && what === 'week' && date && isDate(date))
    return `Подробнее — в дневнике, неделя с ${formatDate(mondayOf(date))}.`;
  if (kind === 'diary' && what === 'marks') return 'Подробнее — в дневнике, раздел «Оценки».';
  if (kind === 'journal' && what === 'lesson') return 'Подробнее — в журнале, страница урока.';
  if (kind === 'journal' && what === 'attendance') return 'Подробнее — в журнале, посещаемость ученика.';
  if (kind === 'calendar') return 'Подробнее — в календаре школы.';
  if (kind === 'report') return 'Подробнее — в разделе «Уведомления», отчёт об успеваемости.';
  if (kind === 'thread') return 'Ответить можно в разделе «Сообщения».';
  return null;
}

function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
  return addDays(date, 1 - weekday);
}

/** A title as a sentence: ends with a full stop unless it has its own punctuation. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** At most `max` characters, cut with «…». */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
