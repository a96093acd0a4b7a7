import { DomainError } from '@edu/kit';
import { TRIGGERS, type PreferencesDoc } from '../../src/domain/model';
import {
  defaultPreferences,
  getPreferences,
  normalisePhone,
  preferencesOf,
  setPreferences,
  type PreferencesInput,
} from '../../src/domain/preferences';
import { MemoryDocs } from './memory-copies';

const PERSON = 'guardian-1';
const NOW = new Date('2025-11-24T10:00:00Z');

/** What a client sends back after reading the defaults, with changes. */
function input(changes: Partial<PreferencesInput> = {}): PreferencesInput {
  return {
    triggers: [],
    email: 'mama@example.ru',
    phone: '',
    quietFrom: '22:00',
    quietUntil: '07:00',
    digestTime: '19:00',
    digestWeekday: 7,
    ...changes,
  };
}

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

async function fieldsRefused(docs: MemoryDocs, given: PreferencesInput): Promise<string[]> {
  const error = await refusal(setPreferences(docs, PERSON, given, 0, NOW));
  expect(error.code).toBe('preferences.invalid');
  expect(error.kind).toBe('invalid');
  for (const fieldError of error.errors ?? []) expect(fieldError.message).toMatch(/[а-яё]/i);
  return (error.errors ?? []).map((e) => e.field);
}

describe('defaults', () => {
  it('when a parent has set nothing, then every trigger is on, routine news goes in an evening e-mail digest and the urgent ones by e-mail and push at once', () => {
    const prefs = defaultPreferences(PERSON);

    expect(prefs.triggers.map((t) => t.trigger)).toEqual([...TRIGGERS]);
    expect(prefs.triggers.every((t) => t.enabled)).toBe(true);
    const byTrigger = Object.fromEntries(prefs.triggers.map((t) => [t.trigger, t]));
    for (const trigger of ['mark_posted', 'mark_corrected', 'homework_tomorrow', 'school_event'] as const)
      expect(byTrigger[trigger]).toMatchObject({ channels: ['email'], delivery: 'daily' });
    for (const trigger of [
      'low_mark',
      'absence',
      'repeated_absence',
      'period_mark',
      'timetable_changed',
      'message_received',
      'progress_report',
    ] as const)
      expect(byTrigger[trigger]).toMatchObject({ channels: ['email', 'push'], delivery: 'instant' });
    expect(prefs.triggers.some((t) => t.channels.includes('sms'))).toBe(false);
    expect(prefs).toMatchObject({
      _id: PERSON,
      email: '',
      phone: '',
      quietFrom: '22:00',
      quietUntil: '07:00',
      digestTime: '19:00',
      digestWeekday: 7,
      version: 0,
      updatedAt: '',
    });
  });

  it('when a stored document lacks a trigger added later, then that trigger gets its default and the others stay as stored', () => {
    const stored: PreferencesDoc = {
      ...defaultPreferences(PERSON),
      triggers: [{ trigger: 'low_mark', enabled: false, channels: [], delivery: 'instant' }],
      version: 3,
    };

    const prefs = preferencesOf(stored, PERSON);

    expect(prefs.triggers).toHaveLength(TRIGGERS.length);
    expect(prefs.triggers.find((t) => t.trigger === 'low_mark')).toMatchObject({
      enabled: false,
      channels: [],
    });
    expect(prefs.triggers.find((t) => t.trigger === 'absence')).toMatchObject({
      enabled: true,
      delivery: 'instant',
    });
    expect(prefs.version).toBe(3);
  });

  it('when reading preferences never set, then the defaults come back and nothing is stored', async () => {
    const docs = new MemoryDocs();

    expect(await getPreferences(docs, PERSON)).toEqual(defaultPreferences(PERSON));
    expect(docs.puts).toBe(0);
  });
});

describe('setPreferences', () => {
  it('when valid preferences are saved, then they are stored with the next version, the listed triggers changed and the others kept', async () => {
    const docs = new MemoryDocs();

    const saved = await setPreferences(
      docs,
      PERSON,
      input({
        triggers: [
          { trigger: 'low_mark', enabled: true, channels: ['sms', 'email'], delivery: 'instant' },
          { trigger: 'school_event', enabled: false, channels: [], delivery: 'weekly' },
        ],
        phone: '8 (912) 345-67-89',
        quietFrom: '23:30',
        quietUntil: '06:45',
        digestTime: '20:15',
        digestWeekday: 1,
      }),
      0,
      NOW,
    );

    expect(saved).toMatchObject({
      _id: PERSON,
      email: 'mama@example.ru',
      phone: '+79123456789',
      quietFrom: '23:30',
      quietUntil: '06:45',
      digestTime: '20:15',
      digestWeekday: 1,
      version: 1,
      updatedAt: NOW.toISOString(),
    });
    const byTrigger = Object.fromEntries(saved.triggers.map((t) => [t.trigger, t]));
    // Channels in a stable order, whatever order they came in.
    expect(byTrigger.low_mark).toEqual({
      trigger: 'low_mark',
      enabled: true,
      channels: ['email', 'sms'],
      delivery: 'instant',
    });
    expect(byTrigger.school_event).toMatchObject({ enabled: false, delivery: 'weekly' });
    expect(byTrigger.absence).toEqual(
      defaultPreferences(PERSON).triggers.find((t) => t.trigger === 'absence'),
    );
    expect(await getPreferences(docs, PERSON)).toEqual(saved);
  });

  it('when saved again with the version read, then the version goes up and the earlier trigger changes stay', async () => {
    const docs = new MemoryDocs();
    await setPreferences(
      docs,
      PERSON,
      input({ triggers: [{ trigger: 'absence', enabled: false, channels: [], delivery: 'instant' }] }),
      0,
      NOW,
    );

    const saved = await setPreferences(docs, PERSON, input({ quietFrom: '21:00' }), 1, NOW);

    expect(saved.version).toBe(2);
    expect(saved.quietFrom).toBe('21:00');
    expect(saved.triggers.find((t) => t.trigger === 'absence')?.enabled).toBe(false);
  });

  it('when times and weekday are left empty, then they keep their setting; equal quiet from and until turn quiet hours off', async () => {
    const docs = new MemoryDocs();

    const kept = await setPreferences(
      docs,
      PERSON,
      input({ quietFrom: '', quietUntil: '', digestTime: '', digestWeekday: 0 }),
      0,
      NOW,
    );
    const off = await setPreferences(
      docs,
      PERSON,
      input({ quietFrom: '00:00', quietUntil: '00:00' }),
      1,
      NOW,
    );

    expect(kept).toMatchObject({
      quietFrom: '22:00',
      quietUntil: '07:00',
      digestTime: '19:00',
      digestWeekday: 7,
    });
    expect(off).toMatchObject({ quietFrom: '00:00', quietUntil: '00:00' });
  });

  it('when the version read is not the stored one, then a conflict is refused and nothing changes', async () => {
    const docs = new MemoryDocs();
    await setPreferences(docs, PERSON, input(), 0, NOW);
    const before = docs.snapshot();

    const error = await refusal(setPreferences(docs, PERSON, input({ quietFrom: '21:00' }), 0, NOW));

    expect(error.code).toBe('preferences.version_conflict');
    expect(error.kind).toBe('conflict');
    expect(docs.snapshot()).toEqual(before);
  });

  it('when triggers, channels and delivery modes are unknown, then each is named and nothing is stored', async () => {
    const docs = new MemoryDocs();

    const fields = await fieldsRefused(
      docs,
      input({
        triggers: [
          { trigger: 'gossip', enabled: true, channels: [], delivery: 'instant' },
          { trigger: 'low_mark', enabled: true, channels: ['pigeon'], delivery: 'instant' },
          { trigger: 'absence', enabled: true, channels: ['email'], delivery: 'hourly' },
          { trigger: 'absence', enabled: true, channels: [], delivery: 'instant' },
        ],
      }),
    );

    expect(fields).toEqual([
      'triggers[0].trigger',
      'triggers[1].channels',
      'triggers[2].delivery',
      'triggers[3].trigger',
    ]);
    expect(docs.puts).toBe(0);
  });

  it('when e-mail or SMS is chosen without the contact, then it is kept (and unused until the contact is given): the defaults can be saved back as they are', async () => {
    const docs = new MemoryDocs();
    const saved = await setPreferences(
      docs,
      'g-1',
      input({
        email: '',
        triggers: [
          { trigger: 'low_mark', enabled: true, channels: ['email'], delivery: 'instant' },
          { trigger: 'absence', enabled: true, channels: ['sms'], delivery: 'instant' },
        ],
      }),
      0,
      new Date('2026-11-24T09:00:00Z'),
    );
    expect(saved.triggers.find((t) => t.trigger === 'low_mark')?.channels).toEqual(['email']);
    expect(saved.triggers.find((t) => t.trigger === 'absence')?.channels).toEqual(['sms']);
    expect(saved.email).toBe('');
  });

  it('when contacts, times and the weekday are malformed, then each field is named and nothing is stored', async () => {
    const docs = new MemoryDocs();

    const fields = await fieldsRefused(
      docs,
      input({
        email: 'mama@',
        phone: '+1 555 123 4567',
        quietFrom: '24:00',
        quietUntil: '7:00',
        digestTime: '19-00',
        digestWeekday: 8,
      }),
    );

    expect(fields).toEqual(['email', 'phone', 'quietFrom', 'quietUntil', 'digestTime', 'digestWeekday']);
    expect(docs.puts).toBe(0);
  });

  it.each([
    ['+7 912 345-67-89', '+79123456789'],
    ['8(912)3456789', '+79123456789'],
    ['79123456789', '+79123456789'],
    ['', ''],
    ['+8 912 345 67 89', null],
    ['912 345 67 89', null],
    ['+7 912 345 67 8a', null],
  ])('when the phone is %j, then it is %j', (given, expected) => {
    expect(normalisePhone(given)).toBe(expected);
  });
});
