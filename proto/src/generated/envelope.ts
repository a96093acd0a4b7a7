import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { EventActor as _edu_events_v1_EventActor, EventActor__Output as _edu_events_v1_EventActor__Output } from './edu/events/v1/EventActor';
import type { EventEnvelope as _edu_events_v1_EventEnvelope, EventEnvelope__Output as _edu_events_v1_EventEnvelope__Output } from './edu/events/v1/EventEnvelope';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  edu: {
    events: {
      v1: {
        EventActor: MessageTypeDefinition<_edu_events_v1_EventActor, _edu_events_v1_EventActor__Output>
        EventEnvelope: MessageTypeDefinition<_edu_events_v1_EventEnvelope, _edu_events_v1_EventEnvelope__Output>
      }
    }
  }
}

