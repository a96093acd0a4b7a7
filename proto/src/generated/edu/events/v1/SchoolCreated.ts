// Original file: edu/events/v1/roster.proto

import type { SchoolCard as _edu_events_v1_SchoolCard, SchoolCard__Output as _edu_events_v1_SchoolCard__Output } from '../../../edu/events/v1/SchoolCard';

export interface SchoolCreated {
  'school'?: (_edu_events_v1_SchoolCard | null);
}

export interface SchoolCreated__Output {
  'school': (_edu_events_v1_SchoolCard__Output | null);
}
