// Original file: edu/events/v1/roster.proto

import type { SchoolLicence as _edu_events_v1_SchoolLicence, SchoolLicence__Output as _edu_events_v1_SchoolLicence__Output } from '../../../edu/events/v1/SchoolLicence';
import type { SchoolAccreditation as _edu_events_v1_SchoolAccreditation, SchoolAccreditation__Output as _edu_events_v1_SchoolAccreditation__Output } from '../../../edu/events/v1/SchoolAccreditation';

export interface SchoolCard {
  'school_id'?: (string);
  'full_name'?: (string);
  'short_name'?: (string);
  'inn'?: (string);
  'ogrn'?: (string);
  'address'?: (string);
  'time_zone'?: (string);
  'licence'?: (_edu_events_v1_SchoolLicence | null);
  'accreditation'?: (_edu_events_v1_SchoolAccreditation | null);
  'municipality_id'?: (string);
}

export interface SchoolCard__Output {
  'school_id': (string);
  'full_name': (string);
  'short_name': (string);
  'inn': (string);
  'ogrn': (string);
  'address': (string);
  'time_zone': (string);
  'licence': (_edu_events_v1_SchoolLicence__Output | null);
  'accreditation': (_edu_events_v1_SchoolAccreditation__Output | null);
  'municipality_id': (string);
}
