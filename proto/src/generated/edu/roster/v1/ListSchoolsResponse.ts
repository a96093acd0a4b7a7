// Original file: edu/roster/v1/roster.proto

import type { School as _edu_roster_v1_School, School__Output as _edu_roster_v1_School__Output } from '../../../edu/roster/v1/School';

export interface ListSchoolsResponse {
  'schools'?: (_edu_roster_v1_School)[];
  'next_page_token'?: (string);
}

export interface ListSchoolsResponse__Output {
  'schools': (_edu_roster_v1_School__Output)[];
  'next_page_token': (string);
}
