// Original file: edu/roster/v1/roster.proto

import type { School as _edu_roster_v1_School, School__Output as _edu_roster_v1_School__Output } from '../../../edu/roster/v1/School';

export interface CreateSchoolRequest {
  'school'?: (_edu_roster_v1_School | null);
}

export interface CreateSchoolRequest__Output {
  'school': (_edu_roster_v1_School__Output | null);
}
