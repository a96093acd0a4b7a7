// Original file: edu/events/v1/envelope.proto


export interface EventActor {
  'account_id'?: (string);
  'person_id'?: (string);
}

export interface EventActor__Output {
  'account_id': (string);
  'person_id': (string);
}
