// Original file: edu/events/v1/envelope.proto

import type { EventActor as _edu_events_v1_EventActor, EventActor__Output as _edu_events_v1_EventActor__Output } from '../../../edu/events/v1/EventActor';
import type { Long } from '@grpc/proto-loader';

export interface EventEnvelope {
  'id'?: (string);
  'type'?: (string);
  'school_id'?: (string);
  'aggregate_id'?: (string);
  'aggregate_version'?: (number | string | Long);
  'occurred_at'?: (string);
  'actor'?: (_edu_events_v1_EventActor | null);
  'trace_id'?: (string);
  'payload'?: (Buffer | Uint8Array | string);
}

export interface EventEnvelope__Output {
  'id': (string);
  'type': (string);
  'school_id': (string);
  'aggregate_id': (string);
  'aggregate_version': (string);
  'occurred_at': (string);
  'actor': (_edu_events_v1_EventActor__Output | null);
  'trace_id': (string);
  'payload': (Buffer);
}
