import path from 'node:path';
import protobuf from 'protobufjs';
import { PROTO_DIR, protoFile } from '@edu/proto';
import type { EventEnvelope } from './envelope';

/** Why a message could not be decoded. */
export type PoisonReason = 'malformed' | 'unknown_type';

/**
 * A message that can never be decoded however often it is retried: malformed bytes, or an event
 * type this codec does not know. Consumers send malformed ones to the DLQ at once.
 */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';

  constructor(
    readonly reason: PoisonReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Options of `createEventCodec`. */
export interface EventCodecOptions {
  /** Absolute paths of the .proto files holding the payload messages, e.g. `protoFile('edu/events/v1/roster.proto')`. */
  protoFiles: string[];
  /** Event type → fully qualified payload message, e.g. `{ 'edu.roster.school.created': 'edu.events.v1.SchoolCreated' }`. */
  types: Record<string, string>;
}

/** A decoded message: the whole envelope, and its payload for convenience. */
export interface DecodedEvent<P = unknown> {
  envelope: EventEnvelope<P>;
  payload: P;
}

/** Encodes envelopes to Kafka record values and back. */
export interface EventCodec {
  /** The protobuf `EventEnvelope` bytes; throws on an event type the codec does not know. */
  encode<P>(event: EventEnvelope<P>): Buffer;
  /** The envelope and payload of a record value; throws PoisonMessageError when impossible. */
  decode<P = unknown>(bytes: Uint8Array): DecodedEvent<P>;
  /** Whether the codec knows this event type (to skip foreign types without decoding). */
  knows(type: string): boolean;
}

/** The proto-loader conversion every service uses (snake_case fields, longs as strings, defaults filled). */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };

/** The envelope as protobufjs sees it with keepCase. */
interface WireEnvelope {
  id: string;
  type: string;
  school_id: string;
  aggregate_id: string;
  aggregate_version: string;
  occurred_at: string;
  actor: { account_id: string; person_id: string } | null;
  trace_id: string;
  payload: Uint8Array;
}

/** Loads the envelope and the given payload messages; fails at startup on a missing message. */
export function createEventCodec({ protoFiles, types }: EventCodecOptions): EventCodec {
  const root = new protobuf.Root();
  // Imports inside .proto files are written from the proto root (`edu/events/v1/...`).
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_DIR, target));
  root.loadSync([protoFile('edu/events/v1/envelope.proto'), ...protoFiles], { keepCase: true });
  const envelopeType = root.lookupType('edu.events.v1.EventEnvelope');
  const payloadTypes = new Map<string, protobuf.Type>();
  for (const [type, message] of Object.entries(types)) {
    payloadTypes.set(type, root.lookupType(message)); // throws on a typo: better now than at the first event
  }

  function payloadTypeOf(type: string): protobuf.Type | undefined {
    return payloadTypes.get(type);
  }

  return {
    knows: (type) => payloadTypes.has(type),

    encode(event) {
      const payloadType = payloadTypeOf(event.type);
      if (!payloadType) throw new Error(`cannot encode event type "${event.type}": not in the codec's types`);
      if (!event.id) throw new Error(`cannot encode event of type "${event.type}" without an id`);
      const payload = payloadType.encode(payloadType.fromObject(event.payload as object)).finish();
      const wire = envelopeType.fromObject({
        id: event.id,
        type: event.type,
        school_id: event.schoolId,
        aggregate_id: event.aggregateId,
        aggregate_version: event.aggregateVersion,
        occurred_at: event.occurredAt,
        actor: { account_id: event.actor.accountId, person_id: event.actor.personId },
        trace_id: event.traceId,
        payload,
      });
      const bytes = envelopeType.encode(wire).finish();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },

    decode<P>(bytes: Uint8Array): DecodedEvent<P> {
      let wire: WireEnvelope;
      try {
        wire = envelopeType.toObject(envelopeType.decode(bytes), TO_OBJECT) as WireEnvelope;
      } catch (error) {
        throw new PoisonMessageError('malformed', `not an event envelope: ${(error as Error).message}`, {
          cause: error,
        });
      }
      // Random bytes can parse as a protobuf message; an envelope without id and type is not one.
      if (!wire.id || !wire.type)
        throw new PoisonMessageError('malformed', 'event envelope without id or type');
      const payloadType = payloadTypeOf(wire.type);
      if (!payloadType) throw new PoisonMessageError('unknown_type', `unknown event type "${wire.type}"`);
      let payload: P;
      try {
        payload = payloadType.toObject(payloadType.decode(wire.payload), TO_OBJECT) as P;
      } catch (error) {
        throw new PoisonMessageError(
          'malformed',
          `malformed payload of ${wire.type}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      const envelope: EventEnvelope<P> = {
        id: wire.id,
        type: wire.type,
        schoolId: wire.school_id,
        aggregateId: wire.aggregate_id,
        aggregateVersion: Number(wire.aggregate_version),
        occurredAt: wire.occurred_at,
        actor: { accountId: wire.actor?.account_id ?? '', personId: wire.actor?.person_id ?? '' },
        traceId: wire.trace_id,
        payload,
      };
      return { envelope, payload };
    },
  };
}
