import { conflict, invalid, type FieldError } from '@edu/kit';
import {
  CHANNELS,
  DELIVERY_MODES,
  TRIGGERS,
  type Channel,
  type DeliveryMode,
  type PreferencesDoc,
  type Trigger,
  type TriggerPreference,
} from './model';
import type { DocReader, UnitRunner } from './ports';

// A person's preferences (R7.3): which triggers, through which channels, when (quiet hours,
// digests), and the contacts they agreed to be told at. Until a person saves their own, the
// defaults below apply; they suit a parent: everything in the inbox, routine news in an evening
// e-mail digest, what needs attention at once by e-mail and push, no SMS (it costs money and needs
// a phone the person gave).

/** Routine news: one evening e-mail. */
const DIGEST_TRIGGERS: readonly Trigger[] = [
  'mark_posted',
  'mark_corrected',
  'homework_tomorrow',
  'school_event',
];

const DEFAULT_QUIET_FROM = '22:00';
const DEFAULT_QUIET_UNTIL = '07:00';
const DEFAULT_DIGEST_TIME = '19:00';
/** Sunday. */
const DEFAULT_DIGEST_WEEKDAY = 7;

const EMAIL_MAX = 254;

/** The defaults of one trigger (also what a stored document lacking a newer trigger gets). */
function defaultTrigger(trigger: Trigger): TriggerPreference {
  return DIGEST_TRIGGERS.includes(trigger)
    ? { trigger, enabled: true, channels: ['email'], delivery: 'daily' }
    : { trigger, enabled: true, channels: ['email', 'push'], delivery: 'instant' };
}

/** The preferences of a person who has not set their own (sensible for a parent). */
export function defaultPreferences(personId: string): PreferencesDoc {
  return {
    _id: personId,
    triggers: TRIGGERS.map(defaultTrigger),
    email: '',
    phone: '',
    quietFrom: DEFAULT_QUIET_FROM,
    quietUntil: DEFAULT_QUIET_UNTIL,
    digestTime: DEFAULT_DIGEST_TIME,
    digestWeekday: DEFAULT_DIGEST_WEEKDAY,
    version: 0,
    updatedAt: '',
  };
}

/** The stored preferences, or the defaults; every trigger present, in TRIGGERS order. */
export function preferencesOf(doc: PreferencesDoc | null, personId: string): PreferencesDoc {
  if (!doc) return defaultPreferences(personId);
  const stored = new Map(doc.triggers.map((t) => [t.trigger, t]));
  return { ...doc, triggers: TRIGGERS.map((trigger) => stored.get(trigger) ?? defaultTrigger(trigger)) };
}

/** The preference of one trigger. */
export function triggerPreference(prefs: PreferencesDoc, trigger: Trigger): TriggerPreference {
  return prefs.triggers.find((t) => t.trigger === trigger) ?? defaultTrigger(trigger);
}

/** The person's preferences (the defaults until they set their own). */
export async function getPreferences(reader: DocReader, personId: string): Promise<PreferencesDoc> {
  return preferencesOf(await reader.get('preferences', personId), personId);
}

/**
 * What a person asks to set, as given (the proto's Preferences): every field is checked here.
 * Triggers not listed keep their setting; '' times and weekday 0 keep theirs; '' contacts remove
 * them. Equal quiet from/until turn quiet hours off.
 */
export interface PreferencesInput {
  triggers: { trigger: string; enabled: boolean; channels: string[]; delivery: string }[];
  email: string;
  phone: string;
  quietFrom: string;
  quietUntil: string;
  digestTime: string;
  digestWeekday: number;
}

/**
 * Saves the person's preferences over the stored ones (or the defaults) when `expectedVersion` is
 * the stored version; refuses bad input naming every bad field, storing nothing.
 */
export async function setPreferences(
  runner: UnitRunner,
  personId: string,
  input: PreferencesInput,
  expectedVersion: number,
  now: Date,
): Promise<PreferencesDoc> {
  const checked = checkInput(input);
  return runner.unit(async (tx) => {
    const current = preferencesOf(await tx.get('preferences', personId), personId);
    if (current.version !== expectedVersion)
      throw conflict(
        'preferences.version_conflict',
        'Настройки уведомлений уже изменены в другом окне: обновите страницу и повторите',
      );
    const next: PreferencesDoc = {
      _id: personId,
      triggers: current.triggers.map((t) => checked.triggers.get(t.trigger) ?? t),
      email: checked.email,
      phone: checked.phone,
      quietFrom: checked.quietFrom || current.quietFrom,
      quietUntil: checked.quietUntil || current.quietUntil,
      digestTime: checked.digestTime || current.digestTime,
      digestWeekday: checked.digestWeekday || current.digestWeekday,
      version: current.version + 1,
      updatedAt: now.toISOString(),
    };
    tx.put('preferences', next);
    return next;
  });
}

// --- Validation -----------------------------------------------------------------------------------

interface CheckedInput {
  triggers: Map<Trigger, TriggerPreference>;
  email: string;
  phone: string;
  quietFrom: string;
  quietUntil: string;
  digestTime: string;
  digestWeekday: number;
}

function checkInput(input: PreferencesInput): CheckedInput {
  const errors: FieldError[] = [];
  const email = input.email.trim();
  if (email !== '' && !isEmail(email))
    errors.push({
      field: 'email',
      message: 'Адрес электронной почты указан неверно, например: ivanova@mail.ru',
    });
  const phone = normalisePhone(input.phone);
  if (phone === null)
    errors.push({
      field: 'phone',
      message: 'Номер телефона указан неверно: нужен российский номер, например +7 912 345-67-89',
    });
  const triggers = checkTriggers(input.triggers, errors);
  checkTime(input.quietFrom, 'quietFrom', 'Начало тихих часов', errors);
  checkTime(input.quietUntil, 'quietUntil', 'Конец тихих часов', errors);
  checkTime(input.digestTime, 'digestTime', 'Время сводки', errors);
  if (
    input.digestWeekday !== 0 &&
    !(Number.isInteger(input.digestWeekday) && input.digestWeekday >= 1 && input.digestWeekday <= 7)
  )
    errors.push({
      field: 'digestWeekday',
      message: 'День недельной сводки: число от 1 (понедельник) до 7 (воскресенье)',
    });
  if (errors.length > 0)
    throw invalid('preferences.invalid', 'Настройки уведомлений заполнены с ошибками', errors);
  return {
    triggers,
    email,
    phone: phone ?? '',
    quietFrom: input.quietFrom,
    quietUntil: input.quietUntil,
    digestTime: input.digestTime,
    digestWeekday: input.digestWeekday,
  };
}

function checkTriggers(
  given: PreferencesInput['triggers'],
  errors: FieldError[],
): Map<Trigger, TriggerPreference> {
  const checked = new Map<Trigger, TriggerPreference>();
  const seen = new Set<string>();
  given.forEach((t, i) => {
    const at = `triggers[${i}]`;
    if (!isOneOf(TRIGGERS, t.trigger)) {
      errors.push({ field: `${at}.trigger`, message: `Неизвестный вид уведомлений: «${t.trigger}»` });
      return;
    }
    if (seen.has(t.trigger)) {
      errors.push({ field: `${at}.trigger`, message: 'Этот вид уведомлений указан дважды' });
      return;
    }
    seen.add(t.trigger);
    const channels = checkChannels(t.channels, `${at}.channels`, errors);
    if (!isOneOf(DELIVERY_MODES, t.delivery))
      errors.push({
        field: `${at}.delivery`,
        message: 'Способ доставки: сразу (instant), ежедневная (daily) или еженедельная (weekly) сводка',
      });
    if (channels && isOneOf(DELIVERY_MODES, t.delivery))
      checked.set(t.trigger, {
        trigger: t.trigger,
        enabled: t.enabled,
        channels,
        delivery: t.delivery as DeliveryMode,
      });
  });
  return checked;
}

/** The channels in CHANNELS order, or null (errors pushed). */
function checkChannels(given: string[], field: string, errors: FieldError[]): Channel[] | null {
  const unknown = given.filter((c) => !isOneOf(CHANNELS, c));
  if (unknown.length > 0) {
    errors.push({
      field,
      message: `Неизвестный канал: «${unknown.join('», «')}»; возможны email, sms, push`,
    });
    return null;
  }
  // A channel without its contact is kept and simply not used until the contact is given: the
  // defaults choose e-mail before anyone has an address, and saving them back must work.
  return CHANNELS.filter((c) => given.includes(c));
}

function checkTime(value: string, field: string, what: string, errors: FieldError[]): void {
  if (value !== '' && !isTime(value))
    errors.push({ field, message: `${what}: время в виде ЧЧ:ММ, например 07:30` });
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** "HH:MM", 00:00–23:59. */
export function isTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

function isEmail(value: string): boolean {
  return value.length <= EMAIL_MAX && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value);
}

/** "+7XXXXXXXXXX" from what people type (spaces, dashes, brackets, a leading 8); '' for none; null when not a Russian number. */
export function normalisePhone(value: string): string | null {
  const compact = value.replace(/[\s\-()]/g, '');
  if (compact === '') return '';
  const digits = compact.replace(/^\+/, '');
  if (!/^\d{11}$/.test(digits)) return null;
  if (compact.startsWith('+') ? digits.startsWith('7') : /^[78]/.test(digits)) return `+7${digits.slice(1)}`;
  return null;
}
