import { protoFile } from '@edu/proto';
import { PoisonMessageError, createEventCodec, newEvent } from '../src';
import { TEST_PROTO, TEST_TYPES, testCodec, thingChanged } from './helpers';

// Unit: no I/O.
describe('event codec', () => {
  it('when an event is encoded and decoded, then the envelope and payload come back unchanged (int64 as a string)', () => {
    const codec = testCodec();
    const event = thingChanged('thing-1', 7);

    const { envelope, payload } = codec.decode(codec.encode(event));

    expect(envelope).toEqual(event);
    expect(payload).toEqual({ counter: '7', note: 'change 7' });
  });

  it('when a real payload from @edu/proto is encoded, then it round-trips with proto field names and defaults', () => {
    const codec = createEventCodec({
      protoFiles: [protoFile('edu/events/v1/roster.proto')],
      types: { 'edu.roster.school.created': 'edu.events.v1.SchoolCreated' },
    });
    const event = newEvent({
      type: 'edu.roster.school.created',
      schoolId: 'school-9',
      aggregateId: 'school-9',
      aggregateVersion: 1,
      actor: { accountId: 'acc', personId: '' },
      traceId: '',
      payload: { school: { school_id: 'school-9', full_name: 'Школа № 9', time_zone: 'Europe/Moscow' } },
    });

    const { payload } = codec.decode<{ school: Record<string, unknown> }>(codec.encode(event));

    expect(payload.school).toMatchObject({
      school_id: 'school-9',
      full_name: 'Школа № 9',
      inn: '',
      licence: null,
    });
  });

  it('when a message carries a type the codec does not know, then decoding throws a PoisonMessageError (unknown_type)', () => {
    const producer = testCodec();
    const consumer = createEventCodec({
      protoFiles: [TEST_PROTO],
      types: { 'edu.testing.thing.created': TEST_TYPES['edu.testing.thing.created'] },
    });
    const bytes = producer.encode(thingChanged('thing-1', 1));

    expect(() => consumer.decode(bytes)).toThrow(PoisonMessageError);
    expect(() => consumer.decode(bytes)).toThrow(expect.objectContaining({ reason: 'unknown_type' }));
    expect(consumer.knows('edu.testing.thing.changed')).toBe(false);
  });

  it.each([
    ['garbage text', Buffer.from('this is not protobuf at all')],
    ['a truncated envelope', testCodec().encode(thingChanged('thing-1', 1)).subarray(0, 20)],
    ['no bytes', Buffer.alloc(0)],
  ])('when the bytes are %s, then decoding throws a PoisonMessageError (malformed)', (_what, bytes) => {
    expect(() => testCodec().decode(bytes)).toThrow(
      expect.objectContaining({ name: 'PoisonMessageError', reason: 'malformed' }),
    );
  });

  it('when an event of an unknown type is encoded, then it is refused (a bug, not a message)', () => {
    const event = { ...thingChanged('thing-1', 1), type: 'edu.testing.thing.vanished' };

    expect(() => testCodec().encode(event)).toThrow(/not in the codec's types/);
  });

  it('when the types name a message that does not exist, then creating the codec fails at once', () => {
    expect(() =>
      createEventCodec({ protoFiles: [TEST_PROTO], types: { 'edu.testing.x': 'edu.testing.v1.Missing' } }),
    ).toThrow();
  });

  it('when new events are made, then their ids are distinct UUIDv7 carrying the creation time, and occurredAt is an ISO instant', () => {
    const before = Date.now();
    const events = Array.from({ length: 1000 }, (_, i) => thingChanged('a', i));
    const after = Date.now();

    const millis = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(new Set(events.map((e) => e.id)).size).toBe(1000);
    for (const { id, occurredAt } of events) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(millis(id)).toBeGreaterThanOrEqual(before);
      expect(millis(id)).toBeLessThanOrEqual(after);
      expect(new Date(occurredAt).toISOString()).toBe(occurredAt);
    }
  });
});
